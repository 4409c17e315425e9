"""Walk-forward selection: re-pick the best combination on each train window, trade it next.

Given every combination's daily returns (from a sweep), windows roll forward through the
sessions:

    train [s, s + train)   embargo + lag (skipped)   test [s + train + embargo + lag, ... + test)

The selection is made at the close of the train window's last session and, like every decision,
trades `lag` sessions later (lag >= 1), so the chosen combination's returns count from the session
after that trade: never from the session right after the deciding close.

and `s` advances by `step` (default: `test`, so test windows tile the sample without gaps or
overlap). The combination scoring best on the train window -- computed from train rows ONLY --
is held over its test window; when test windows overlap (step < test) the newer selection takes
over at its first test session, and when step > test the sessions in between are not traded (no
out-of-sample return). The stitched out-of-sample returns are summarised with
`backtests.metrics.summary_metrics`; the in-sample figures are the chosen combinations' metrics
on their own train windows, averaged over windows.

Returns can be an array / DataFrame (sessions x combinations) or a callable
`returns_for(start, stop) -> (stop - start, K) array`, so a sweep can regenerate any window on
demand instead of holding T x K in memory. Turnover is NaN here (returns carry no trades).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Union

import numpy as np
import pandas as pd

from backtests.config import LOWER_IS_BETTER
from backtests.metrics import METRIC_NAMES, daily_risk_free, summary_metrics
from backtests.metrics_nb import column_metrics_nb

ReturnsSource = Union[np.ndarray, pd.DataFrame, Callable[[int, int], np.ndarray]]
Selector = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class WalkForwardWindow:
    """One re-selection: session positions (stops exclusive) and what it chose."""

    train_start: int
    train_stop: int
    test_start: int
    test_stop: int          # last traded session + 1 after stitching (<= the nominal test end)
    chosen: int             # combination index
    in_sample_score: float  # the selection score of `chosen` on the train window


@dataclass(frozen=True)
class WalkForwardResult:
    windows: list[WalkForwardWindow]
    oos_returns: np.ndarray        # stitched out-of-sample daily returns
    oos_positions: np.ndarray      # their session positions
    in_sample: dict[str, float]
    out_of_sample: dict[str, float]
    index: pd.Index | None = None  # session labels when the input was a DataFrame

    def table(self) -> pd.DataFrame:
        """One row per window; dates beside positions when known."""
        table = pd.DataFrame([asdict(w) for w in self.windows])
        if self.index is not None and len(table):
            table["train_from"] = self.index[table["train_start"]]
            table["test_from"] = self.index[table["test_start"]]
            table["test_to"] = self.index[table["test_stop"] - 1]
        return table

    def oos_series(self) -> pd.Series:
        labels = self.index[self.oos_positions] if self.index is not None else self.oos_positions
        return pd.Series(self.oos_returns, index=labels, name="walk_forward_oos")


def score_columns(window: np.ndarray, metric: str, risk_free_annual: float = 0.0,
                  risk_free_daily: np.ndarray | None = None) -> np.ndarray:
    """Every column's `metric` (a METRIC_NAMES entry except turnover) on a (rows, K) window,
    oriented so that higher is better (volatility is negated); `risk_free_daily` (rows,) the
    window's daily risk-free returns, else the annual constant."""
    if metric not in METRIC_NAMES or metric == "turnover":
        raise ValueError(f"unknown selection metric {metric!r}: use one of "
                         f"{[m for m in METRIC_NAMES if m != 'turnover']} or a callable")
    by_column = np.ascontiguousarray(np.asarray(window, dtype=np.float64).T)
    out = np.empty((by_column.shape[0], len(METRIC_NAMES)))
    rf = (np.full(by_column.shape[1], daily_risk_free(risk_free_annual))
          if risk_free_daily is None else np.ascontiguousarray(risk_free_daily, dtype=np.float64))
    column_metrics_nb(by_column, rf, out)
    scores = out[:, METRIC_NAMES.index(metric)]
    return -scores if metric in LOWER_IS_BETTER else scores


