"""Fast sweeps: thousands of target-weight paths simulated and summarised without pandas.

The numbers are those of `backtests.engine.simulate` + `backtests.metrics.summarise` (vectorbt
`from_orders` with target percents, one shared cash account, sells before buys) to round-off;
the kernels live in `backtests.sweep.kernel` and `backtests.metrics_nb`.

Timing contract: weights decided at the close of session `decision_idx[r]` execute at the close
of session `decision_idx[r] + lag` (lag >= 1). Executions before `start` (the first backtest
session) or past the last session are dropped, exactly as `weights.shift(lag).iloc[start:]`
drops them. Returns are daily simple returns of sessions `start .. T-1`, the first one measured
against the initial cash.

Example (two combinations, 60/40 and 100/0, rebalanced on three dates):

    >>> plan = prepare_plan(close, decision_idx=np.array([0, 21, 42]), lag=1)
    >>> result = run_sweep(plan, weights, fees=5e-4)   # weights: (2, 3, n_sleeves)
    >>> result.frame()                                  # one row per combination
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from backtests.engine import INIT_CASH
from backtests.metrics import METRIC_NAMES, daily_risk_free
from backtests.sweep.kernel import sweep_nb


@dataclass(frozen=True)
class SweepPlan:
    """Market inputs shared by every combination: window prices and the execution calendar.

    close        (n, S) closes of the backtest window (sessions start .. T-1)
    close_ffill  (n, S) the same carried forward inside the window (valuation prices)
    close_value  (n, S) close_ffill with NaN as 0 (flat sleeves before inception add nothing)
    order_slot   (n,)   decision row executing at each window session, -1 for none
    n_decisions  R, the number of decision rows weights must have
    """

    close: np.ndarray
    close_ffill: np.ndarray
    close_value: np.ndarray
    order_slot: np.ndarray
    n_decisions: int
    start: int
    lag: int

    @property
    def n_sessions(self) -> int:
        return self.close.shape[0]

    @property
    def n_sleeves(self) -> int:
        return self.close.shape[1]


@dataclass(frozen=True)
class SweepResult:
    """Per-combination metrics (K, 8) in METRIC_NAMES order, final values (K,), and the daily
    returns (len(keep), n) of the combinations listed in `keep` (in that order)."""

    metrics: np.ndarray
    final_value: np.ndarray
    keep: np.ndarray
    returns: np.ndarray

    def frame(self) -> pd.DataFrame:
        return metrics_frame(self.metrics, self.final_value)


def metrics_frame(metrics: np.ndarray, final_value: np.ndarray) -> pd.DataFrame:
    """One row per combination: METRIC_NAMES columns, then final_value."""
    table = pd.DataFrame(metrics, columns=list(METRIC_NAMES))
    table["final_value"] = final_value
    return table


def stack_weight_frames(frames: Sequence[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """(decision_idx, weights (K, R, S)) from K strategy weight frames on the same sessions and
    sleeves (NaN rows = no rebalance). Decision rows are the union over all frames."""
    if not frames:
        raise ValueError("no weight frames to stack")
    first = frames[0]
    for frame in frames[1:]:
        if not (frame.index.equals(first.index) and frame.columns.equals(first.columns)):
            raise ValueError("weight frames must share sessions and sleeves")
    stacked = np.stack([frame.to_numpy(dtype=np.float64) for frame in frames])
    decision_idx = np.flatnonzero(~np.isnan(stacked).all(axis=(0, 2)))
    return decision_idx, np.ascontiguousarray(stacked[:, decision_idx, :])


def prepare_plan(close: np.ndarray, decision_idx: np.ndarray, lag: int = 1, start: int = 0
                 ) -> SweepPlan:
    """Check and lay out the shared inputs once per sweep.

    close         (T, S) float closes, NaN before an instrument exists (or on its gaps)
    decision_idx  (R,) strictly increasing session positions where weights are decided
    lag           sessions between decision and execution (>= 1)
    start         first backtest session (earlier sessions are warm-up; nothing trades there)
    """
    prices = np.ascontiguousarray(close, dtype=np.float64)
    if prices.ndim != 2 or prices.shape[0] < 1 or prices.shape[1] < 1:
        raise ValueError(f"close must be a (sessions, sleeves) array, got shape {prices.shape}")
    if np.any(prices[~np.isnan(prices)] <= 0) or np.any(np.isinf(prices)):
        raise ValueError("close must be positive and finite where present (NaN = no price)")
    decisions = np.asarray(decision_idx)
    if decisions.ndim != 1 or not np.issubdtype(decisions.dtype, np.integer):
        raise ValueError("decision_idx must be a 1-D integer array of session positions")
    if len(decisions) and (decisions[0] < 0 or decisions[-1] >= prices.shape[0]
                           or np.any(np.diff(decisions) <= 0)):
        raise ValueError("decision_idx must be strictly increasing positions inside close")
    if int(lag) != lag or lag < 1:
        raise ValueError("lag must be an integer >= 1: a decision at close t cannot trade at "
                         "close t")
    if not 0 <= start < prices.shape[0]:
        raise ValueError(f"start must be a session position in [0, {prices.shape[0]}), got {start}")
    window = prices[start:]
    order_slot = np.full(window.shape[0], -1, dtype=np.int64)
    executions = decisions.astype(np.int64) + int(lag) - start
    inside = (executions >= 0) & (executions < window.shape[0])
    order_slot[executions[inside]] = np.flatnonzero(inside)
    filled = np.ascontiguousarray(pd.DataFrame(window).ffill().to_numpy(dtype=np.float64))
    return SweepPlan(window, filled, np.nan_to_num(filled, nan=0.0), order_slot,
                     len(decisions), int(start), int(lag))


def risk_free_array(n_sessions: int, risk_free_annual: float = 0.0,
                    risk_free_daily: np.ndarray | None = None) -> np.ndarray:
    """(n,) daily risk-free returns for the kernels: the series when given, else the constant."""
    if risk_free_daily is None:
        return np.full(n_sessions, daily_risk_free(risk_free_annual))
    rf = np.ascontiguousarray(risk_free_daily, dtype=np.float64)
    if rf.shape != (n_sessions,) or not np.isfinite(rf).all():
        raise ValueError(f"risk_free_daily must be {n_sessions} finite daily returns, got shape "
                         f"{rf.shape}")
    return rf


def run_sweep(plan: SweepPlan, weights: np.ndarray, fees: float = 0.0, slippage: float = 0.0,
              init_cash: float = INIT_CASH, risk_free_annual: float = 0.0,
              keep: np.ndarray | list[int] | None = None,
              risk_free_daily: np.ndarray | None = None) -> SweepResult:
    """Simulate and summarise every combination of `weights` (K, R, S), in parallel.

    weights   target fractions of portfolio value per decision row and sleeve, >= 0, NaN = no
              order for that sleeve on that row (0 = sell it all)
    fees, slippage  fractions of traded notional (5 bp = 5e-4), as vectorbt takes them
    keep      combination indices whose daily returns to return (parity checks, walk-forward)
    risk_free_daily  (n,) daily risk-free returns of the window (overrides risk_free_annual)
    """
    w = np.ascontiguousarray(weights, dtype=np.float64)
    expected = (plan.n_decisions, plan.n_sleeves)
    if w.ndim != 3 or w.shape[1:] != expected:
        raise ValueError(f"weights must have shape (combos, {expected[0]}, {expected[1]}), "
                         f"got {w.shape}")
    if np.any(w < 0) or np.any(np.isinf(w)):
        raise ValueError("weights must be finite and >= 0 (long-only); NaN means no order")
    if fees < 0 or slippage < 0:
        raise ValueError("fees and slippage must be >= 0")
    keep_idx = np.asarray([] if keep is None else keep, dtype=np.int64)
    if keep_idx.size and (keep_idx.min() < 0 or keep_idx.max() >= w.shape[0]
                          or len(np.unique(keep_idx)) != len(keep_idx)):
        raise ValueError("keep must list distinct combination indices")
    keep_slot = np.full(w.shape[0], -1, dtype=np.int64)
    keep_slot[keep_idx] = np.arange(len(keep_idx))
    metrics = np.empty((w.shape[0], len(METRIC_NAMES)))
    final_value = np.empty(w.shape[0])
    returns = np.empty((len(keep_idx), plan.n_sessions))
    sweep_nb(plan.close, plan.close_ffill, plan.close_value, plan.order_slot, w, float(fees),
             float(slippage), float(init_cash),
             risk_free_array(plan.n_sessions, risk_free_annual, risk_free_daily), keep_slot,
             metrics, final_value, returns)
    return SweepResult(metrics, final_value, keep_idx, returns)
