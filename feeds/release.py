"""Release rules: when a stamped observation first becomes usable at a session's close.

FRED stamps weekly H.4.1 series with the Wednesday and daily rates with the trade date, not with the
day they were published. A backtest that uses the stamp as the availability date looks ahead by one
to two sessions, which is enough to fake a liquidity "edge". Every series therefore carries a
`ReleaseRule`: publication = stamp + `business_days` US business days at `time_et`. The value is
usable at the close (16:00 ET) of the first trading session whose close is at or after publication;
anything published at or after 16:00 waits for the next session.

Business days are weekdays that are not US federal holidays (the Fed and Treasury publish on that
calendar; NYSE holidays can differ, e.g. Good Friday, Veterans Day), so a Thursday H.4.1 that falls on
Thanksgiving moves to Friday 16:30 and is first usable on Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.tseries.holiday import (
    AbstractHolidayCalendar, Holiday, USFederalHolidayCalendar, nearest_workday, sunday_to_monday,
)

MARKET_CLOSE_ET = time(16, 0)
EARLY_CLOSE_ET = time(13, 0)


@dataclass(frozen=True)
class ReleaseRule:
    """Publication = stamp + `business_days` business days at `time_et` (US Eastern).

    `stale_after_days`: calendar days after which a value no longer counts as current (a discontinued
    or gappy series becomes NaN instead of being carried forward for ever).
    """

    name: str
    business_days: int
    time_et: time
    description: str
    stale_after_days: int = 10

    def usable_same_session(self) -> bool:
        """True when publication precedes the 16:00 close of the publication day."""
        return self.time_et < MARKET_CLOSE_ET


H41_THURSDAY = ReleaseRule(
    "h41_thursday_1630", 1, time(16, 30),
    "H.4.1: Wednesday-dated data released Thursday ~16:30 ET, after the close; first usable Friday",
    stale_after_days=21,
)
NEXT_MORNING = ReleaseRule(
    "next_business_morning", 1, time(9, 0),
    "published the next business day ~08:00-09:00 ET (SOFR, TGCR, BGCR, EFFR, OBFR)",
)
H15_NEXT_AFTERNOON = ReleaseRule(
    "h15_next_day_1615", 1, time(16, 15),
    "H.15 daily update (~16:15 ET) for the prior business day; Treasury posts its yield curve "
    "earlier, but the conservative reading keeps FRED's H.15 copies out until the session after",
)
SAME_DAY_AFTERNOON = ReleaseRule(
    "same_day_1315", 0, time(13, 15),
    "operation results published the same day ~13:15 ET (ON RRP, standing repo); usable at that close",
)
IN_ADVANCE = ReleaseRule(
    "known_in_advance", 0, time(0, 0),
    "administered rate set at the FOMC (~14:00 ET) and effective later; FRED posts it ahead of time",
)
CBOE_CLOSE = ReleaseRule(
    "cboe_close_1615", 0, time(16, 15),
    "Cboe index close at 16:15 ET, after the equity close; first usable the next session",
)
DTS_NEXT_AFTERNOON = ReleaseRule(
    "dts_next_day_1600", 1, time(16, 0),
    "Daily Treasury Statement for day t published ~16:00 ET on t+1; usable from the session after",
)
LONDON_MORNING = ReleaseRule(
    "same_day_morning", 0, time(10, 30),
    "published the morning of its own date (LBMA AM fix ~05:30 ET)",
)
WEEKLY_INDEX_LAG = ReleaseRule(
    "weekly_index_following_week", 5, time(10, 0),
    "weekly stress index for a week ending Friday, published about a week later",
    stale_after_days=21,
)
TWO_DAY_LAG = ReleaseRule(
    "two_business_days", 2, time(9, 0),
    "daily index published with a two-business-day lag (OFR FSI)",
)


class FedHolidayCalendar(AbstractHolidayCalendar):
    """US federal holidays as the Federal Reserve Banks observe them: a holiday on a Sunday moves to
    Monday, but one on a Saturday is not moved to the Friday (the Fed is open that Friday, e.g.
    2021-12-31), unlike pandas' USFederalHolidayCalendar."""

    rules = [Holiday(rule.name, month=rule.month, day=rule.day, offset=rule.offset,
                     observance=sunday_to_monday if rule.observance is nearest_workday
                     else rule.observance, start_date=rule.start_date, end_date=rule.end_date)
             for rule in USFederalHolidayCalendar.rules]


