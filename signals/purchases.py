"""The purchase pace the Fed actually ran, read from its balance sheet rather than its statements.

`pace_in_effect` is the pace the Fed *announced* (policy calendar). What it bought shows up in the
H.4.1 as the change in Treasury securities held outright (FRED TREAST, Wednesday level, USD
millions -> USD bn): over N weeks, scaled to a month of 365.25 / 12 days. It counts every
Treasury the Fed added, whatever the programme called it: bill purchases (RMPs), coupon purchases
(QE), reinvestment of MBS principal into Treasuries (2019-21, and into bills from December 2025),
and it falls under QT runoff. Released with the H.4.1 (Thursday ~16:30 ET), so a week's value is
first known at Friday's close, like every H.4.1 series (`signals.reserves`).
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.registry import SignalParams, signal
from signals.transforms import change_over

TREASURIES_HELD = "TREAST"
DAYS_PER_MONTH = 365.25 / 12


class RealizedPaceParams(SignalParams):
    weeks: int = Field(4, ge=1, le=52, description="change horizon in weeks (4 or 13 typical)")


@signal("realized_purchase_pace", RealizedPaceParams, cadence="h41_weekly")
def realized_purchase_pace(panel: PointInTimePanel, params: RealizedPaceParams) -> pd.Series:
    """Realised Fed Treasury purchase pace, USD bn/month: the N-week change in Treasury securities
    held outright (TREAST, H.4.1) per month; negative under runoff. Known from the Friday after
    the observation Wednesday."""
    held = panel.stamped(TREASURIES_HELD)
    per_month = change_over(held, params.weeks) / (params.weeks * 7) * DAYS_PER_MONTH
    return panel.align(per_month, like=TREASURIES_HELD)
