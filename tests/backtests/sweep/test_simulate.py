"""The fast sweep against the system of record: every combination checked equals
`backtests.engine.simulate` (vectorbt from_orders) + `backtests.metrics.summarise`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backtests.engine import ExecutionCosts, simulate
from backtests.metrics import METRIC_NAMES, summarise
from backtests.sweep.simulate import prepare_plan, run_sweep, stack_weight_frames
from tests.fakes import business_days

SLEEVES = ["stocks", "bonds", "gold", "late"]


def random_prices(seed: int, sessions: pd.DatetimeIndex, inception: int = 150,
                  gap: slice | None = None) -> pd.DataFrame:
    """Log-normal paths; the last sleeve only exists from row `inception` on; the first sleeve
    optionally has no close on the `gap` rows (held at its last close, no orders there)."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0003, 0.012, size=(len(sessions), len(SLEEVES)))
    prices = pd.DataFrame(100 * np.exp(np.cumsum(steps, axis=0)), index=sessions, columns=SLEEVES)
    prices.iloc[:inception, -1] = np.nan
    if gap is not None:
        prices.iloc[gap, 0] = np.nan
    return prices


def month_starts(sessions: pd.DatetimeIndex) -> np.ndarray:
    return np.flatnonzero(np.r_[True, sessions.month[1:] != sessions.month[:-1]])


