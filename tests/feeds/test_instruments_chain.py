"""Sleeves honest by construction: a chain of products over time, the synthetic calibrated against
the real product where both exist, interest on collateral and short proceeds, and bill accrual
that never cuts a run short."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError

from feeds.errors import DataError
from feeds.instruments import (
    FROM_START, ChainInstrument, EtfSteepenerInstrument, InstrumentField, InverseInstrument,
    TBillInstrument, TickerInstrument, money_market_yield,
)
from feeds.panel import PointInTimePanel
from feeds.snapshot import SnapshotSource
from tests.fakes import MemorySource, business_days

#: article.yaml's short-vol sleeve: -1x synthetic until it dies, then SVXY at -0.5x.
SHORT_VOL = {"chain": [{"inverse_of": "VIXY", "leverage": -1.0, "expense_bps": 95,
                        "underlying_expense_bps": 85, "collateral": "DTB3", "drag_bps": 805,
                        "reference": {"ticker": "SVXY", "until": "2018-02-27"}},
                       {"ticker": "SVXY", "since": "2018-02-28"}]}
LISTED = {"chain": [{"ticker": "SVXY", "until": "2018-02-27"}, {"ticker": "SVXY",
                                                               "since": "2018-02-28"}]}


@pytest.fixture(scope="module")
def chain_panel(snapshot) -> PointInTimePanel:
    adapter = TypeAdapter(InstrumentField)
    universe = {name: adapter.validate_python(value) for name, value in
                {"equities": "SPY", "short_vol": SHORT_VOL, "listed": LISTED}.items()}
    return PointInTimePanel(SnapshotSource(snapshot), universe, start=pd.Timestamp("2012-01-03"))


def test_the_chained_short_vol_sleeve_returns_are_real_svxy_after_2018_02_28(chain_panel,
                                                                              snapshot):
    """From 2018-02-28 (SVXY's first -0.5x session) the sleeve IS SVXY: every daily return equals
    SVXY's own, to the last bit of one multiplication and one division (|diff| <= 4.5e-16)."""
    svxy = SnapshotSource(snapshot).prices("SVXY")
    for prices in (chain_panel.sleeve_paths["short_vol"].prices,
                   chain_panel.sleeve_prices["short_vol"]):
        chained = prices.pct_change().loc["2018-02-28":]
        real = svxy.pct_change().reindex(chained.index)
        assert chained.index[0] == pd.Timestamp("2018-02-28") and len(chained) > 2000
        assert np.abs(chained - real).max() <= 4.5e-16
    assert chain_panel.sleeve_paths["short_vol"].real_from == pd.Timestamp("2018-02-28")


def test_the_sleeve_cannot_be_held_between_xiv_like_death_and_svxy_at_minus_half(chain_panel):
    tradable = chain_panel.sleeve_tradable["short_vol"]
    prices = chain_panel.sleeve_prices["short_vol"]
    assert tradable.loc["2018-02-02"] and not tradable.loc["2018-02-05":"2018-02-27"].any()
    assert tradable.loc["2018-02-28":].all()
    assert (prices.loc["2018-02-05":"2018-02-27"] == prices.loc["2018-02-05"]).all()
    assert chain_panel.sleeve_closures()["short_vol"] == {"gaps": [{
        "date": "2018-02-05", "until": "2018-02-28",
        "reason": "terminated after losing 96.1% in one session"}]}
    assert chain_panel.sessions[-1] == pd.Timestamp("2026-07-13")     # the chain ends the run


def test_the_listed_chain_rolls_through_the_break_and_is_real_throughout(chain_panel, snapshot):
    path = chain_panel.sleeve_paths["listed"]
    svxy = SnapshotSource(snapshot).prices("SVXY")
    assert path.real_from is FROM_START
    assert path.prices.pct_change().loc["2018-02-28"] == pytest.approx(
        svxy.loc["2018-02-28"] / svxy.loc["2018-02-27"] - 1, abs=1e-15)
    assert not chain_panel.sleeve_tradable.loc["2018-02-27", "listed"]   # its closing session


@pytest.mark.parametrize("cutoff", ["2018-02-02", "2018-02-05", "2018-02-16", "2018-02-27",
                                    "2018-02-28", "2018-03-01", "2020-03-16"])
def test_a_chain_at_t_does_not_depend_on_data_after_t(chain_panel, cutoff):
    cut = chain_panel.truncated(cutoff)
    pd.testing.assert_frame_equal(cut.sleeve_prices, chain_panel.sleeve_prices.loc[:cutoff],
                                  rtol=1e-12)
    pd.testing.assert_frame_equal(cut.sleeve_tradable,
                                  chain_panel.sleeve_tradable.loc[:cutoff])


def test_the_synthetic_reports_its_tracking_against_the_real_product(chain_panel):
    tracking = chain_panel.sleeve_paths["short_vol"].tracking["link 0"]
    assert tracking["real_product"] == "SVXY" and tracking["first"] == "2011-10-05"
    assert set(tracking["by_year"]) == {str(y) for y in range(2011, 2019)}
    # calibrated: the drag closes the 2012-17 gap to within 50 bp a year
    assert abs(tracking["drag_to_match_bps"]) < 50 and tracking["drag_years"][0] == "2012"
    assert 0 < tracking["by_year"]["2016"]["tracking_error"] < 0.2


def test_a_chain_refuses_rate_priced_links_and_names_a_link_without_data():
    with pytest.raises(ValidationError, match="chain link 1"):
        ChainInstrument(chain=[{"ticker": "SPY"}, {"tbill": "DTB3"}])
    dates = business_days("2020-01-06", 5)
    source = MemorySource(prices={"A": pd.Series(100.0, index=dates),
                                  "B": pd.Series(50.0, index=dates)})
    chain = ChainInstrument(chain=[{"ticker": "A"}, {"ticker": "B", "since": "2021-01-04"}])
    with pytest.raises(DataError, match="chain link 1: ticker B has no prices"):
        chain.build(source)


def test_a_seamless_chain_books_the_old_product_then_the_new_one():
    dates = business_days("2020-01-06", 6)
    a = pd.Series([100, 101, 102, 103, 104, 105.0], index=dates)
    b = pd.Series([10, 20, 22, 11, 12, 24.0], index=dates)
    chain = ChainInstrument(chain=[{"ticker": "A"}, {"ticker": "B", "since": "2020-01-09"}])
    path = chain.build(MemorySource(prices={"A": a, "B": b}))
    returns = path.prices.pct_change().iloc[1:].to_numpy()
    expected = np.r_[a.pct_change().iloc[1:3], b.pct_change().iloc[3:]]   # roll at 01-08's close
    assert np.allclose(returns, expected, rtol=0, atol=1e-15)
    assert path.gaps == () and path.real_from is FROM_START


def test_collateral_earns_the_bill_rate_on_the_whole_fund():
    dates = business_days("2020-01-06", 4)                        # Mon..Thu
    source = MemorySource(prices={"VOL": pd.Series([100.0, 110.0, 99.0, 99.0], index=dates)},
                          series={"DTB3": pd.Series(4.0, index=dates)})
    plain = InverseInstrument(inverse_of="VOL", leverage=-0.5, expense_bps=0).build(source)
    funded = InverseInstrument(inverse_of="VOL", leverage=-0.5, expense_bps=0,
                               collateral="DTB3", drag_bps=252).build(source)
    daily_interest = money_market_yield(np.array([0.04]), 91)[0] / 360
    gap = funded.prices.pct_change() - plain.prices.pct_change()
    assert gap.iloc[1:].to_numpy() == pytest.approx([daily_interest - 0.0252 / 252] * 3)


def test_the_short_rebate_pays_the_bill_rate_less_the_spread_on_the_hedge():
    dates = pd.DatetimeIndex(["2024-03-07", "2024-03-08", "2024-03-11"])   # Thu, Fri, Mon
    source = MemorySource(prices={"SHY": pd.Series(100.0, index=dates),
                                  "IEF": pd.Series(100.0, index=dates)},
                          series={"DTB3": pd.Series(5.0, index=dates)})
    steepener = EtfSteepenerInstrument(steepener="etf", short_rebate="DTB3",
                                       rebate_spread_bps=25)
    growth = steepener.build(source).prices.pct_change().iloc[1:].to_numpy()
    y = money_market_yield(np.array([0.05]), 91)[0]
    h = steepener.hedge_ratio
    assert growth == pytest.approx([h * (y - 0.0025) / 360, h * 3 * (y - 0.0025) / 360])
    assert steepener.series_ids() == ["DTB3"]


def test_bills_accrue_at_the_last_known_rate_until_the_last_session_but_no_further_than_stale():
    sessions = business_days("2025-12-01", 8)                       # Mon 12-01 .. Wed 12-10
    rates = pd.Series(4.0, index=sessions[:-2])                    # H.15: two sessions behind
    source = MemorySource(prices={"SPY": pd.Series(600.0, index=sessions)},
                          series={"DTB3": rates})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY"),
                                      "cash": TBillInstrument(tbill="DTB3")})
    assert panel.sessions[-1] == sessions[-1]
    growth = panel.sleeve_prices["cash"].pct_change().iloc[-2:].to_numpy()
    assert growth == pytest.approx([money_market_yield(np.array([0.04]), 91)[0] / 360] * 2)
    stale = MemorySource(prices={"SPY": pd.Series(600.0, index=business_days("2025-12-01", 30))},
                         series={"DTB3": rates})
    panel = PointInTimePanel(stale, {"equities": TickerInstrument(ticker="SPY"),
                                     "cash": TBillInstrument(tbill="DTB3")})
    assert panel.sessions[-1] == pd.Timestamp("2025-12-18")         # 10 days past 12-08, no more


@pytest.mark.parametrize("links, what", [
    ([{"ticker": "A", "until": "2020-03-31"}, {"ticker": "B", "since": "2020-02-28"}],
     "link 0's until 2020-03-31"),
    ([{"ticker": "A", "since": "2020-02-28"}, {"ticker": "B", "since": "2020-02-28"}],
     "link 0's since 2020-02-28"),
])
def test_links_that_overlap_by_their_dates_are_refused(links, what):
    with pytest.raises(ValidationError, match=f"chain link 1 \\(since 2020-02-28\\) does not "
                                              f"start after {what}"):
        ChainInstrument(chain=links)


def test_links_out_of_time_order_are_one_line_not_an_index_error():
    """The later product listed first: the next link would take over before the first one's
    first price (this was an IndexError inside pandas)."""
    dates = business_days("2020-01-06", 10)
    source = MemorySource(prices={"A": pd.Series(100.0, index=dates),
                                  "B": pd.Series(50.0, index=dates[5:])})
    chain = ChainInstrument(chain=[{"ticker": "B"}, {"ticker": "A"}])
    with pytest.raises(DataError, match=r"chain link 1 takes over on 2020-01-06, before link 0's "
                                        r"first price \(2020-01-13\); list the links in time"):
        chain.build(source)
