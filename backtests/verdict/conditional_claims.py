"""Claims tested on history directly: returns by pace scenario (claim 5), and whether repo stress
is followed by more Fed purchases (claim 6).

Timing: a label known at the close of t (pace, stress flag) governs the return from close t to
close t+1, never the return that produced it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from backtests.metrics import TRADING_DAYS
from backtests.results import RunResult
from backtests.verdict.backtest_claims import risk_free_returns
from backtests.verdict.config import ScenarioClaim, StressClaim, VerdictSection
from backtests.verdict.inference import stationary_bootstrap_indices
from signals.policy_data import known_from_positions, pace_start_positions, policy_events
from strategies.rmp_scenarios import SCENARIOS, scenario_codes


def _window(run: RunResult, series: pd.Series) -> pd.Series:
    return series.iloc[run.panel.start_position:]


def scenario_table(excess: np.ndarray, codes: np.ndarray) -> dict[str, dict]:
    """Per scenario: sessions, annualised mean excess return, volatility and Sharpe."""
    table = {}
    for code, name in enumerate(SCENARIOS):
        chosen = excess[codes == code]
        n = len(chosen)
        sd = float(np.std(chosen, ddof=1)) if n > 1 else float("nan")
        table[name] = {"sessions": int(n),
                       "ann_mean_excess": float(np.mean(chosen) * TRADING_DAYS) if n else float("nan"),
                       "ann_volatility": sd * np.sqrt(TRADING_DAYS),
                       "sharpe": float(np.mean(chosen) / sd * np.sqrt(TRADING_DAYS)) if sd > 0
                       else float("nan")}
    return table


def bootstrap_mean_gap(excess: np.ndarray, codes: np.ndarray, high: int, low: int,
                       section: VerdictSection) -> tuple[float, float, float, float]:
    """Annualised mean(excess | high) - mean(excess | low), with a block-bootstrap CI that
    resamples (return, scenario) pairs together; returns (gap, ci_low, ci_high, p(gap <= 0))."""
    def gap(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
        hi, lo = labels == high, labels == low
        with np.errstate(invalid="ignore", divide="ignore"):
            return ((values * hi).sum(-1) / hi.sum(-1) - (values * lo).sum(-1) / lo.sum(-1)) * TRADING_DAYS

    point = float(gap(excess, codes))
    rng = np.random.default_rng(section.seed)
    draws = []
    for start in range(0, section.n_boot, 200):
        idx = stationary_bootstrap_indices(len(excess), section.mean_block,
                                           min(200, section.n_boot - start), rng)
        draws.append(gap(excess[idx], codes[idx]))
    boot = np.concatenate(draws)
    boot = boot[np.isfinite(boot)]
    if not len(boot) or not np.isfinite(point):  # a scenario absent from the window
        return point, float("nan"), float("nan"), float("nan")
    tail = (1 - section.confidence) / 2
    low_q, high_q = np.quantile(boot, [tail, 1 - tail])
    return point, float(low_q), float(high_q), float(np.mean(boot - point >= point))


def evaluate_scenario_claim(run: RunResult, claim: ScenarioClaim, section: VerdictSection
                            ) -> dict:
    """Equal-weight risk basket excess returns, bucketed by the scenario known the close before."""
    rf = risk_free_returns(run, section)
    prices = _window(run, run.panel.sleeve_prices[claim.sleeves])
    basket = prices.pct_change(fill_method=None).mean(axis=1, skipna=True)
    pace_before = _window(run, run.context.signal(claim.pace_signal)).shift(1)
    frame = pd.DataFrame({"excess": basket - rf, "pace": pace_before}).iloc[1:]
    unknown = frame["pace"].isna() | frame["excess"].isna()
    frame = frame[~unknown]
    codes = scenario_codes(frame["pace"].to_numpy()[:, None], np.array([claim.token_max]),
                           np.array([claim.large_min]))[:, 0]
    excess = frame["excess"].to_numpy()
    table = scenario_table(excess, codes)
    judged = [name for name in ("C", "A", "B") if table[name]["sessions"] >= claim.min_sessions]
    means = [table[name]["ann_mean_excess"] for name in judged]
    b, none = SCENARIOS.index("B"), SCENARIOS.index("none")
    gap, low, high, p_value = bootstrap_mean_gap(excess, codes, b, none, section)
    return {"by_scenario": table, "sessions_excluded_unknown_pace": int(unknown.sum()),
            "judged_scenarios": judged,
            "ordering_holds": bool(all(x < y for x, y in zip(means, means[1:]))),
            "b_minus_none": {"ann_mean_gap": gap, "ci_low": low, "ci_high": high,
                             "p_value": p_value, "confidence": section.confidence},
            "enough_data": bool(table["B"]["sessions"] >= claim.min_sessions
                                and table["none"]["sessions"] >= claim.min_sessions)}


def stress_episodes(flag: np.ndarray, cooldown: int) -> np.ndarray:
    """Positions where stress starts after at least `cooldown` sessions without stress."""
    on = np.nan_to_num(flag, nan=0.0) > 0
    recent = pd.Series(on).rolling(cooldown, min_periods=1).max().shift(1).fillna(0).to_numpy() > 0
    return np.flatnonzero(on & ~recent)


def announced_paces(sessions: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per session: the highest pace announced at that close (NaN when none), and the highest pace
    already announced but not yet in effect (NaN when none). An announcement counts from its first
    usable close, whatever its effective date; a programme without a stated pace (lump-sum QE)
    counts as +inf."""
    events = policy_events()
    events = events[events["sets_pace"]]
    known = known_from_positions(events, sessions)
    starts = pace_start_positions(events, sessions)
    paces = events["pace_usd_bn_per_month"].fillna(np.inf).to_numpy(dtype=float)
    announced = np.full(len(sessions), np.nan)
    pending = np.full(len(sessions), np.nan)
    for position, start, pace in zip(known, starts, paces):
        if position < len(sessions):
            announced[position] = np.fmax(announced[position], pace)
            pending[position:start] = np.fmax(pending[position:start], pace)
    return announced, pending