@lru_cache(maxsize=1)
def federal_holidays() -> np.ndarray:
    """Fed holidays 1950-2075 as datetime64[D] (for numpy's business-day functions)."""
    holidays = FedHolidayCalendar().holidays(start="1950-01-01", end="2075-12-31")
    return holidays.values.astype("datetime64[D]")


def fed_business_days(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Weekdays in [start, end] that are not Fed holidays: the days the Fed and Treasury publish."""
    days = pd.bdate_range(start, end)
    return days[~np.isin(days.values.astype("datetime64[D]"), federal_holidays())]


def publication_dates(stamps: pd.DatetimeIndex, rule: ReleaseRule) -> np.ndarray:
    """Business date on which each stamped observation is published (datetime64[D])."""
    days = stamps.values.astype("datetime64[D]")
    rolled = np.busday_offset(days, 0, roll="forward", holidays=federal_holidays())
    return np.busday_offset(rolled, rule.business_days, roll="forward", holidays=federal_holidays())


def early_close_days(start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """NYSE half days (13:00 ET close) in [start, end]: July 3 when Independence Day falls Tuesday
    to Friday, the Friday after Thanksgiving, and Christmas Eve Monday to Thursday."""
    days = []
    for year in range(start.year, end.year + 1):
        july_3 = pd.Timestamp(year, 7, 3)
        if july_3.day_of_week <= 3:  # July 4 on Tuesday .. Friday
            days.append(july_3)
        thanksgiving = pd.date_range(f"{year}-11-01", f"{year}-11-30", freq="W-THU")[3]
        days.append(thanksgiving + pd.Timedelta(days=1))
        christmas_eve = pd.Timestamp(year, 12, 24)
        if christmas_eve.day_of_week <= 3:
            days.append(christmas_eve)
    return pd.DatetimeIndex(days).values.astype("datetime64[D]")


def first_usable_session(stamps: pd.DatetimeIndex, rule: ReleaseRule,
                         sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position in `sessions` of the first close at which each observation is public (len = none
    yet). On a half day the close is 13:00 ET, so an afternoon publication (ON RRP, standing
    repo results ~13:15) waits for the next session."""
    published = publication_dates(stamps, rule)
    session_days = sessions.values.astype("datetime64[D]")
    side = "left" if rule.usable_same_session() else "right"
    position = np.searchsorted(session_days, published, side=side)
    if side == "left" and rule.time_et >= EARLY_CLOSE_ET and len(published):
        half_day = np.isin(published, early_close_days(pd.Timestamp(published.min()),
                                                        pd.Timestamp(published.max())))
        position = np.where(half_day, np.searchsorted(session_days, published, side="right"),
                            position)
    return position


def known_at_close(observations: pd.Series, rule: ReleaseRule,
                   sessions: pd.DatetimeIndex) -> pd.Series:
    """The value in force at each session's close under `rule` (NaN before the first release).

    `observations` is indexed by stamp (sorted, unique). Among observations public by a session, the
    one with the latest stamp wins; it stays in force until superseded or `rule.stale_after_days`
    calendar days after its stamp, whichever comes first.
    """
    observations = observations.dropna()
    if observations.empty or len(sessions) == 0:
        return pd.Series(np.nan, index=sessions, name=observations.name, dtype=float)
    stamps = pd.DatetimeIndex(observations.index)
    position = first_usable_session(stamps, rule, sessions)
    in_range = position < len(sessions)
    values = observations.to_numpy(dtype=float)[in_range]
    position = position[in_range]
    stamp_days = stamps.values.astype("datetime64[D]")[in_range]
    # Publication order follows stamp order, so the last row per session is the latest stamp.
    keep = np.r_[position[1:] != position[:-1], True] if len(position) else np.array([], bool)
    filled = np.full(len(sessions), np.nan)
    stamp_in_force = np.full(len(sessions), np.datetime64("NaT"), dtype="datetime64[ns]")
    filled[position[keep]] = values[keep]
    stamp_in_force[position[keep]] = stamp_days[keep]
    value = pd.Series(filled, index=sessions).ffill()
    stamp = pd.Series(stamp_in_force, index=sessions).ffill()
    age_days = (sessions - pd.DatetimeIndex(stamp.to_numpy())).days.to_numpy()
    result = value.where(~(age_days > rule.stale_after_days))
    result.name = observations.name
    return result
