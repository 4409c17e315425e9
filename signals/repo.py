"""Repo stress: overnight rates against the rate the Fed pays on reserves, and the SOFR tail.

SOFR above the administered rate means cash is scarce enough that lenders can earn more in repo
than at the Fed — the "reserves are no longer ample" symptom. TGCR (tri-party general collateral)
is the cleanest secured rate; EFFR−IORB is the indicator the Fed itself watches (Dec-2025 minutes).
The administered rate is IOER up to 2021-07-28 and IORB from 2021-07-29 (both 0.15% at the switch,
so the splice has no jump); before IOER began (2008-10-09) the spreads are undefined (NaN).

Timing: spreads are formed on the trade date (rate of day d minus the administered rate in force on
d) and released under the rate's rule: SOFR/TGCR/EFFR are published ~08:00-09:00 ET the next
business day, so a spread is usable at the close of the session after d. Today's SOFR does not exist
during today.
"""

from __future__ import annotations

import pandas as pd

from feeds.panel import PointInTimePanel
from signals.registry import NoParams, signal
from signals.transforms import percent_to_bp, spread_on_common_stamps

IORB_START = pd.Timestamp("2021-07-29")


def administered_rate_observations(panel: PointInTimePanel) -> pd.Series:
    """IOER (to 2021-07-28) spliced with IORB (from 2021-07-29), percent, by effective date."""
    ioer = panel.observations("IOER")
    iorb = panel.observations("IORB")
    spliced = pd.concat([ioer.loc[: IORB_START - pd.Timedelta(days=1)], iorb.loc[IORB_START:]])
    spliced.name = "IORB_IOER"
    return spliced


def spread_to_administered_bp(panel: PointInTimePanel, rate_id: str) -> pd.Series:
    """(rate - IOER/IORB) in bp by the rate's trade dates (stamped, not yet released)."""
    rate = panel.observations(rate_id)
    admin = administered_rate_observations(panel)
    # The administered rate in force on each trade date (7-day series: weekends included).
    admin_on_trade_dates = admin.reindex(rate.index.union(admin.index)).ffill().reindex(rate.index)
    return percent_to_bp(rate - admin_on_trade_dates).dropna()


def rate_minus_administered_bp(panel: PointInTimePanel, rate_id: str) -> pd.Series:
    """(rate - IOER/IORB) in basis points, as known at each session's close."""
    return panel.align(spread_to_administered_bp(panel, rate_id), like=rate_id)


@signal("sofr_iorb_bp")
def sofr_iorb_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """SOFR minus IORB (IOER before 2021-07-29), in bp; known the session after the trade date."""
    return rate_minus_administered_bp(panel, "SOFR")


@signal("tgcr_iorb_bp")
def tgcr_iorb_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """TGCR (tri-party general collateral rate) minus IORB (IOER before 2021-07-29), in bp; known the
    session after the trade date. Starts 2018-04."""
    return rate_minus_administered_bp(panel, "TGCR")


@signal("effr_iorb_bp")
def effr_iorb_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """EFFR minus IORB (IOER before 2021-07-29), in bp; known the session after the trade date.
    NaN before IOER existed (2008-10-09)."""
    return rate_minus_administered_bp(panel, "EFFR")


@signal("sofr_tail_bp")
def sofr_tail_bp(panel: PointInTimePanel, params: NoParams) -> pd.Series:
    """SOFR 99th percentile minus SOFR (the tail of the repo distribution), in bp; known the session
    after the trade date. A wide tail means some borrowers pay far above the median: funding is
    patchy even when the median looks calm."""
    tail = spread_on_common_stamps(panel.observations("SOFR99"), panel.observations("SOFR"))
    return panel.align(percent_to_bp(tail), like="SOFR99")
