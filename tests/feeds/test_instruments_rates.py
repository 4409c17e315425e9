"""Rates-based sleeves: both steepeners and T-bill cash, on hand-made paths with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from feeds.errors import DataError
from feeds.instruments import (
    EtfSteepenerInstrument, TBillInstrument, TickerInstrument, YieldSteepenerInstrument,
    money_market_yield, par_modified_duration,
)
from feeds.panel import PointInTimePanel
from tests.fakes import MemorySource, business_days

# ---- ETF steepener -------------------------------------------------------------------------


def test_etf_steepener_hedge_ratio_is_the_duration_ratio():
    steepener = EtfSteepenerInstrument(steepener="etf")
    assert steepener.hedge_ratio == pytest.approx(1.9 / 7.5)
    assert steepener.tickers() == ["SHY", "IEF"] and steepener.series_ids() == []


def test_etf_steepener_return_is_front_minus_h_back_and_flat_on_a_parallel_shift():
    dates = business_days("2020-01-06", 4)
    shifts = np.array([0.0, 0.001, -0.002, 0.0005])          # parallel yield moves
    shy = 100 * np.cumprod(1 - 1.9 * shifts)                  # r = -D * dy for each leg
    ief = 100 * np.cumprod(1 - 7.5 * shifts)
    source = MemorySource(prices={"SHY": pd.Series(shy, index=dates),
                                  "IEF": pd.Series(ief, index=dates)})
    path = EtfSteepenerInstrument(steepener="etf").build(source)
    assert np.allclose(path.prices, 100.0)                   # duration-neutral: no P&L
    source.price_paths["SHY"] = pd.Series([100.0, 101.0, 101.0, 101.0], index=dates)
    path = EtfSteepenerInstrument(steepener="etf", borrow_bps=50).build(source)
    r_ief = ief[1] / ief[0] - 1
    expected = 0.01 - (1.9 / 7.5) * r_ief - (1.9 / 7.5) * 0.005 / 252
    assert path.prices.iloc[1] / path.prices.iloc[0] - 1 == pytest.approx(expected)


def test_etf_steepener_must_be_long_the_short_end():
    with pytest.raises(ValidationError, match="must be below back_duration"):
        EtfSteepenerInstrument(steepener="etf", front_duration=8.0, back_duration=2.0)


# ---- yield steepener -----------------------------------------------------------------------


def test_par_duration_matches_known_values_and_its_zero_yield_limit():
    assert par_modified_duration(np.array([0.04]), 2)[0] == pytest.approx(1.9039, abs=1e-3)
    assert par_modified_duration(np.array([0.04]), 10)[0] == pytest.approx(8.1758, abs=1e-3)
    assert par_modified_duration(np.array([0.0]), 10)[0] == 10.0


def _yields(front: list[float], back: list[float], dates: pd.DatetimeIndex) -> MemorySource:
    return MemorySource(series={"DGS2": pd.Series(front, index=dates),
                                "DGS10": pd.Series(back, index=dates)})


def test_a_steepening_day_gains_by_the_front_dv01_and_a_parallel_day_earns_only_carry():
    dates = pd.DatetimeIndex(["2020-01-06", "2020-01-07", "2020-01-08"])
    source = _yields([4.0, 4.0, 4.10], [4.0, 4.10, 4.20], dates)
    steepener = YieldSteepenerInstrument(steepener="yields")
    returns = steepener.build(source).prices.pct_change().iloc[1:].to_numpy()
    d2, d10 = par_modified_duration(np.array([0.04]), 2)[0], par_modified_duration(
        np.array([0.04]), 10)[0]
    carry = (0.04 - d2 / d10 * 0.04) / 365
    assert returns[0] == pytest.approx(d2 * 0.001 + carry)   # 10y +10bp, 2y flat: steepening
    assert returns[0] > 0
    d2b, d10b = par_modified_duration(np.array([0.04]), 2)[0], par_modified_duration(
        np.array([0.041]), 10)[0]
    assert returns[1] == pytest.approx((0.04 - d2b / d10b * 0.041) / 365)   # parallel +10bp


def test_a_flattening_day_loses_and_constant_durations_are_used_when_given():
    dates = pd.DatetimeIndex(["2020-01-06", "2020-01-07"])
    source = _yields([4.0, 4.2], [4.0, 4.0], dates)
    steepener = YieldSteepenerInstrument(steepener="yields", front_duration=1.9, back_duration=7.5)
    (r,) = steepener.build(source).prices.pct_change().iloc[1:]
    assert r == pytest.approx(1.9 * -0.002 + (0.04 - 1.9 / 7.5 * 0.04) / 365)


def test_a_session_without_yields_books_carry_only_and_the_next_day_books_the_move_once():
    dates = business_days("2020-10-08", 4)          # Thu 8, Fri 9, Mon 12 (Columbus Day), Tue 13
    bond_days = dates.delete(2)
    source = _yields([1.0, 1.0, 1.0], [2.0, 2.0, 2.5], bond_days)
    source.price_paths["SPY"] = pd.Series(300.0, index=dates)
    panel = PointInTimePanel(source, {
        "equities": TickerInstrument(ticker="SPY"),
        "steepener": YieldSteepenerInstrument(steepener="yields", front_duration=2.0,
                                              back_duration=8.0)})
    r = panel.sleeve_prices["steepener"].pct_change().iloc[1:].to_numpy()
    carry_per_day = (0.01 - 0.25 * 0.02) / 365
    assert r[0] == pytest.approx(carry_per_day)                 # Thu -> Fri
    assert r[1] == pytest.approx(3 * carry_per_day)             # Fri -> Mon holiday: 3 days carry
    assert r[2] == pytest.approx(2.0 * 0.005 + carry_per_day)   # Mon -> Tue: the whole move


def test_yield_steepener_is_nan_before_both_yields_exist():
    dates = business_days("2020-01-06", 6)
    source = MemorySource(series={"DGS2": pd.Series(1.0, index=dates),
                                  "DGS10": pd.Series(2.0, index=dates[3:])},
                          prices={"SPY": pd.Series(300.0, index=dates)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "steepener": YieldSteepenerInstrument(steepener="yields")})
    assert panel.sleeve_prices["steepener"].iloc[:3].isna().all()
    assert panel.sleeve_prices["steepener"].iloc[3] == 100.0
    assert panel.sleeve_tradable["steepener"].tolist() == [False] * 3 + [True] * 3


def test_a_hole_in_the_yields_is_an_error_not_a_flat_stretch():
    dates = business_days("2020-01-06", 30)
    kept = dates[:5].append(dates[25:])
    source = _yields([1.0] * len(kept), [2.0] * len(kept), kept)
    source.price_paths["SPY"] = pd.Series(300.0, index=dates)
    with pytest.raises(DataError, match=r"universe.steepener: yield series DGS2 has no "
                                        r"observation for \d+ days"):
        PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                  "steepener": YieldSteepenerInstrument(steepener="yields")})


def test_yield_steepener_reports_its_series_and_refuses_non_yields():
    assert YieldSteepenerInstrument(steepener="yields").series_ids() == ["DGS2", "DGS10"]
    with pytest.raises(ValidationError, match="WALCL is in USD millions, not a yield"):
        YieldSteepenerInstrument(steepener="yields", back="WALCL")


# ---- T-bill cash ---------------------------------------------------------------------------


def test_money_market_yield_from_the_discount_rate():
    d = 0.05
    assert money_market_yield(np.array([d]), 91)[0] == pytest.approx(d / (1 - d * 91 / 360))
    bey = 365 * d / (360 - d * 91)
    assert money_market_yield(np.array([d]), 91)[0] * 365 / 360 == pytest.approx(bey)


def test_cash_accrues_three_days_over_a_weekend_at_the_previous_sessions_rate():
    dates = pd.DatetimeIndex(["2024-03-07", "2024-03-08", "2024-03-11", "2024-03-12"])  # Thu..Tue
    source = MemorySource(series={"DTB3": pd.Series([5.0, 5.0, 4.0, 4.0], index=dates)})
    path = TBillInstrument(tbill="DTB3").build(source)
    growth = (path.prices / path.prices.shift()).iloc[1:].to_numpy()
    y5 = 0.05 / (1 - 0.05 * 91 / 360)
    y4 = 0.04 / (1 - 0.04 * 91 / 360)
    assert growth[0] == pytest.approx(1 + y5 / 360)          # Thu -> Fri, 1 day at Thu's rate
    assert growth[1] == pytest.approx(1 + 3 * y5 / 360)      # Fri -> Mon, 3 days at Fri's rate
    assert growth[2] == pytest.approx(1 + y4 / 360)          # Mon's new rate applies from Mon
    assert TBillInstrument(tbill="DTB3").series_ids() == ["DTB3"]


def test_cash_is_priced_on_exchange_sessions_only_and_nan_before_its_rate_exists():
    sessions = business_days("2024-03-25", 5)                # Mon..Fri, Good Friday is 03-29
    exchange = sessions.delete(4)
    source = MemorySource(series={"DTB3": pd.Series(5.0, index=sessions[1:])},
                          prices={"SPY": pd.Series(500.0, index=exchange)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "cash": TBillInstrument(tbill="DTB3")})
    assert list(panel.sessions) == list(exchange)           # Good Friday's rate adds no session
    assert np.isnan(panel.sleeve_prices["cash"].iloc[0])
    assert panel.sleeve_prices["cash"].iloc[1] == 100.0


def test_rates_only_universe_uses_the_series_own_dates():
    dates = business_days("2024-03-04", 5)
    source = MemorySource(series={"DTB3": pd.Series(5.0, index=dates)})
    panel = PointInTimePanel(source, {"cash": TBillInstrument(tbill="DTB3")})
    assert list(panel.sessions) == list(dates)


def test_prices_built_from_a_bill_rate_reach_rules_a_session_later(snapshot):
    """The accrual into session k uses DTB3 of k-1, which H.15 publishes after k's close: a rule
    reads such a price (cash, a synthetic earning collateral, a rebated short, a chain holding
    one) one session late, while the P&L is booked on the true closes."""
    from pydantic import TypeAdapter

    from feeds.instruments import InstrumentField
    from feeds.snapshot import SnapshotSource

    parse_instrument = TypeAdapter(InstrumentField).validate_python

    raw = {"cash": {"tbill": "DTB3"}, "spy": "SPY",
           "synthetic": {"inverse_of": "VIXY", "collateral": "DTB3"},
           "bare": {"inverse_of": "VIXY"},
           "rebated": {"steepener": "etf", "front": "SHY", "back": "IEF", "short_rebate": "DTB3"},
           "chained": {"chain": [{"inverse_of": "VIXY", "collateral": "DTB3"},
                                 {"ticker": "SVXY", "since": "2018-02-28"}]}}
    instruments = {name: parse_instrument(spec) for name, spec in raw.items()}
    assert {name: i.price_public_sessions_later for name, i in instruments.items()} == {
        "cash": 1, "spy": 0, "synthetic": 1, "bare": 0, "rebated": 1, "chained": 1}
    panel = PointInTimePanel(SnapshotSource(snapshot), {k: instruments[k] for k in ("cash", "spy")},
                             start=pd.Timestamp("2020-01-02"), end=pd.Timestamp("2020-03-31"))
    pd.testing.assert_series_equal(panel.decision_prices["cash"],
                                   panel.sleeve_prices["cash"].shift(1))
    pd.testing.assert_series_equal(panel.decision_prices["spy"], panel.sleeve_prices["spy"])