def plan_windows(n_sessions: int, train: int, test: int, step: int | None = None,
                 embargo: int = 0, start: int = 0, lag: int = 1) -> list[tuple[int, int, int, int]]:
    """(train_start, train_stop, test_start, test_stop) per window, test stops already cut where
    the next window's test begins (or at the last session)."""
    step = test if step is None else step
    if train < 2 or test < 1 or step < 1 or embargo < 0 or start < 0 or lag < 1:
        raise ValueError("need train >= 2, test >= 1, step >= 1, embargo >= 0, start >= 0, "
                         "lag >= 1")
    nominal = []
    first = start
    while first + train + embargo + lag < n_sessions:
        test_start = first + train + embargo + lag
        nominal.append((first, first + train, test_start, min(test_start + test, n_sessions)))
        first += step
    windows = []
    for j, (a, b, c, d) in enumerate(nominal):
        stop = min(d, nominal[j + 1][2]) if j + 1 < len(nominal) else d
        windows.append((a, b, c, stop))
    return windows


def walk_forward(returns: ReturnsSource, train: int, test: int, step: int | None = None,
                 embargo: int = 0, select: str | Selector = "sharpe",
                 n_sessions: int | None = None, start: int = 0,
                 risk_free_annual: float = 0.0, lag: int = 1,
                 risk_free_daily: np.ndarray | None = None) -> WalkForwardResult:
    """Rolling re-selection over `returns` (sessions x combinations), see the module docstring.

    train, test, step, embargo  lengths in sessions; start = first session of the first train
    select       metric name (higher better; volatility lower) or callable(train (rows, K)) -> K
                 scores, higher better
    n_sessions   required when `returns` is a callable
    risk_free_daily  daily risk-free returns of every session (overrides risk_free_annual)
    """
    def rf_of(a: int, b: int) -> np.ndarray | None:
        return None if risk_free_daily is None else np.asarray(risk_free_daily)[a:b]

    index = returns.index if isinstance(returns, pd.DataFrame) else None
    if callable(returns):
        if n_sessions is None:
            raise ValueError("n_sessions is required when returns is a callable")
        source, total = returns, int(n_sessions)
    else:
        matrix = np.asarray(returns, dtype=np.float64)
        if matrix.ndim != 2:
            raise ValueError("returns must be a (sessions, combinations) array")
        source, total = (lambda a, b: matrix[a:b]), matrix.shape[0]
    windows: list[WalkForwardWindow] = []
    pieces, positions, in_sample = [], [], []
    for train_start, train_stop, test_start, test_stop in plan_windows(
            total, train, test, step, embargo, start, lag):
        train_returns = np.asarray(source(train_start, train_stop), dtype=np.float64)
        scores = (np.asarray(select(train_returns), dtype=float) if callable(select)
                  else score_columns(train_returns, select, risk_free_annual,
                                     rf_of(train_start, train_stop)))
        if not np.isfinite(scores).any():
            raise ValueError(f"no combination has a finite score on train window "
                             f"[{train_start}, {train_stop})")
        chosen = int(np.nanargmax(np.where(np.isfinite(scores), scores, np.nan)))
        windows.append(WalkForwardWindow(train_start, train_stop, test_start, test_stop, chosen,
                                         float(scores[chosen])))
        in_sample.append(summary_metrics(train_returns[:, chosen], None, risk_free_annual,
                                         rf_of(train_start, train_stop)))
        pieces.append(np.asarray(source(test_start, test_stop), dtype=np.float64)[:, chosen])
        positions.append(np.arange(test_start, test_stop))
    if not windows:
        raise ValueError(f"no walk-forward window fits: {total} sessions, train {train}, "
                         f"embargo {embargo}, start {start}")
    oos = np.concatenate(pieces)
    oos_positions = np.concatenate(positions)
    mean_in_sample = {name: float(np.nanmean([m[name] for m in in_sample]))
                      if any(np.isfinite(m[name]) for m in in_sample) else float("nan")
                      for name in METRIC_NAMES}
    oos_rf = None if risk_free_daily is None else np.asarray(risk_free_daily)[oos_positions]
    return WalkForwardResult(windows, oos, oos_positions, mean_in_sample,
                             summary_metrics(oos, None, risk_free_annual, oos_rf), index)
