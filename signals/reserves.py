"""Reserves: how much the banking system holds at the Fed, how fast it is changing, and how far it
sits above the level at which reserves stop being ample.

Source: WRESBAL (H.4.1, week average ending Wednesday, USD millions -> USD bn). Released Thursday
~16:30 ET, so a week's value is first known at Friday's close (Monday's when a holiday moves the
release). Changes and z-scores are computed on the weekly observations themselves and then released
under WRESBAL's rule, so a derived value is public exactly when the newest observation it uses is.

Thresholds (NOTES.md (d)): the June-2025 NY Fed survey's median expected reserves at the end of QT
was $2.875T; reserve demand is satiated above ~12-13% of bank assets (Afonso et al.); Waller put the
floor near 10-11% of GDP. A share threshold needs the denominator series in the catalog.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field, field_validator, model_validator

from feeds.catalog import CATALOG
from feeds.panel import PointInTimePanel
from signals.registry import NoParams, SignalParams, signal
from signals.transforms import change_over, rolling_zscore

RESERVES = "WRESBAL"


def weekly_reserves_usd_bn(panel: PointInTimePanel) -> pd.Series:
    """WRESBAL observations by stamp, in USD bn."""
    return panel.stamped(RESERVES)


class ReservesChangeParams(SignalParams):
    weeks: int = Field(4, ge=1, le=52, description="change horizon N in weeks")


class ReservesChangeZParams(ReservesChangeParams):
    z_weeks: int = Field(52, ge=8, le=520, description="z-score look-back M in weeks")


class ReservesThresholdParams(SignalParams):
    threshold_usd_bn: float = Field(2875.0, gt=0, description="level threshold in USD bn (used "
                                                              "when no denominator is given)")
    denominator: str | None = Field(None, description="catalog amount series (e.g. bank assets, "
                                                      "GDP) for a share threshold")
    threshold_pct: float | None = Field(None, gt=0, lt=100,
                                        description="share threshold in % of the denominator")

    @field_validator("denominator")
    @classmethod
    def _known_amount(cls, series_id: str | None) -> str | None:
        if series_id is None:
            return None
        if series_id not in CATALOG or not CATALOG[series_id].is_amount:
            amounts = ", ".join(sorted(k for k, v in CATALOG.items() if v.is_amount))
            raise ValueError(f"denominator '{series_id}' is not an amount series in the catalog; "
                             f"add it to feeds/catalog.py or use one of {amounts}")
        return series_id

    @model_validator(mode="after")
    def _paired(self) -> "ReservesThresholdParams":
        if (self.denominator is None) != (self.threshold_pct is None):
            raise ValueError("give denominator and threshold_pct together (a share threshold), "
                             "or neither (a USD bn threshold)")
        return self


@signal("reserves_level_usd_bn", cadence="h41_weekly")
def reserves_level_usd_bn(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """Reserve balances (USD bn, WRESBAL week average), known from the Friday after the week."""
    return panel.series(RESERVES)


@signal("reserves_change_usd_bn", ReservesChangeParams, cadence="h41_weekly")
def reserves_change_usd_bn(panel: PointInTimePanel, params: ReservesChangeParams) -> pd.Series:
    """N-week change in reserves (USD bn, WRESBAL); changes on the Friday after the observation
    Wednesday."""
    change = change_over(weekly_reserves_usd_bn(panel), params.weeks)
    return panel.align(change, like=RESERVES)


@signal("reserves_change_z", ReservesChangeZParams, cadence="h41_weekly")
def reserves_change_z(panel: PointInTimePanel, params: ReservesChangeZParams) -> pd.Series:
    """Z-score of the N-week change in reserves against its trailing M-week history (unitless).

    Positive = reserves growing faster than usual (liquidity added); negative = draining. Weekly
    H.4.1 timing: changes on the Friday after the observation Wednesday.
    """
    change = change_over(weekly_reserves_usd_bn(panel), params.weeks)
    return panel.align(rolling_zscore(change, params.z_weeks), like=RESERVES)


@signal("reserves_vs_threshold", ReservesThresholdParams, cadence="h41_weekly")
def reserves_vs_threshold(panel: PointInTimePanel, params: ReservesThresholdParams) -> pd.Series:
    """Reserves minus a threshold: USD bn above `threshold_usd_bn` (default $2.875T), or, with a
    denominator, percentage points above `threshold_pct` of it. Negative = below the threshold.
    Weekly H.4.1 timing (a share also moves when the denominator is released)."""
    if params.denominator is None:
        return panel.series(RESERVES) - params.threshold_usd_bn
    share_pct = panel.series(RESERVES) / panel.series(params.denominator) * 100.0
    return share_pct - params.threshold_pct
