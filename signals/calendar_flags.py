"""Calendar pressure dates: month-ends, quarter-ends and mid-month tax dates.

Repo rates and standing-repo usage jump on these dates for reasons that say little about reserve
scarcity: banks shrink repo books over reporting dates (quarter-ends most of all, month-ends less),
and on tax dates corporate and individual tax receipts plus coupon settlements move reserves into
the Treasury's account at the Fed (2019-09-16 and 2025-09-15 were both tax dates). Flagging them lets
a rule tell a calendar spike from genuine scarcity.

Timing: all three are known in advance. They are computed from the Fed/Treasury business-day
calendar (weekdays that are not US federal holidays), never from the panel's sessions, so a flag at t
does not depend on which sessions or data exist after t.

- month-end: the last business day of a month; quarter-end: that of March, June, September, December;
- tax date: the 15th of each tax month (default January, April, June, September, December: quarterly
  estimated corporate and individual taxes, April individual returns), rolled forward to the next
  business day when it falls on a weekend or holiday (the IRS rule). One-off postponements (the
  2020 COVID move of April/June to July 15) are not modelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from feeds.panel import PointInTimePanel
from feeds.release import federal_holidays
from signals.registry import SignalParams, signal

TAX_MONTHS = (1, 4, 6, 9, 12)
_PAD = pd.Timedelta(days=45)


def _days(dates: pd.DatetimeIndex) -> np.ndarray:
    return pd.DatetimeIndex(dates).values.astype("datetime64[D]")


def business_day_ordinal(dates: pd.DatetimeIndex) -> np.ndarray:
    """Business-day number of each date; a non-business day gets the number of the next business day."""
    return np.busday_count(np.datetime64("1950-01-02"), _days(dates), holidays=federal_holidays())


def month_end_dates(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Last business day of every month touching [start, end]."""
    firsts = pd.date_range(start.to_period("M").to_timestamp(), end + _PAD, freq="MS")
    last = np.busday_offset(_days(firsts), -1, roll="forward", holidays=federal_holidays())
    return pd.DatetimeIndex(last.astype("datetime64[ns]"))


def quarter_end_dates(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    ends = month_end_dates(start, end)
    return ends[ends.month.isin((3, 6, 9, 12))]


def tax_dates(start: pd.Timestamp, end: pd.Timestamp, months: tuple[int, ...] = TAX_MONTHS
              ) -> pd.DatetimeIndex:
    """The 15th of each tax month, rolled forward to a business day."""
    firsts = pd.date_range(start.to_period("M").to_timestamp() - _PAD, end + _PAD, freq="MS")
    fifteenths = firsts[firsts.month.isin(months)] + pd.Timedelta(days=14)
    rolled = np.busday_offset(_days(fifteenths), 0, roll="forward", holidays=federal_holidays())
    return pd.DatetimeIndex(rolled.astype("datetime64[ns]"))


def near_any(dates: pd.DatetimeIndex, anchors: pd.DatetimeIndex, bdays_before: int = 0,
             bdays_after: int = 0) -> np.ndarray:
    """True where a date lies within [anchor - before, anchor + after] business days of an anchor."""
    if len(dates) == 0:
        return np.zeros(0, dtype=bool)
    ordinal = business_day_ordinal(dates)
    anchor_ordinal = np.sort(business_day_ordinal(anchors))
    first_candidate = np.searchsorted(anchor_ordinal, ordinal - bdays_after, side="left")
    candidate = anchor_ordinal[np.minimum(first_candidate, len(anchor_ordinal) - 1)]
    return (first_candidate < len(anchor_ordinal)) & (candidate <= ordinal + bdays_before)


def _span(dates: pd.DatetimeIndex) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(dates.min()) - _PAD, pd.Timestamp(dates.max()) + _PAD


def calendar_pressure(dates: pd.DatetimeIndex, bdays_before: int = 0, bdays_after: int = 0,
                      tax_months: tuple[int, ...] = TAX_MONTHS) -> np.ndarray:
    """True on month-ends and tax dates, and within `bdays_before`/`bdays_after` business days."""
    if len(dates) == 0:
        return np.zeros(0, dtype=bool)
    start, end = _span(dates)
    anchors = month_end_dates(start, end).union(tax_dates(start, end, tax_months))
    return near_any(dates, anchors, bdays_before, bdays_after)


class CalendarFlagParams(SignalParams):
    bdays_before: int = Field(0, ge=0, le=10, description="also flag N business days before")
    bdays_after: int = Field(0, ge=0, le=10, description="also flag N business days after")


class TaxDateParams(CalendarFlagParams):
    months: tuple[int, ...] = Field(TAX_MONTHS, min_length=1,
                                    description="months whose 15th is a tax date")

    @field_validator("months")
    @classmethod
    def _calendar_months(cls, months: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= month <= 12 for month in months):
            raise ValueError(f"months must be between 1 and 12 (got {list(months)})")
        return tuple(sorted(set(months)))


def _flag(panel: PointInTimePanel, anchors_for, params: CalendarFlagParams) -> pd.Series:
    sessions = panel.sessions
    if len(sessions) == 0:
        return pd.Series(np.nan, index=sessions, dtype=float)
    start, end = _span(sessions)
    hit = near_any(sessions, anchors_for(start, end), params.bdays_before, params.bdays_after)
    return pd.Series(hit.astype(float), index=sessions)


@signal("month_end_flag", CalendarFlagParams, cadence="calendar")
def month_end_flag(panel: PointInTimePanel, params: CalendarFlagParams) -> pd.Series:
    """1 on the last business day of each month (plus the optional window), else 0; known in advance."""
    return _flag(panel, month_end_dates, params)


@signal("quarter_end_flag", CalendarFlagParams, cadence="calendar")
def quarter_end_flag(panel: PointInTimePanel, params: CalendarFlagParams) -> pd.Series:
    """1 on the last business day of each quarter (plus the optional window), else 0; known in advance."""
    return _flag(panel, quarter_end_dates, params)


@signal("tax_date_flag", TaxDateParams, cadence="calendar")
def tax_date_flag(panel: PointInTimePanel, params: TaxDateParams) -> pd.Series:
    """1 on mid-month tax dates (15th of the tax months, rolled to a business day), else 0; known in
    advance."""
    return _flag(panel, lambda start, end: tax_dates(start, end, params.months), params)
