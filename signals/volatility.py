"""Volatility: the VIX level, where it sits in its own history, and the VIX term structure.

The articles' short-VIX claim rests on liquidity-driven volatility falling once QT ends. The level
says how much fear is priced; the percentile puts it against the trailing year; VIX/VIX3M above 1
(backwardation) marks acute stress, when short-vol carry turns into losses.

Timing: Cboe index closes are struck at 16:15 ET, after the 16:00 equity close, so day d's VIX is
first usable at the close of the session after d (catalog rule `cboe_close_1615`). Sources: FRED
VIXCLS for the level and percentile; the snapshot's prices/VIX and prices/VIX3M closes for the ratio
(same timing; VIX3M starts 2009-09-18).
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.registry import NoParams, SignalParams, signal
from signals.transforms import rolling_percentile

VIX_CLOSE, VIX_INDEX, VIX_3M = "VIXCLS", "VIX", "VIX3M"


class VixPercentileParams(SignalParams):
    window: int = Field(252, ge=20, le=5040, description="trailing window in trade dates")


@signal("vix_level")
def vix_level(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """Cboe VIX close (index points, VIXCLS); known the session after (16:15 ET close)."""
    return panel.series(VIX_CLOSE).copy()


@signal("vix_percentile", VixPercentileParams)
def vix_percentile(panel: PointInTimePanel, params: VixPercentileParams) -> pd.Series:
    """Percentile (0-100) of the VIX close within its trailing window of trade dates (default one
    year); known the session after the close it ranks."""
    ranked = rolling_percentile(panel.observations(VIX_CLOSE), params.window)
    return panel.align(ranked.dropna(), like=VIX_CLOSE)


@signal("vix_term_structure")
def vix_term_structure(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """VIX / VIX3M close ratio (unitless; above 1 = inverted, acute stress); known the session after
    the closes. Starts 2009-09-18 (VIX3M)."""
    vix, vix3m = panel.observations(VIX_INDEX).align(panel.observations(VIX_3M), join="inner")
    ratio = (vix / vix3m.where(vix3m > 0)).dropna()
    return panel.align(ratio, like=VIX_3M)
