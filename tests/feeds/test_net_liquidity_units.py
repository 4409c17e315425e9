"""Net liquidity in USD bn from the real snapshot: WALCL and WTREGEN in millions, RRP in billions.

Published magnitude on 2025-12-31: WALCL 6,640.6 - WTREGEN 837.3 - ON RRP 106.0 = about 5,697 bn.
Mixing the units would give ~5.8 million or ~6.6 thousand instead.
"""

from __future__ import annotations

import pandas as pd
import pytest

from feeds.catalog import spec_for

STAMP = "2025-12-31"
RAW = {"WALCL": 6_640_618.0, "WTREGEN": 837_306.0, "RRPONTSYD": 105.993}


def test_raw_observations_are_the_published_native_values(real_panel):
    for series_id, value in RAW.items():
        assert real_panel.observations(series_id).loc[STAMP] == value


def test_panel_converts_each_leg_to_usd_bn_and_net_liquidity_is_about_5697(real_panel):
    usd_bn = {}
    for series_id in RAW:
        session = real_panel.first_known_session(series_id, STAMP)
        usd_bn[series_id] = real_panel.series(series_id).loc[session]
    assert usd_bn["WALCL"] == pytest.approx(6_640.618)
    assert usd_bn["WTREGEN"] == pytest.approx(837.306)
    assert usd_bn["RRPONTSYD"] == pytest.approx(105.993)
    net_liquidity = usd_bn["WALCL"] - usd_bn["WTREGEN"] - usd_bn["RRPONTSYD"]
    assert net_liquidity == pytest.approx(5_697.3, abs=0.1)


def test_each_leg_becomes_known_when_its_release_rule_says(real_panel):
    # ON RRP results are out the same afternoon; the H.4.1 for Wednesday 2025-12-31 came out on
    # Friday 2026-01-02 (Thursday was New Year's Day), after the close, so first usable Monday.
    assert real_panel.first_known_session("RRPONTSYD", STAMP) == pd.Timestamp("2025-12-31")
    assert real_panel.first_known_session("WALCL", STAMP) == pd.Timestamp("2026-01-05")
    assert spec_for("WTREGEN").usd_bn_per_unit == spec_for("WALCL").usd_bn_per_unit == 1e-3
