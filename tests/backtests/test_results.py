"""A strategy that never held a position is said, not left to a Sharpe of NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd

from backtests.engine import ExecutionCosts, simulate
from backtests.results import never_held
from tests.fakes import business_days

SESSIONS = business_days("2021-01-04", 12)
PRICES = pd.DataFrame({"a": np.linspace(10, 12, 12), "b": np.linspace(5, 4, 12)}, index=SESSIONS)


def _weights(rows: dict[int, dict[str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(np.nan, index=SESSIONS, columns=PRICES.columns)
    for row, weights in rows.items():
        frame.iloc[row] = pd.Series(weights)
    return frame


def test_a_strategy_that_held_something_has_no_note():
    result = simulate(PRICES, _weights({0: {"a": 1.0, "b": 0.0}}), ExecutionCosts(lag_days=1))
    assert never_held("x", result, 1) is None


def test_a_lag_longer_than_the_window_is_named():
    result = simulate(PRICES, _weights({0: {"a": 1.0, "b": 0.0}}), ExecutionCosts(lag_days=15))
    assert never_held("x", result, 15) == (
        "strategy 'x' never held a position in 2021-01-04..2021-01-19: no decision trades inside "
        "the window (12 sessions, execution.lag_days 15); start the data earlier")


def test_weights_that_are_zero_at_every_decision_are_named():
    result = simulate(PRICES, _weights({0: {"a": 0.0, "b": 0.0}, 5: {"a": 0.0, "b": 0.0}}),
                      ExecutionCosts(lag_days=1))
    assert "its weights are 0 at every decision (its sleeves are not tradable" in \
        never_held("x", result, 1)
