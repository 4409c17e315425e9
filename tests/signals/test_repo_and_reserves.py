"""Reserves and repo-stress signals on hand-made and real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal
from tests.fakes import MemorySource, business_days


def test_sofr_iorb_on_the_2025_09_15_tax_date_is_11bp_once_published(real_panel):
    spread = compute_signal(real_panel, "sofr_iorb_bp")
    assert spread.loc["2025-09-15"] == pytest.approx(2.0)   # still Friday's SOFR at Monday's close
    assert spread.loc["2025-09-16"] == pytest.approx(11.0)  # SOFR 4.51 vs IORB 4.40, published 9/16


def test_sofr_ioer_in_september_2019_is_hundreds_of_bp(real_panel):
    spread = compute_signal(real_panel, "sofr_iorb_bp")
    assert spread.loc["2019-09-18"] == pytest.approx(315.0)  # SOFR 5.25 on 9/17 vs IOER 2.10


def test_administered_rate_splice_switches_to_iorb_on_2021_07_29(real_panel):
    spread = compute_signal(real_panel, "sofr_iorb_bp")
    window = spread.loc["2021-07-20":"2021-08-10"]
    assert window.notna().all()
    assert window.abs().max() < 15


def test_reserves_change_z_on_a_hand_made_weekly_series():
    sessions = business_days("2020-01-01", 500)
    wednesdays = pd.date_range("2019-01-02", periods=140, freq="W-WED")
    rng = np.random.default_rng(0)
    level = pd.Series(1_000_000 + np.cumsum(rng.normal(0, 5_000, len(wednesdays))), index=wednesdays)
    panel = PointInTimePanel(MemorySource(series={"WRESBAL": level},
                                          prices={"X": pd.Series(1.0, index=sessions)}),
                             {"x": TickerInstrument(ticker="X")})
    z = compute_signal(panel, "reserves_change_z", {"weeks": 2, "z_weeks": 20})
    change = (level / 1000).diff(2)
    expected_last = (change.iloc[-1] - change.iloc[-20:].mean()) / change.iloc[-20:].std()
    friday_after_last = wednesdays[-1] + pd.Timedelta(days=2)
    assert z.loc[friday_after_last] == pytest.approx(expected_last)
    assert z.loc[wednesdays[-1]] == pytest.approx(z.loc[wednesdays[-1] - pd.Timedelta(days=5)])


def test_regime_reads_stress_in_mid_september_2019(real_panel):
    regime = compute_signal(real_panel, "liquidity_regime")
    assert (regime.loc["2019-09-17":"2019-09-19"] == "stress").all()


def test_unknown_params_are_rejected():
    from pydantic import ValidationError

    from signals import get_signal

    with pytest.raises(ValidationError):
        get_signal("reserves_change_z").params.model_validate({"weeks": 4, "wekes": 3})
