"""A repo-stress flag: the overnight spread or standing-repo usage above a threshold, with calendar
spikes judged against their own, higher thresholds.

Rule, for each observation on its own trade date d:
- spread leg: (rate - IORB/IOER) in bp >= `stress_bp`, or >= `calendar_stress_bp` when d is a
  month-end or tax date, or within `calendar_bdays_before` business days before or
  `calendar_bdays_after` after one;
- SRF leg: SRF usage (USD bn) >= `srf_stress_usd_bn`, or >= `calendar_srf_usd_bn` on calendar dates.
A leg set to None is off. Each leg is released under its series' rule (the spread the session after
d, SRF usage at d's close) and the flag at a session's close is 1 if either leg known then says
stress, 0 if none does, NaN if no enabled leg has data yet (SOFR starts 2018-04, SRF 2021-07).

Why the calendar is applied to the trade date: the spread known at Tuesday's close is Monday's
SOFR, so it is Monday's date that decides whether a spike is a calendar spike.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.calendar_flags import calendar_pressure
from signals.registry import SignalParams, signal
from signals.repo import spread_to_administered_bp
from signals.srf import SRF, srf_usage_by_trade_date


class RepoStressThresholds(SignalParams):
    """Thresholds shared by the stress flag and the liquidity regime."""

    stress_rate: Literal["SOFR", "TGCR", "EFFR"] = Field(
        "SOFR", description="overnight rate compared with IORB/IOER")
    stress_bp: float | None = Field(15.0, description="spread (bp) at or above which = stress; "
                                                      "None turns the spread leg off")
    calendar_stress_bp: float | None = Field(
        25.0, description="spread threshold on month-end/tax dates; None = same as stress_bp")
    srf_stress_usd_bn: float | None = Field(15.0, description="SRF usage (USD bn) at or above "
                                                              "which = stress; None = leg off")
    calendar_srf_usd_bn: float | None = Field(
        50.0, description="SRF threshold on month-end/tax dates; None = same as srf_stress_usd_bn")
    calendar_bdays_before: int = Field(0, ge=0, le=5, description="business days before a "
                                       "month-end or tax date already judged as calendar")
    calendar_bdays_after: int = Field(1, ge=0, le=5, description="business days after a month-end "
                                                                 "or tax date still judged as calendar")


def _leg(stamped: pd.Series, normal: float, calendar: float | None,
         params: RepoStressThresholds) -> pd.Series:
    """1.0 where a stamped observation reaches its day's threshold, else 0.0 (by stamp)."""
    on_calendar = calendar_pressure(pd.DatetimeIndex(stamped.index), params.calendar_bdays_before,
                                    params.calendar_bdays_after)
    threshold = np.where(on_calendar, normal if calendar is None else calendar, normal)
    return pd.Series((stamped.to_numpy() >= threshold).astype(float), index=stamped.index)


def repo_stress_legs(panel: PointInTimePanel, params: RepoStressThresholds) -> list[pd.Series]:
    """The enabled legs as known at each session's close (1.0 / 0.0 / NaN before data)."""
    legs = []
    if params.stress_bp is not None:
        spread = spread_to_administered_bp(panel, params.stress_rate)
        flags = _leg(spread, params.stress_bp, params.calendar_stress_bp, params)
        legs.append(panel.align(flags, like=params.stress_rate))
    if params.srf_stress_usd_bn is not None:
        flags = _leg(srf_usage_by_trade_date(panel), params.srf_stress_usd_bn,
                     params.calendar_srf_usd_bn, params)
        legs.append(panel.align(flags, like=SRF))
    return legs


def combine_legs(legs: list[pd.Series], sessions: pd.DatetimeIndex) -> pd.Series:
    """1 if any leg says stress, 0 if all known legs say calm, NaN if none is known."""
    if not legs:
        return pd.Series(np.nan, index=sessions, dtype=float)
    frame = pd.concat(legs, axis=1)
    return frame.max(axis=1, skipna=True)


@signal("repo_stress_flag", RepoStressThresholds)
def repo_stress_flag(panel: PointInTimePanel, params: RepoStressThresholds) -> pd.Series:
    """1 when the overnight spread to IORB or SRF usage is above its threshold (higher thresholds on
    month-end and tax dates), 0 otherwise, NaN before any enabled input exists. Spread leg known the
    session after the trade date, SRF leg at the same day's close."""
    return combine_legs(repo_stress_legs(panel, params), panel.sessions)
