"""The engine against an independent numpy re-implementation, and the execution lag."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backtests.engine import ExecutionCosts, simulate
from strategies import StrategyContext, build_weights
from tests.fakes import business_days


def reference_returns(prices: np.ndarray, orders: np.ndarray, fee: float, slip: float,
                      cash: float = 1_000_000.0) -> np.ndarray:
    """Plain loop: target-percent rebalances valued at the close, sells before buys, cash-limited
    buys, proportional fees, slippage against the trader."""
    n, m = prices.shape
    position = np.zeros(m)
    values = np.empty(n)
    previous_value = cash
    returns = np.empty(n)
    for i in range(n):
        p = prices[i]
        if not np.all(np.isnan(orders[i])):
            value = cash + np.nansum(position * p)
            delta = orders[i] * value / p - position
            for j in np.argsort(delta * p, kind="stable"):
                if np.isnan(delta[j]) or delta[j] == 0:
                    continue
                if delta[j] < 0:
                    proceeds = -delta[j] * p[j] * (1 - slip)
                    cash += proceeds - proceeds * fee
                    position[j] += delta[j]
                else:
                    price = p[j] * (1 + slip)
                    size = delta[j]
                    if size * price * (1 + fee) > cash:
                        size = cash / (1 + fee) / price
                        cash = 0.0
                    else:
                        cash -= size * price * (1 + fee)
                    position[j] += size
        values[i] = cash + np.nansum(position * p)
        returns[i] = values[i] / previous_value - 1
        previous_value = values[i]
    return returns


def random_prices(seed: int, sessions: pd.DatetimeIndex, sleeves: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0003, 0.012, size=(len(sessions), len(sleeves)))
    return pd.DataFrame(100 * np.exp(np.cumsum(steps, axis=0)), index=sessions, columns=sleeves)


def test_fixed_weight_monthly_portfolio_matches_numpy_loop():
    sessions = business_days("2015-01-01", 800)
    prices = random_prices(7, sessions, ["stocks", "bonds"])
    context = StrategyContext(sessions, prices, start_position=0)
    weights = build_weights(context, "fixed_weights", {"weights": {"stocks": 0.6, "bonds": 0.4}},
                            "monthly")
    costs = ExecutionCosts(fees_bps=10, slippage_bps=5, lag_days=1)
    result = simulate(prices, weights, costs)
    expected = reference_returns(prices.to_numpy(), weights.shift(1).to_numpy(), 10e-4, 5e-4)
    assert np.max(np.abs(result.returns.to_numpy() - expected)) < 1e-9
    assert weights.notna().any(axis=1).sum() == len(sessions.to_period("M").unique())


def test_full_allocation_with_costs_matches_numpy_loop():
    """Weights summing to 1 exercise the cash-limited last buy."""
    sessions = business_days("2016-03-01", 300)
    prices = random_prices(11, sessions, ["a", "b", "c"])
    context = StrategyContext(sessions, prices)
    weights = build_weights(context, "fixed_weights", {"weights": {"a": 0.5, "b": 0.3, "c": 0.2}},
                            "weekly")
    result = simulate(prices, weights, ExecutionCosts(25, 10, 2))
    expected = reference_returns(prices.to_numpy(), weights.shift(2).to_numpy(), 25e-4, 10e-4)
    assert np.max(np.abs(result.returns.to_numpy() - expected)) < 1e-9


def _regime_runs(lag: int, costs_bps: float, t: int = 120):
    sessions = business_days("2018-01-01", 260)
    prices = random_prices(3, sessions, ["risk", "safe"])
    labels = pd.Series("calm", index=sessions)
    table = {"calm": {"risk": 0.9, "safe": 0.1}, "alarm": {"risk": 0.1, "safe": 0.9}}
    params = {"regime_signal": "regime", "weights": table, "fallback": "calm"}
    flipped = labels.copy()
    flipped.iloc[t:] = "alarm"
    runs = []
    for signal in (labels, flipped):
        context = StrategyContext(sessions, prices, {"regime": signal})
        weights = build_weights(context, "liquidity_regime", params, "daily")
        runs.append(simulate(prices, weights, ExecutionCosts(costs_bps, costs_bps, lag)).returns)
    return runs


@pytest.mark.parametrize("lag", [1, 2, 5])
def test_changing_a_signal_at_t_changes_no_return_on_or_before_t_plus_lag(lag):
    t = 120
    base, changed = _regime_runs(lag, costs_bps=0.0, t=t)
    # Rebalancing at the close of t+lag leaves that session's value unchanged up to round-off.
    assert np.allclose(base.iloc[: t + lag + 1].to_numpy(), changed.iloc[: t + lag + 1].to_numpy(),
                       rtol=0, atol=1e-12)
    assert not np.allclose(base.iloc[t + lag + 1:].to_numpy(), changed.iloc[t + lag + 1:].to_numpy())


def test_trade_costs_are_booked_at_the_execution_close_and_not_before():
    """With costs, the trade at the close of t+lag pays fees in that session's return; the
    exposure (and every earlier return) is unchanged."""
    t, lag = 120, 1
    base, changed = _regime_runs(lag, costs_bps=10.0, t=t)
    assert np.array_equal(base.iloc[: t + lag].to_numpy(), changed.iloc[: t + lag].to_numpy())
    cost_hit = base.iloc[t + lag] - changed.iloc[t + lag]
    # Moving 80% of the book costs about 0.8 * 2 legs * (10 bp fee + 10 bp slippage).
    assert 0 < cost_hit < 0.8 * 2 * 20e-4 * 1.05


def test_lag_below_one_is_refused():
    sessions = business_days("2020-01-01", 10)
    prices = random_prices(1, sessions, ["a"])
    weights = pd.DataFrame({"a": 1.0}, index=sessions)
    with pytest.raises(ValueError, match="lag_days must be >= 1"):
        simulate(prices, weights, ExecutionCosts(lag_days=0))