def random_weight_sets(seed: int, n_combos: int, decisions: np.ndarray, sessions_len: int,
                       inception: int = 150) -> np.ndarray:
    """Half fully invested (sum = 1, the cash-limited last buy), half 60-100% invested; zeros,
    a skipped rebalance (NaN row); before the last sleeve exists, even combinations send it no
    order (NaN) and odd ones a target that cannot fill (no price), leaving cash idle."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(len(SLEEVES)), size=(n_combos, len(decisions)))
    weights[1::2] *= rng.uniform(0.6, 1.0, size=(n_combos // 2, len(decisions), 1))
    weights[::3, ::4, 1] = 0.0
    weights[::2, decisions < inception, -1] = np.nan
    if n_combos > 2:
        weights[2, 5, :] = np.nan
    return weights


def frame_of(weights: np.ndarray, decisions: np.ndarray, sessions: pd.DatetimeIndex
             ) -> pd.DataFrame:
    frame = pd.DataFrame(np.nan, index=sessions, columns=SLEEVES)
    frame.iloc[decisions] = weights
    return frame


def relative_gap(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


@pytest.mark.parametrize("lag, start, fees_bps, slippage_bps", [
    (1, 0, 5.0, 0.0), (2, 40, 10.0, 5.0), (1, 200, 25.0, 10.0)])
def test_sweep_equals_vectorbt_for_every_combo(lag, start, fees_bps, slippage_bps):
    sessions = business_days("2012-01-02", 640)
    prices = random_prices(lag + start, sessions, gap=slice(300, 330))
    decisions = month_starts(sessions)
    weights = random_weight_sets(start, 8, decisions, len(sessions))
    costs = ExecutionCosts(fees_bps, slippage_bps, lag)
    plan = prepare_plan(prices.to_numpy(), decisions, lag, start)
    result = run_sweep(plan, weights, fees_bps / 1e4, slippage_bps / 1e4, keep=range(8))
    for k in range(len(weights)):
        full = simulate(prices, frame_of(weights[k], decisions, sessions), costs, start)
        expected_returns = full.returns.to_numpy()
        assert len(expected_returns) == len(sessions) - start
        scale = np.maximum(np.abs(expected_returns), 1e-3)
        assert np.max(np.abs(result.returns[k] - expected_returns) / scale) <= 1e-9
        final = float(full.portfolio.value().iloc[-1])
        assert relative_gap(result.final_value[k], final) <= 1e-9
        expected = summarise(full.returns, full.traded_fraction)
        for j, name in enumerate(METRIC_NAMES):
            assert relative_gap(result.metrics[k, j], expected[name]) <= 1e-9, (k, name)


def test_risk_free_rate_reaches_the_sweep_metrics():
    sessions = business_days("2015-01-01", 300)
    prices = random_prices(5, sessions, inception=0)
    decisions = month_starts(sessions)
    weights = random_weight_sets(5, 2, decisions, len(sessions), inception=0)
    plan = prepare_plan(prices.to_numpy(), decisions, 1)
    result = run_sweep(plan, weights, 5e-4, risk_free_annual=0.03, keep=[1])
    full = simulate(prices, frame_of(weights[1], decisions, sessions), ExecutionCosts(5, 0, 1))
    expected = summarise(full.returns, full.traded_fraction, risk_free_annual=0.03)
    assert relative_gap(result.metrics[1, METRIC_NAMES.index("sharpe")], expected["sharpe"]) <= 1e-9
    assert result.metrics[1, 2] < run_sweep(plan, weights, 5e-4).metrics[1, 2]


def test_real_snapshot_combos_equal_vectorbt(snapshot):
    from feeds.instruments import TickerInstrument
    from feeds.panel import PointInTimePanel
    from feeds.snapshot import SnapshotSource

    tickers = {"equities": "SPY", "gold": "GLD", "small_caps": "IWM", "treasuries": "IEF"}
    panel = PointInTimePanel(SnapshotSource(snapshot),
                             {name: TickerInstrument(ticker=t) for name, t in tickers.items()},
                             start=pd.Timestamp("2008-01-02"))
    prices = panel.sleeve_prices
    sessions = prices.index
    decisions = month_starts(sessions)
    rng = np.random.default_rng(2008)
    weights = rng.dirichlet(np.ones(4), size=(3, len(decisions)))
    weights[0] *= 0.8
    frames = [pd.DataFrame(np.nan, index=sessions, columns=prices.columns) for _ in range(3)]
    for frame, combo in zip(frames, weights):
        frame.iloc[decisions] = combo
    decision_idx, stacked = stack_weight_frames(frames)
    assert np.array_equal(decision_idx, decisions)
    plan = prepare_plan(prices.to_numpy(), decision_idx, 1, panel.start_position)
    result = run_sweep(plan, stacked, 5e-4, 2e-4)
    for k, frame in enumerate(frames):
        full = simulate(prices, frame, ExecutionCosts(5, 2, 1), panel.start_position)
        final = float(full.portfolio.value().iloc[-1])
        assert relative_gap(result.final_value[k], final) <= 1e-9
        sharpe = summarise(full.returns, full.traded_fraction)["sharpe"]
        assert relative_gap(result.metrics[k, METRIC_NAMES.index("sharpe")], sharpe) <= 1e-9


def test_a_decision_trades_at_t_plus_lag_and_not_before():
    sessions = business_days("2019-01-01", 120)
    prices = random_prices(9, sessions, inception=0).to_numpy()
    decisions = np.array([0, 60])
    weights = np.array([[[0.5, 0.5, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0]],
                        [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]])
    for lag in (1, 3):
        result = run_sweep(prepare_plan(prices, decisions, lag), weights, 1e-3, keep=[0, 1])
        same, changed = result.returns
        assert np.array_equal(same[: 60 + lag], changed[: 60 + lag])
        assert same[60 + lag] != changed[60 + lag]          # the switch pays its costs then
        assert np.all(same[: lag] == 0.0)                    # nothing held before execution


def test_executions_outside_the_window_are_dropped():
    sessions = business_days("2019-01-01", 50)
    prices = random_prices(4, sessions, inception=0).to_numpy()
    plan = prepare_plan(prices, np.array([8, 9, 30, 49]), lag=2, start=10)
    # 8+2 = first window row, 9+2 inside, 30+2 inside, 49+2 past the end.
    assert list(np.flatnonzero(plan.order_slot >= 0)) == [0, 1, 22]
    assert list(plan.order_slot[[0, 1, 22]]) == [0, 1, 2]


@pytest.mark.parametrize("bad, message", [
    ({"lag": 0}, "lag must be an integer >= 1"),
    ({"decision_idx": np.array([5, 3])}, "strictly increasing"),
    ({"start": 99}, "start must be"),
])
def test_plan_refuses_bad_timing(bad, message):
    prices = random_prices(1, business_days("2020-01-01", 20), inception=0).to_numpy()
    arguments = {"close": prices, "decision_idx": np.array([0, 10]), "lag": 1, "start": 0} | bad
    with pytest.raises(ValueError, match=message):
        prepare_plan(**arguments)


def test_sweep_refuses_short_or_misshapen_weights():
    prices = random_prices(1, business_days("2020-01-01", 20), inception=0).to_numpy()
    plan = prepare_plan(prices, np.array([0, 10]), 1)
    with pytest.raises(ValueError, match="long-only"):
        run_sweep(plan, np.full((1, 2, 4), -0.1))
    with pytest.raises(ValueError, match="must have shape"):
        run_sweep(plan, np.full((1, 3, 4), 0.25))
