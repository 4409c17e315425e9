"""Repo stress: overnight secured rates against the rate the Fed pays on reserves.

SOFR above the administered rate means cash is scarce enough that lenders can earn more in repo
than at the Fed — the "reserves are no longer ample" symptom. The administered rate is IOER up to
2021-07-28 and IORB from 2021-07-29 (both 0.15% at the switch, so the splice has no jump).

Timing: spreads are formed on the trade date (SOFR of day d minus the administered rate in force on
d) and released under SOFR's rule: published ~08:00 ET the next business day, so usable at the close
of the session after d. Today's SOFR does not exist during today.
"""

from __future__ import annotations

import pandas as pd

from feeds.panel import PointInTimePanel
from signals.registry import NoParams, signal

IORB_START = pd.Timestamp("2021-07-29")


def administered_rate_observations(panel: PointInTimePanel) -> pd.Series:
    """IOER (to 2021-07-28) spliced with IORB (from 2021-07-29), percent, by effective date."""
    ioer = panel.observations("IOER")
    iorb = panel.observations("IORB")
    spliced = pd.concat([ioer.loc[: IORB_START - pd.Timedelta(days=1)], iorb.loc[IORB_START:]])
    spliced.name = "IORB_IOER"
    return spliced


def rate_minus_administered_bp(panel: PointInTimePanel, rate_id: str) -> pd.Series:
    """(rate - IOER/IORB) in basis points on the rate's trade dates, released under its rule."""
    rate = panel.observations(rate_id)
    admin = administered_rate_observations(panel)
    # The administered rate in force on each trade date (7-day series: weekends included).
    admin_on_trade_dates = admin.reindex(rate.index.union(admin.index)).ffill().reindex(rate.index)
    spread_bp = ((rate - admin_on_trade_dates) * 100.0).dropna()
    return panel.align(spread_bp, like=rate_id)


@signal("sofr_iorb_bp")
def sofr_iorb_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """SOFR minus IORB (IOER before 2021-07-29), in bp; known the session after the trade date."""
    return rate_minus_administered_bp(panel, "SOFR")
