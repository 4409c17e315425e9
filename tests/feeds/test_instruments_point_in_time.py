"""Synthetic paths are causal: cutting the data at t never changes a sleeve's price up to t."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import TypeAdapter

from feeds.instruments import InstrumentField
from feeds.panel import PointInTimePanel
from feeds.snapshot import SnapshotSource

UNIVERSE = {
    "equities": "SPY",
    "short_vol": {"inverse_of": "VIXY", "underlying_expense_bps": 85},
    "steepener_etf": {"steepener": "etf"},
    "steepener_2s10s": {"steepener": "yields"},
    "cash": {"tbill": "DTB3"},
}


@pytest.fixture(scope="module")
def synthetic_panel(snapshot) -> PointInTimePanel:
    adapter = TypeAdapter(InstrumentField)
    universe = {sleeve: adapter.validate_python(value) for sleeve, value in UNIVERSE.items()}
    return PointInTimePanel(SnapshotSource(snapshot), universe, start=pd.Timestamp("2012-01-03"))


@pytest.mark.parametrize("cutoff", ["2015-08-24", "2018-02-02", "2018-02-05", "2020-03-16"])
def test_cutting_the_data_leaves_every_past_price_and_tradable_flag_unchanged(synthetic_panel,
                                                                              cutoff):
    cut = synthetic_panel.truncated(cutoff)
    assert cut.sessions[-1] == pd.Timestamp(cutoff)
    full = synthetic_panel.sleeve_prices.loc[:cutoff]
    pd.testing.assert_frame_equal(cut.sleeve_prices, full, rtol=1e-12)
    pd.testing.assert_frame_equal(cut.sleeve_tradable,
                                  synthetic_panel.sleeve_tradable.loc[:cutoff])


def test_short_vol_terminates_on_2018_02_05_and_stays_flat_to_the_end(synthetic_panel):
    prices = synthetic_panel.sleeve_prices["short_vol"]
    assert (prices.loc["2018-02-05":] == prices.loc["2018-02-05"]).all()
    assert synthetic_panel.sessions[-1] == pd.Timestamp("2026-07-13")
