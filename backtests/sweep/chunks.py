"""One chunk of a streamed sweep: build its weights, simulate and summarise every combination,
and score each walk-forward train window.

`compute_chunk` is a pure function of a `SweepJob` (market, rule, plan, costs — the same for every
chunk) and the chunk's rows of the combinations table, so the local loop and dask workers produce
the same bits, and a chunk computed before an interruption equals the one computed after.

Walk-forward scores are computed here, chunk by chunk, from each combination's returns on the train
windows only (never a test session): a (combos, windows) table of numbers instead of T x K returns.
A score is the selection metric oriented higher-is-better (volatility and turnover negated), NaN
where the combination misses a constraint on that train window (turnover constraints cannot be
checked on returns alone and are not applied to windows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from backtests.config import LOWER_IS_BETTER
from backtests.metrics import METRIC_NAMES
from backtests.metrics_nb import column_metrics_nb
from backtests.sweep.simulate import SweepPlan, metrics_frame, run_sweep
from strategies import StrategyContext, build_weight_grid

Bounds = tuple[tuple[str, float | None, float | None], ...]


@dataclass(frozen=True)
class SweepJob:
    """Everything a chunk needs besides its rows; shipped once to each dask worker."""

    context: StrategyContext
    rule: str
    params: dict
    rebalance: str
    plan: SweepPlan
    fees: float
    slippage: float
    risk_free_daily: np.ndarray   # (n,) the backtest window's daily risk-free returns
    metric: str
    window_bounds: Bounds = ()                       # constraints applied on train windows
    train_windows: tuple[tuple[int, int], ...] = ()  # (start, stop) in backtest-window positions


@dataclass(frozen=True)
class ChunkResult:
    """Metrics (k, 8) in METRIC_NAMES order, final values (k,), window scores (k, W)."""

    index: int
    metrics: np.ndarray
    final_value: np.ndarray
    window_scores: np.ndarray

    def frame(self) -> pd.DataFrame:
        frame = metrics_frame(self.metrics, self.final_value)
        for w in range(self.window_scores.shape[1]):
            frame[f"wf_score_{w}"] = self.window_scores[:, w]
        return frame

    @classmethod
    def from_frame(cls, index: int, frame: pd.DataFrame) -> "ChunkResult":
        scores = [c for c in frame.columns if c.startswith("wf_score_")]
        return cls(index, frame[list(METRIC_NAMES)].to_numpy(dtype=np.float64),
                   frame["final_value"].to_numpy(dtype=np.float64),
                   frame[scores].to_numpy(dtype=np.float64).reshape(len(frame), len(scores)))


def oriented(values: np.ndarray, metric: str) -> np.ndarray:
    """`metric` values turned higher-is-better."""
    return -values if metric in LOWER_IS_BETTER else values


def passes(metrics: np.ndarray, bounds: Bounds) -> np.ndarray:
    """(k,) True where every bounded metric is inside its bounds (NaN fails)."""
    keep = np.ones(metrics.shape[0], dtype=bool)
    for name, lower, upper in bounds:
        column = metrics[:, METRIC_NAMES.index(name)]
        with np.errstate(invalid="ignore"):
            if lower is not None:
                keep &= column >= lower
            if upper is not None:
                keep &= column <= upper
    return keep


def window_scores(returns: np.ndarray, windows: tuple[tuple[int, int], ...], metric: str,
                  bounds: Bounds, risk_free_daily: np.ndarray) -> np.ndarray:
    """(k, W) selection scores of each combination (row of `returns` (k, n)) on each window;
    `risk_free_daily` (n,) the daily risk-free returns of the same sessions."""
    scores = np.full((returns.shape[0], len(windows)), np.nan)
    slot = METRIC_NAMES.index(metric)
    for w, (start, stop) in enumerate(windows):
        out = np.empty((returns.shape[0], len(METRIC_NAMES)))
        column_metrics_nb(np.ascontiguousarray(returns[:, start:stop]),
                          np.ascontiguousarray(risk_free_daily[start:stop]), out)
        scores[:, w] = np.where(passes(out, bounds), oriented(out[:, slot], metric), np.nan)
    return scores


def build_chunk_weights(job: SweepJob, combos: pd.DataFrame) -> np.ndarray:
    """(k, R, S) target weights of the given combination rows."""
    built = build_weight_grid(job.context, job.rule, job.params, job.rebalance, combos=combos)
    if built.weights.shape[1] != job.plan.n_decisions:
        raise ValueError("a chunk's decision sessions differ from the sweep plan's")
    return built.weights


def compute_chunk(job: SweepJob, index: int, combos: pd.DataFrame,
                  numba_threads: int | None = None) -> ChunkResult:
    """Simulate and summarise one chunk; `numba_threads` caps numba's pool (dask workers)."""
    if numba_threads is not None:
        import numba

        numba.set_num_threads(max(1, min(numba_threads, numba.config.NUMBA_NUM_THREADS)))
    weights = build_chunk_weights(job, combos)
    keep = np.arange(len(combos)) if job.train_windows else None
    result = run_sweep(job.plan, weights, job.fees, job.slippage, keep=keep,
                       risk_free_daily=job.risk_free_daily)
    scores = (window_scores(result.returns, job.train_windows, job.metric, job.window_bounds,
                            job.risk_free_daily)
              if job.train_windows else np.empty((len(combos), 0)))
    return ChunkResult(index, result.metrics, result.final_value, scores)
