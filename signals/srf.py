"""Standing repo facility (SRF) usage: how much the banking system borrows from the Fed's backstop.

Usage above zero means some dealers found the Fed's minimum bid rate (the top of the funds-rate
range) cheaper than the market — a direct symptom of scarce reserves, though quarter-ends and
month-ends produce spikes by design (see `signals.calendar_flags`).

Source: NY Fed SRF results (`SRF_USAGE`, accepted amount, all collateral, USD bn, from 2021-07-01;
a business day without a row means no take-up). Timing: operation results are published the same
day (~13:15-14:00 ET), so day t's usage is usable at t's close.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.registry import SignalParams, signal

SRF = "SRF_USAGE"


def srf_usage_by_trade_date(panel: PointInTimePanel) -> pd.Series:
    """SRF usage in USD bn by trade date; Fed business days inside the data's coverage without a row
    are zero (no take-up), as the catalog's `zero_when_missing` says."""
    return panel.stamped(SRF)


class SrfUsageParams(SignalParams):
    window_sessions: int = Field(1, ge=1, le=260,
                                 description="rolling max over the last N sessions (1 = the day)")


@signal("srf_usage_usd_bn", SrfUsageParams)
def srf_usage_usd_bn(panel: PointInTimePanel, params: SrfUsageParams) -> pd.Series:
    """Standing repo facility usage in USD bn (rolling max over N sessions); same-day, known at that
    day's close. NaN before the facility existed (2021-07)."""
    usage = panel.series(SRF)
    if params.window_sessions == 1:
        return usage.copy()
    return usage.rolling(params.window_sessions, min_periods=1).max()
