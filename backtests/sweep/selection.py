"""After the chunks: which combinations are eligible, which one wins, and how much to trust it.

- Eligible: every `sweep.constraints` bound holds on the full-sample metrics and the selection
  metric is finite. The winner is the eligible combination with the best metric (max, or min for
  volatility/turnover), the lowest combination index on ties.
- Samples (seeded, `sweep.seed`): the parity sample (`parity_samples` combinations other than the
  winner, from all combinations) and the PBO sample (at most `pbo_max_combos` = M eligible
  combinations, always including the winner; all of them when there are fewer).
- Deflated Sharpe of the winner: N = number of eligible combinations (the trials), V = variance of
  their per-period Sharpes, skewness/kurtosis of the winner's daily excess returns.
- PBO by CSCV on the PBO sample's daily returns (T x M). A sweep of K combinations cannot keep
  T x K returns (100,000 x 4,600 sessions = 3.7 GB); M caps it (2,000 x 4,600 x 8 B = 74 MB). CSCV's
  statistic is the per-period Sharpe, or the mean return when the selection metric is
  total_return/cagr (a monotone stand-in over a fixed period).
- Parity: the winner and the parity sample are rerun through `backtests.engine.simulate` (vectorbt
  Portfolio.from_orders) + `backtests.metrics.summarise`; the largest relative gap in final value
  must not exceed 1e-9.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from backtests.engine import ExecutionCosts, simulate
from backtests.metrics import METRIC_NAMES, summarise
from backtests.overfitting import (
    DeflatedSharpe, PBOResult, deflated_sharpe_of_returns, pbo_cscv, trial_sharpe_variance,
)
from backtests.sweep.chunks import Bounds, oriented, passes
from feeds.errors import LiqbtError

PARITY_TOLERANCE = 1e-9


class SweepParityError(LiqbtError):
    """The fast path disagreed with vectorbt's Portfolio: a bug, not a user mistake (exit 1)."""

    exit_code = 1


def eligible_mask(metrics: np.ndarray, metric: str, bounds: Bounds) -> np.ndarray:
    return passes(metrics, bounds) & np.isfinite(metrics[:, METRIC_NAMES.index(metric)])


def select_best(metrics: np.ndarray, metric: str, eligible: np.ndarray) -> int:
    """Index of the winner among eligible rows (first on ties); -1 when none is eligible."""
    if not eligible.any():
        return -1
    scores = np.where(eligible, oriented(metrics[:, METRIC_NAMES.index(metric)], metric), -np.inf)
    return int(np.argmax(scores))


def parity_sample(n_combos: int, best: int, size: int, seed: int) -> np.ndarray:
    """`size` distinct combinations other than `best`, seeded, sorted."""
    others = np.setdiff1d(np.arange(n_combos), [best])
    rng = np.random.default_rng([seed, 1])
    return np.sort(rng.choice(others, size=min(size, len(others)), replace=False))


def pbo_sample(eligible: np.ndarray, best: int, max_combos: int, seed: int) -> np.ndarray:
    """At most `max_combos` eligible combinations, always including `best`, seeded, sorted."""
    candidates = np.flatnonzero(eligible)
    if len(candidates) <= max_combos:
        return candidates
    others = np.setdiff1d(candidates, [best])
    rng = np.random.default_rng([seed, 2])
    return np.sort(np.r_[rng.choice(others, size=max_combos - 1, replace=False), best])


def pbo_statistic(metric: str) -> str:
    return "mean" if metric in ("total_return", "cagr") else "sharpe"


@dataclass(frozen=True)
class Overfitting:
    deflated: DeflatedSharpe
    pbo: PBOResult | None
    pbo_note: str
    sample_size: int


def overfitting_stats(metrics: np.ndarray, eligible: np.ndarray, metric: str,
                      best_returns: np.ndarray, sample_returns: np.ndarray, n_splits: int,
                      risk_free_daily: np.ndarray, seed: int) -> Overfitting:
    """DSR of the winner and PBO over the sample's returns (M, n), both in excess of the daily
    risk-free returns (n,)."""
    sharpes = metrics[eligible, METRIC_NAMES.index("sharpe")]
    deflated = deflated_sharpe_of_returns(best_returns, int(eligible.sum()),
                                          trial_sharpe_variance(sharpes), risk_free_daily)
    if sample_returns.shape[0] < 2:
        return Overfitting(deflated, None, "PBO needs at least 2 eligible combinations",
                           sample_returns.shape[0])
    if sample_returns.shape[1] < 2 * n_splits:
        return Overfitting(deflated, None, f"{sample_returns.shape[1]} sessions are too few for "
                           f"{n_splits} CSCV splits", sample_returns.shape[0])
    excess = sample_returns.T - np.asarray(risk_free_daily)[:, None]
    pbo = pbo_cscv(excess, n_splits, pbo_statistic(metric), seed=seed)
    return Overfitting(deflated, pbo, "", sample_returns.shape[0])


def relative_gap(a: float, b: float) -> float:
    if (np.isnan(a) and np.isnan(b)) or a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


@dataclass(frozen=True)
class Parity:
    combos: list[int]
    max_rel: float                 # final value: the pass/fail number
    metrics_max_rel: float         # the eight metrics, for information
    worst_combo: int
    fast_value: float
    vectorbt_value: float

    @property
    def ok(self) -> bool:
        return self.max_rel <= PARITY_TOLERANCE


def check_parity(prices: pd.DataFrame, frames: dict[int, pd.DataFrame], costs: ExecutionCosts,
                 start: int, final_value: np.ndarray, metrics: np.ndarray,
                 risk_free_daily: np.ndarray) -> Parity:
    """Rerun each combination's weight frame through vectorbt and compare with the sweep's row."""
    worst = (-1, 0.0, np.nan, np.nan)
    metrics_gap = 0.0
    for combo, frame in frames.items():
        full = simulate(prices, frame, costs, start)
        value = float(full.portfolio.value().iloc[-1])
        gap = relative_gap(float(final_value[combo]), value)
        if gap >= worst[1]:
            worst = (combo, gap, float(final_value[combo]), value)
        rf = pd.Series(risk_free_daily, index=full.returns.index)
        expected = summarise(full.returns, full.traded_fraction, risk_free_daily=rf)
        metrics_gap = max([metrics_gap] + [relative_gap(float(metrics[combo, j]), expected[name])
                                           for j, name in enumerate(METRIC_NAMES)])
    return Parity(sorted(frames), worst[1], metrics_gap, worst[0], worst[2], worst[3])
