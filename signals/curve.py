"""The 2s10s Treasury curve: 10-year minus 2-year constant-maturity yield, in bp.

The articles' steepener claim is a bet that the curve steepens once QT ends and bills are bought;
its level and recent change say where that trade stands. Source: H.15 DGS10 and DGS2 (percent,
trade-date stamps), in the H.15 daily update of the next business day (~16:15 ET, after the
close), so day d's spread is usable at the close two sessions after d (conservative: Treasury
posts its curve the evening of d). The spread is formed only on dates both yields exist (no filling across
holidays), and its change is over N such trade dates.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.registry import NoParams, SignalParams, signal
from signals.transforms import change_over, percent_to_bp, spread_on_common_stamps

TEN_YEAR, TWO_YEAR = "DGS10", "DGS2"


def curve_2s10s_by_trade_date(panel: PointInTimePanel) -> pd.Series:
    """DGS10 − DGS2 in bp on the trade dates both exist (not yet released)."""
    return percent_to_bp(spread_on_common_stamps(panel.observations(TEN_YEAR),
                                                 panel.observations(TWO_YEAR)))


class CurveChangeParams(SignalParams):
    days: int = Field(20, ge=1, le=520, description="change horizon in trade dates")


@signal("curve_2s10s_bp")
def curve_2s10s_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """10-year minus 2-year Treasury yield (DGS10 − DGS2) in bp; known two sessions after the
    trade date (H.15, next business day ~16:15 ET)."""
    return panel.align(curve_2s10s_by_trade_date(panel), like=TEN_YEAR)


@signal("curve_2s10s_change_bp", CurveChangeParams)
def curve_2s10s_change_bp(panel: PointInTimePanel, params: CurveChangeParams) -> pd.Series:
    """Change in the 2s10s spread over the last N trade dates, in bp (positive = steepening); known
    two sessions after the latest trade date."""
    change = change_over(curve_2s10s_by_trade_date(panel), params.days)
    return panel.align(change.dropna(), like=TEN_YEAR)
