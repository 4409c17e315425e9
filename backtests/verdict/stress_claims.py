"""Claim 6, "repo stress means reserves are scarce and the Fed must buy", tested on history across
a specification set of stress definitions, horizons and cooldowns.

An episode starts on a session flagged as repo stress after `cooldown` quiet sessions. It is a
hit when, within `horizon` sessions, the Fed announces or starts **new or larger purchases**: a
purchase pace above both zero and every pace already known at the episode (the one in effect and
any announced but not yet effective). QT slowing or ending (a less negative pace) is not buying;
it is counted separately (`qt_eased`).

Inference without assuming independent episodes (four of the seven 2018-2026 episodes fall in
2019): a circular rotation test. The stress flag is rotated against the purchase-response series
by every offset over the judged sessions; each rotation keeps the clustering of episodes and the
persistence of responses, and the p-value is the share of rotations whose hit rate is at least
the observed one. The binomial p (which assumes independence) is reported beside it. The
interval on hit rate minus base rate is the observed value minus the 5%/95% quantiles of the
rotations' excess over the base rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from backtests.verdict.config import StressClaim, VerdictSection
from backtests.verdict.specs import SpecInputs, variants_of
from signals.policy_data import known_from_positions, pace_start_positions, policy_events


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


def purchase_responses(pace: np.ndarray, announced: np.ndarray, pending: np.ndarray,
                       horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """(buys, qt_eases) per session t: within the next `horizon` sessions the pace in effect or a
    newly announced pace exceeds every pace already known at t (in effect and pending) AND zero
    (buys: new or larger purchases), or exceeds it while staying <= 0 (QT slowed or ended). A NaN
    pace in effect (lump-sum programme of unstated size, e.g. QE4 in March 2020) is +inf."""
    current = np.fmax(np.where(np.isnan(pace), np.inf, pace), pending)
    ahead = np.fmax(_max_ahead(current, horizon),
                    _max_ahead(np.where(np.isnan(announced), -np.inf, announced), horizon))
    buys = ahead > np.maximum(current, 0.0)
    return buys, (ahead > current) & ~buys


def rotation_test(flag: np.ndarray, buys: np.ndarray, judged: np.ndarray, cooldown: int,
                  confidence: float) -> dict:
    """Hits among fresh episodes vs the base rate, with the circular rotation p-value and band
    (module docstring) and the binomial p for reference."""
    where = np.flatnonzero(judged)
    episodes = np.array([t for t in stress_episodes(flag, cooldown) if judged[t]], dtype=np.int64)
    base = float(buys[where].mean()) if len(where) else float("nan")
    result = {"positions": episodes.tolist(), "n_episodes": int(len(episodes)),
              "hits": int(buys[episodes].sum()) if len(episodes) else 0, "base_rate": base}
    if not len(episodes) or not 0 < base < 1:
        nan = float("nan")
        return {**result, "hit_rate": nan, "difference": nan, "ci_low": nan, "ci_high": nan,
                "p_value": nan, "p_binomial": nan, "rotations": 0}
    compressed = np.searchsorted(where, episodes)
    response = buys[where].astype(float)
    offsets = np.arange(len(where))
    rates = response[(compressed[:, None] + offsets[None, :]) % len(where)].mean(axis=0)
    observed = float(rates[0])
    null = rates[1:] - base
    tail = (1.0 - confidence) / 2.0
    q_low, q_high = np.quantile(null, [tail, 1.0 - tail])
    difference = observed - base
    return {**result, "hit_rate": observed, "difference": difference,
            "ci_low": float(difference - q_high), "ci_high": float(difference - q_low),
            "p_value": float(np.mean(rates >= observed - 1e-12)),
            "p_binomial": float(stats.binomtest(result["hits"], len(episodes), base,
                                                alternative="greater").pvalue),
            "rotations": int(len(where))}


def _one(inputs: SpecInputs, claim: StressClaim, signals: dict, announced: np.ndarray,
         pending: np.ndarray, section: VerdictSection) -> dict:
    flag = inputs.signal(claim.stress_signal, signals.get(claim.stress_signal)).to_numpy(float)
    pace = inputs.signal(claim.pace_signal, signals.get(claim.pace_signal)).to_numpy(float)
    buys, eases = purchase_responses(pace, announced, pending, claim.horizon_sessions)
    judged = ~np.isnan(flag) & (np.arange(len(flag)) + claim.horizon_sessions < len(flag))
    tested = rotation_test(flag, buys, judged, claim.cooldown_sessions, section.confidence)
    positions = tested["positions"]
    return {**tested, "qt_eased": int(sum(bool(eases[t]) for t in positions)),
            "eases": eases, "buys": buys, "judged": judged}


def evaluate_stress_claim(inputs: SpecInputs, claim: StressClaim, section: VerdictSection
                          ) -> dict:
    """The primary's episodes and rotation test, and every specification's (module docstring)."""
    panel = inputs.run.panel
    start = panel.start_position
    sessions = panel.sessions[start:]
    announced, pending = (values[start:] for values in announced_paces(panel.sessions))
    variants = variants_of(claim.specifications)
    rows, primary_result = [], None
    for variant in variants:
        spec_claim = claim if variant.primary else StressClaim.model_validate(
            {**claim.model_dump(exclude={"specifications"}), **variant.spec.params})
        result = _one(inputs, spec_claim, variant.spec.signals, announced, pending, section)
        if variant.primary:
            primary_result = result
        rows.append({"name": variant.name, "about": variant.about, "primary": variant.primary,
                     "horizon_sessions": spec_claim.horizon_sessions,
                     "cooldown_sessions": spec_claim.cooldown_sessions,
                     "enough_episodes": result["n_episodes"] >= spec_claim.min_episodes,
                     **{k: result[k] for k in ("n_episodes", "hits", "qt_eased", "hit_rate",
                                               "base_rate", "difference", "ci_low", "ci_high",
                                               "p_value", "p_binomial")}})
    judged = primary_result["judged"]
    metrics = {
        "episodes": [{"date": str(sessions[t].date()),
                      "purchases_rose": bool(primary_result["buys"][t]),
                      "qt_eased": bool(primary_result["eases"][t])}
                     for t in primary_result["positions"]],
        **{k: v for k, v in rows[0].items() if k not in ("name", "about", "primary")},
        "judged_from": str(sessions[judged][0].date()) if judged.any() else "",
        "rotations": primary_result["rotations"],
    }
    return {"metrics": metrics, "specifications": rows}
