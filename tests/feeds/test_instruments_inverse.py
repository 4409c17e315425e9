"""The daily-reset inverse: -1x daily, expense drag, XIV-like termination, no fake afterlife."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.instruments import InverseInstrument, TickerInstrument
from feeds.instruments.settlement import with_settlement_moves
from feeds.panel import PointInTimePanel
from tests.fakes import MemorySource, business_days


def _inverse(prices: list[float], **params) -> tuple[InverseInstrument, MemorySource]:
    source = MemorySource(prices={"VOL": pd.Series(prices, index=business_days("2020-01-06",
                                                                                  len(prices)))})
    return InverseInstrument(inverse_of="VOL", expense_bps=0, **params), source


def test_minus_one_times_the_daily_return_without_expenses():
    instrument, source = _inverse([100.0, 110.0, 99.0, 108.9])
    path = instrument.build(source)
    assert path.closed_on is None
    assert np.allclose(path.prices.pct_change().iloc[1:], [-0.10, 0.10, -0.10])


def test_a_plus_100_percent_underlying_day_terminates_at_zero_and_the_path_stops_there():
    instrument, source = _inverse([100.0, 110.0, 99.0, 198.0, 150.0, 160.0])
    path = instrument.build(source)
    dates = source.price_paths["VOL"].index
    assert path.closed_on == dates[3]
    assert path.prices.index[-1] == dates[3] and path.prices.iloc[-1] == 0.0
    assert "terminated" in path.closed_reason


def test_an_80_percent_loss_terminates_and_holders_keep_the_terminal_value():
    instrument, source = _inverse([100.0, 185.0, 100.0])  # underlying +85%: synthetic -85%
    path = instrument.build(source)
    assert path.closed_on == source.price_paths["VOL"].index[1]
    assert path.prices.iloc[-1] == pytest.approx(15.0)


def test_a_79_percent_loss_does_not_terminate():
    instrument, source = _inverse([100.0, 179.0, 100.0])
    path = instrument.build(source)
    assert path.closed_on is None and len(path.prices) == 3


def test_expense_drag_is_charged_per_session_at_bps_over_252():
    source = MemorySource(prices={"VOL": pd.Series(50.0, index=business_days("2020-01-06", 253))})
    path = InverseInstrument(inverse_of="VOL", expense_bps=95).build(source)
    assert path.prices.iloc[-1] / path.prices.iloc[0] == pytest.approx((1 - 0.0095 / 252) ** 252)


def test_underlying_fee_is_added_back_and_leverage_scales_the_move():
    source = MemorySource(prices={"VOL": pd.Series([100.0, 110.0, 110.0],
                                                   index=business_days("2020-01-06", 3))})
    path = InverseInstrument(inverse_of="VOL", leverage=-0.5, expense_bps=95,
                             underlying_expense_bps=85).build(source)
    fee_back, expense = 0.0085 / 252, 0.0095 / 252
    expected = [-0.5 * (0.10 + fee_back) - expense, -0.5 * fee_back - expense]
    assert np.allclose(path.prices.pct_change().iloc[1:], expected)


def test_terminated_sleeve_is_flat_non_tradable_and_does_not_end_the_run():
    dates = business_days("2020-01-06", 10)
    source = MemorySource(prices={
        "VOL": pd.Series([100.0, 100.0, 250.0, 90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0],
                         index=dates),
        "SPY": pd.Series(np.linspace(300, 310, 10), index=dates)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "short_vol": InverseInstrument(inverse_of="VOL")})
    assert panel.sessions[-1] == dates[-1]
    short_vol = panel.sleeve_prices["short_vol"]
    assert (short_vol.iloc[2:] == short_vol.iloc[2]).all()           # cashed out, no fake returns
    assert short_vol.iloc[2] == 0.0
    tradable = panel.sleeve_tradable["short_vol"]
    assert tradable.iloc[:2].all() and not tradable.iloc[2:].any()
    assert panel.sleeve_closures()["short_vol"]["date"] == str(dates[2].date())


def test_inverse_is_nan_and_not_tradable_before_the_underlying_exists():
    dates = business_days("2020-01-06", 10)
    source = MemorySource(prices={"VOL": pd.Series(20.0, index=dates[4:]),
                                  "SPY": pd.Series(300.0, index=dates)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "short_vol": InverseInstrument(inverse_of="VOL")})
    assert panel.sleeve_prices["short_vol"].iloc[:4].isna().all()
    assert panel.sleeve_prices["short_vol"].iloc[4:].notna().all()
    assert panel.sleeve_tradable["short_vol"].tolist() == [False] * 4 + [True] * 6


def test_truncated_panel_does_not_know_a_termination_after_its_cutoff():
    dates = business_days("2020-01-06", 8)
    source = MemorySource(prices={"VOL": pd.Series([10, 10, 10, 10, 10, 30, 30, 30.0], index=dates),
                                  "SPY": pd.Series(300.0, index=dates)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "short_vol": InverseInstrument(inverse_of="VOL")})
    assert not panel.sleeve_tradable["short_vol"].iloc[-1]
    early = panel.truncated(dates[4])
    assert early.sleeve_tradable["short_vol"].iloc[-1] and early.sleeve_closures() == {}


def test_volmageddon_settlement_move_terminates_minus_one_vixy_as_it_did_xiv():
    dates = pd.DatetimeIndex(["2018-02-01", "2018-02-02", "2018-02-05", "2018-02-06",
                              "2018-02-07"], name="date")
    closes = pd.Series([1981.6, 2184.8, 2932.8, 2837.6, 2949.6], index=dates)  # VIXY, real closes
    source = MemorySource(prices={"VIXY": closes})
    path = InverseInstrument(inverse_of="VIXY").build(source)
    assert path.closed_on == pd.Timestamp("2018-02-05")
    assert path.prices.iloc[-1] / path.prices.iloc[-2] == pytest.approx(4.22 / 108.3681, rel=1e-3)
    raw = InverseInstrument(inverse_of="VIXY", settlement_moves=False).build(source)
    assert raw.closed_on is None  # from closes alone, -1x VIXY would have survived the day


def test_settlement_move_keeps_the_underlying_two_day_return():
    dates = pd.DatetimeIndex(["2018-02-02", "2018-02-05", "2018-02-06"])
    returns = pd.Series([np.nan, 0.34, -0.03], index=dates)
    adjusted = with_settlement_moves("VIXY", returns)
    assert adjusted.iloc[1] == pytest.approx(1 - 4.22 / 108.3681)
    assert (1 + adjusted.iloc[1]) * (1 + adjusted.iloc[2]) == pytest.approx(1.34 * 0.97)
    assert with_settlement_moves("SPY", returns).equals(returns)


def test_inverse_reports_the_ticker_it_needs():
    instrument = InverseInstrument(inverse_of="VIXY")
    assert instrument.tickers() == ["VIXY"] and instrument.series_ids() == []


def test_a_reference_product_that_is_missing_is_an_error_not_a_silently_dropped_report():
    """The tracking report is part of the manifest: without the reference's data in a full run
    the build says so; only at a cutoff (a product not listed yet) is there nothing to compare."""
    from feeds.errors import DataError

    closes = pd.Series(np.linspace(20.0, 30.0, 60), index=business_days("2020-01-06", 60))
    instrument = InverseInstrument(inverse_of="VIXY", reference={"ticker": "REAL"})

    class WithoutReal(MemorySource):          # as the real sources say a ticker is missing
        def prices(self, ticker):
            if ticker == "REAL":
                raise DataError("ticker 'REAL' is not in the snapshot")
            return super().prices(ticker)

    with pytest.raises(DataError, match="inverse_of VIXY: its reference: ticker 'REAL' is not"):
        instrument.build(WithoutReal(prices={"VIXY": closes}))

    class AtCutoff(WithoutReal):
        cutoff = closes.index[-1]

    assert instrument.build(AtCutoff(prices={"VIXY": closes})).tracking is None
