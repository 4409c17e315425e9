"""Reserves: how much the banking system holds at the Fed, and how fast it is changing.

Source: WRESBAL (H.4.1, week average ending Wednesday, USD millions -> USD bn). Released Thursday
~16:30 ET, so a week's value is first known at Friday's close. Changes and z-scores are computed on
the weekly observations themselves and then released under WRESBAL's rule, so a derived value is
public exactly when the newest observation it uses is.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from feeds.catalog import spec_for
from feeds.panel import PointInTimePanel
from signals.registry import NoParams, SignalParams, signal
from signals.transforms import rolling_zscore

RESERVES = "WRESBAL"


def weekly_reserves_usd_bn(panel: PointInTimePanel) -> pd.Series:
    """WRESBAL observations by stamp, in USD bn."""
    return panel.observations(RESERVES) * spec_for(RESERVES).usd_bn_per_unit


class ReservesChangeZParams(SignalParams):
    weeks: int = Field(4, ge=1, le=52, description="change horizon N in weeks")
    z_weeks: int = Field(52, ge=8, le=520, description="z-score look-back M in weeks")


@signal("reserves_level_usd_bn")
def reserves_level_usd_bn(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """Reserve balances (USD bn, WRESBAL week average), known from the Friday after the week."""
    return panel.series(RESERVES)


@signal("reserves_change_z", ReservesChangeZParams)
def reserves_change_z(panel: PointInTimePanel, params: ReservesChangeZParams) -> pd.Series:
    """Z-score of the N-week change in reserves against its trailing M-week history (unitless).

    Positive = reserves growing faster than usual (liquidity added); negative = draining. Weekly
    H.4.1 timing: changes on the Friday after the observation Wednesday.
    """
    change = weekly_reserves_usd_bn(panel).diff(params.weeks)
    return panel.align(rolling_zscore(change, params.z_weeks), like=RESERVES)
