"""Summary metrics against quantstats on the same returns (252-day years)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backtests.metrics import summarise


@pytest.fixture(scope="module")
def returns() -> pd.Series:
    rng = np.random.default_rng(42)
    index = pd.bdate_range("2010-01-01", periods=1500)
    return pd.Series(rng.normal(0.0004, 0.011, len(index)), index=index)


def test_metrics_agree_with_quantstats(returns):
    import quantstats as qs

    ours = summarise(returns)
    assert ours["sharpe"] == pytest.approx(qs.stats.sharpe(returns, periods=252), rel=1e-9)
    assert ours["sortino"] == pytest.approx(qs.stats.sortino(returns, periods=252), rel=1e-9)
    assert ours["cagr"] == pytest.approx(qs.stats.cagr(returns, periods=252), rel=1e-9)
    assert ours["volatility"] == pytest.approx(qs.stats.volatility(returns, periods=252), rel=1e-9)
    assert ours["max_drawdown"] == pytest.approx(qs.stats.max_drawdown(returns), rel=1e-9)
    assert ours["max_drawdown"] < 0


def test_metrics_agree_with_vectorbt_at_252_days(returns):
    from backtests.engine import configure_vectorbt

    configure_vectorbt()
    accessor = returns.vbt.returns(freq="1D")
    ours = summarise(returns)
    assert ours["sharpe"] == pytest.approx(accessor.sharpe_ratio(), rel=1e-9)
    assert ours["cagr"] == pytest.approx(accessor.annualized(), rel=1e-9)
    assert ours["volatility"] == pytest.approx(accessor.annualized_volatility(), rel=1e-9)
    assert ours["max_drawdown"] == pytest.approx(accessor.max_drawdown(), rel=1e-9)


def test_risk_free_rate_lowers_sharpe(returns):
    assert summarise(returns, risk_free_annual=0.03)["sharpe"] < summarise(returns)["sharpe"]