def _max_ahead(values: np.ndarray, horizon: int) -> np.ndarray:
    """max(values[t+1 .. t+horizon]) per t (-inf where nothing follows). numpy, not pandas
    rolling: pandas' rolling max skips +inf, which here marks a lump-sum programme."""
    padded = np.r_[values[1:], np.full(horizon, -np.inf)]
    return sliding_window_view(padded, horizon)[: len(values)].max(axis=1)


def purchases_rise(pace: np.ndarray, announced: np.ndarray, pending: np.ndarray,
                   horizon: int) -> np.ndarray:
    """True at t when, within the next `horizon` sessions, the pace in effect or a newly announced
    pace exceeds every pace already known at t: the one in effect and any announced but not yet
    effective (a step decided before t is not a response to what happens at t). Slower QT counts
    (fewer reserves drained). A NaN pace in effect (lump-sum programme of unstated size, e.g. QE4
    in March 2020) counts as +inf."""
    current = np.fmax(np.where(np.isnan(pace), np.inf, pace), pending)
    ahead = np.fmax(_max_ahead(current, horizon),
                    _max_ahead(np.where(np.isnan(announced), -np.inf, announced), horizon))
    return ahead > current


def episode_test(flag: np.ndarray, rises: np.ndarray, judged: np.ndarray, cooldown: int) -> dict:
    """Hits among fresh stress episodes vs the base rate of rises on all judged sessions."""
    episodes = [int(t) for t in stress_episodes(flag, cooldown) if judged[t]]
    base = float(rises[judged].mean()) if judged.any() else float("nan")
    hits = int(sum(rises[t] for t in episodes))
    p_value = (float(stats.binomtest(hits, len(episodes), base, alternative="greater").pvalue)
               if episodes and 0 < base < 1 else float("nan"))
    return {"positions": episodes, "n_episodes": len(episodes), "hits": hits,
            "hit_rate": hits / len(episodes) if episodes else float("nan"),
            "base_rate": base, "p_value": p_value}


def evaluate_stress_claim(run: RunResult, claim: StressClaim, section: VerdictSection
                          ) -> dict:
    """Share of fresh repo-stress episodes followed by higher Fed purchases vs the base rate, with
    the episode definition's sensitivity (cooldowns of 5, 21 and 63 sessions) alongside."""
    start = run.panel.start_position
    sessions = run.panel.sessions[start:]
    flag = _window(run, run.context.signal(claim.stress_signal)).to_numpy(dtype=float)
    pace = _window(run, run.context.signal(claim.pace_signal)).to_numpy(dtype=float)
    announced, pending = (values[start:] for values in announced_paces(run.panel.sessions))
    rises = purchases_rise(pace, announced, pending, claim.horizon_sessions)
    judged = ~np.isnan(flag) & (np.arange(len(flag)) + claim.horizon_sessions < len(flag))
    primary = episode_test(flag, rises, judged, claim.cooldown_sessions)
    positions = primary.pop("positions")
    sensitivity = {}
    for cooldown in sorted({5, 21, 63, claim.cooldown_sessions}):
        alt = episode_test(flag, rises, judged, cooldown)
        alt.pop("positions")
        sensitivity[f"cooldown_{cooldown}"] = alt
    return {"episodes": [{"date": str(sessions[t].date()), "purchases_rose": bool(rises[t])}
                         for t in positions], **primary,
            "judged_from": str(sessions[judged][0].date()) if judged.any() else "",
            "horizon_sessions": claim.horizon_sessions,
            "cooldown_sessions": claim.cooldown_sessions, "sensitivity": sensitivity}
