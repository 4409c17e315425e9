"""Curve, volatility and reserves-threshold signals on hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal, get_signal
from tests.fakes import MemorySource

DAYS = pd.bdate_range("2024-01-02", periods=80, name="date")


def _panel(**series: pd.Series) -> PointInTimePanel:
    source = MemorySource(series=series, prices={"X": pd.Series(1.0, index=DAYS)})
    return PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})


def test_2s10s_level_and_change_in_bp_released_two_sessions_after_the_trade_date():
    ten = pd.Series(4.00 + 0.01 * np.arange(80), index=DAYS)
    two = pd.Series(4.50, index=DAYS).drop(DAYS[10])  # a missing 2-year print
    panel = _panel(DGS10=ten, DGS2=two)
    level = compute_signal(panel, "curve_2s10s_bp")
    assert level.loc[DAYS[22]] == pytest.approx(-30.0)  # day 20: 4.20 - 4.50; H.15 of day 21
    assert level.loc[DAYS[21]] == pytest.approx(-31.0)  # ... ~16:15 ET, so usable on day 22
    change = compute_signal(panel, "curve_2s10s_change_bp", {"days": 5})
    assert change.loc[DAYS[32]] == pytest.approx(5.0)  # steepening 1 bp per trade date
    assert change.loc[DAYS[16]] == pytest.approx(6.0)  # across the gap: 5 trade dates = 6 days


def test_vix_percentile_and_term_structure():
    vix = pd.Series(np.r_[np.full(60, 15.0), np.arange(20.0, 40.0)], index=DAYS)
    panel = _panel(VIXCLS=vix, VIX=vix, VIX3M=pd.Series(20.0, index=DAYS))
    percentile = compute_signal(panel, "vix_percentile", {"window": 20})
    assert percentile.loc[DAYS[70]] == 100.0  # a new high in its window (day 69's close)
    assert np.isnan(percentile.loc[DAYS[19]])  # window not full yet
    ratio = compute_signal(panel, "vix_term_structure")
    assert ratio.loc[DAYS[61]] == pytest.approx(1.0) and ratio.loc[DAYS[60]] == pytest.approx(0.75)


def test_reserves_vs_threshold_in_usd_bn_and_share_params():
    wednesdays = pd.date_range("2023-12-06", periods=12, freq="W-WED")
    panel = _panel(WRESBAL=pd.Series(3_000_000.0, index=wednesdays))
    gap = compute_signal(panel, "reserves_vs_threshold")
    assert gap.loc["2024-01-05"] == pytest.approx(125.0)  # 3,000 - 2,875
    params = get_signal("reserves_vs_threshold").params
    with pytest.raises(ValidationError, match="together"):
        params.model_validate({"threshold_pct": 12})
    with pytest.raises(ValidationError, match="not an amount series"):
        params.model_validate({"denominator": "SOFR", "threshold_pct": 12})
    share = compute_signal(_panel(WRESBAL=pd.Series(3_000_000.0, index=wednesdays),
                                  WALCL=pd.Series(7_500_000.0, index=wednesdays)),
                           "reserves_vs_threshold", {"denominator": "WALCL", "threshold_pct": 35})
    assert share.loc["2024-01-05"] == pytest.approx(5.0)  # 40% of WALCL vs 35%
