"""One risk-free convention: a constant or a sleeve's daily return, the same in summary.json, the
tearsheets (quantstats takes the series) and sweeps (the kernel takes daily returns)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from backtests.config import RiskFreeSection
from backtests.engine import ExecutionCosts, simulate
from backtests.metrics import METRIC_NAMES, summarise
from backtests.sweep.simulate import prepare_plan, run_sweep
from tests.fakes import business_days


def test_the_risk_free_asset_in_excess_of_itself_has_sharpe_zero():
    rf = pd.Series(np.random.default_rng(0).uniform(0, 2e-4, 500), index=business_days(
        "2020-01-01", 500))
    held = rf * (1 + 1e-15)                            # float round-off of holding it
    assert summarise(held, risk_free_daily=rf)["sharpe"] == 0.0
    assert summarise(held, risk_free_annual=0.0)["sharpe"] > 5          # bills' "Sharpe 9.80"
    assert RiskFreeSection(sleeve="cash").describe() == "the daily return of sleeve cash"
    assert RiskFreeSection().constant == 0.0


def test_quantstats_gets_the_series_and_its_sharpe_is_the_summary_sharpe():
    import quantstats as qs

    from reports.tearsheet import quantstats_risk_free

    sessions = business_days("2018-01-01", 800)
    rng = np.random.default_rng(3)
    returns = pd.Series(rng.normal(5e-4, 0.01, 800), index=sessions)
    rf = pd.Series(np.linspace(0.0, 2e-4, 800), index=sessions)
    rates = quantstats_risk_free(rf)
    assert f"{rates:.1%}" == f"{float(rates.mean()):.1%}"                 # its "RF: x%" header
    assert qs.stats.sharpe(returns, rf=rates, periods=252) == pytest.approx(
        summarise(returns, risk_free_daily=rf)["sharpe"], rel=1e-9)


def test_the_sweep_kernel_takes_daily_risk_free_returns_bit_for_bit(snapshot):
    from feeds.instruments import TBillInstrument, TickerInstrument
    from feeds.panel import PointInTimePanel
    from feeds.snapshot import SnapshotSource

    panel = PointInTimePanel(SnapshotSource(snapshot), {
        "equities": TickerInstrument(ticker="SPY"), "cash": TBillInstrument(tbill="DTB3")},
        start=pd.Timestamp("2019-01-02"), end=pd.Timestamp("2021-12-31"))
    prices = panel.sleeve_prices
    rf = prices["cash"].iloc[panel.start_position:].pct_change().fillna(0.0)
    decisions = np.flatnonzero(prices.index.is_month_start | (prices.index.day <= 3))[::3]
    weights = np.array([[[0.6, 0.4]] * len(decisions), [[1.0, 0.0]] * len(decisions)])
    plan = prepare_plan(prices.to_numpy(), decisions, 1, panel.start_position)
    result = run_sweep(plan, weights, 2e-4, keep=[0, 1], risk_free_daily=rf.to_numpy())
    for k in range(2):
        frame = pd.DataFrame(np.nan, index=prices.index, columns=prices.columns)
        frame.iloc[decisions] = weights[k]
        full = simulate(prices, frame, ExecutionCosts(2, 0, 1), panel.start_position)
        expected = summarise(full.returns, full.traded_fraction, risk_free_daily=rf)
        for j, name in enumerate(METRIC_NAMES):
            assert result.metrics[k, j] == pytest.approx(expected[name], rel=1e-12), name


def test_a_sweep_with_a_sleeve_risk_free_says_so_and_keeps_parity(sweep_inputs, tmp_path):
    from backtests.sweep import prepare_sweep, run_configured_sweep
    from feeds.instruments import TBillInstrument
    from feeds.panel import PointInTimePanel

    spec, panel, signals = sweep_inputs
    with_cash = PointInTimePanel(panel.source, {**panel.instruments,
                                                "cash": TBillInstrument(tbill="DTB3")},
                                 panel.start, panel.end, quality=panel.quality)
    setup = prepare_sweep(replace(spec, risk_free=RiskFreeSection(sleeve="cash")), with_cash,
                          signals)
    outcome = run_configured_sweep(setup, tmp_path)
    assert outcome.summary["risk_free"]["sleeve"] == "cash"
    assert outcome.extra["parity"].metrics_max_rel <= 1e-9
    assert outcome.walk_forward is not None


def test_a_risk_free_sleeve_without_prices_in_the_window_is_an_error_not_zero():
    """Every Sharpe said 'in excess of sleeve X' while X counted as 0 on every session."""
    from backtests.results import risk_free_returns
    from feeds.errors import DataError
    from feeds.instruments import TickerInstrument
    from feeds.panel import PointInTimePanel
    from tests.fakes import MemorySource

    sessions = business_days("2020-01-06", 60)
    source = MemorySource(prices={"OLD": pd.Series(np.linspace(10, 20, 60), index=sessions),
                                  "NEW": pd.Series(5.0, index=sessions[40:])})
    panel = PointInTimePanel(source, {"old": TickerInstrument(ticker="OLD"),
                                      "new": TickerInstrument(ticker="NEW")}, end=sessions[20])
    with pytest.raises(DataError, match=r"risk_free.sleeve 'new' has no returns in the backtest "
                                        r"window 2020-01-06..2020-02-03 \(prices on 0 sessions\)"):
        risk_free_returns(RiskFreeSection(sleeve="new"), panel)
    assert risk_free_returns(RiskFreeSection(sleeve="old"), panel).iloc[1] > 0
