"""The Fed balance-sheet policy calendar shipped with the package: `signals/data/fed_policy_events.csv`.

Built from `../shared/research/fed_balance_sheet_events.csv` (every research row kept with its date,
date_precision, effective_date, event, kind, pace_usd_bn_per_month, assets, source, confidence and
notes) plus columns that make it usable point in time:

- `release_time_et`: when the announcement was public (HH:MM, US Eastern) — blank when the research
  does not establish it; `timing_note` says where the time comes from;
- `sets_pace`: whether the row sets the pace in effect (a blank pace on a QE row = a lump-sum
  programme with no monthly pace: the pace becomes unknown, NaN); communications, plans and
  facility changes do not;
- `marker`: event-only rows with an unchanged pace (`no_taper_surprise`, the January-2026 RMP
  directive, the July-2026 "held at $10bn"): kept in the calendar, left out of "policy change" events;
- `origin`: `research` (from the research file), `derived` (spelled out from a research row, e.g.
  the scheduled QT1 cap step-ups) or `added` (sourced rows the research file lacked: the 2014 taper
  steps).

When an announcement is first usable (the `known_from` rule):
- day precision with a release time before 16:00 ET on a trading session: that session's close;
- otherwise (after the close, a weekend or holiday, or an unknown time): the next session's close;
- month precision (the day is a placeholder): the first session of the following month — anything
  announced during the month is public by then, and nothing is assumed earlier.
A scheduled step counts from its effective date but never before its announcement is usable.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from feeds.errors import DataError
from feeds.release import MARKET_CLOSE_ET

EVENTS_FILE = "data/fed_policy_events.csv"
KINDS = ("QE", "QT", "RMP", "taper", "facility", "stress")
CONFIDENCE = {"low": 0, "medium": 1, "high": 2}
COLUMNS = ("date", "date_precision", "release_time_et", "effective_date", "event", "kind",
           "pace_usd_bn_per_month", "sets_pace", "marker", "origin", "assets", "source",
           "confidence", "notes", "timing_note")


def _problem(row: int, field: str, message: str) -> DataError:
    return DataError(f"signals/{EVENTS_FILE} row {row + 2}, field '{field}': {message}")


def _parse(raw: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"signals/{EVENTS_FILE}: missing columns {missing}; expected {list(COLUMNS)}")
    events = raw.loc[:, list(COLUMNS)].copy()
    for row, values in enumerate(raw.itertuples(index=False)):
        if values.kind not in KINDS:
            raise _problem(row, "kind", f"'{values.kind}' is not one of {', '.join(KINDS)}")
        if values.date_precision not in ("day", "month"):
            raise _problem(row, "date_precision", f"'{values.date_precision}': use day or month")
        if values.confidence not in CONFIDENCE:
            raise _problem(row, "confidence", f"'{values.confidence}': use low, medium or high")
        for field in ("sets_pace", "marker"):
            if getattr(values, field) not in ("true", "false"):
                raise _problem(row, field, f"'{getattr(values, field)}': use true or false")
    try:
        events["date"] = pd.to_datetime(events["date"], format="%Y-%m-%d")
        events["effective_date"] = pd.to_datetime(events["effective_date"].replace("", None),
                                                  format="%Y-%m-%d")
        events["pace_usd_bn_per_month"] = pd.to_numeric(
            events["pace_usd_bn_per_month"].replace("", None)).astype(float)
        events["release_time_et"] = [None if not t else time.fromisoformat(t)
                                     for t in events["release_time_et"]]
    except ValueError as exc:
        raise DataError(f"signals/{EVENTS_FILE}: {exc}; dates are YYYY-MM-DD, times HH:MM, "
                        "paces numbers") from None
    events["sets_pace"] = events["sets_pace"] == "true"
    events["marker"] = events["marker"] == "true"
    return events


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    with resources.files("signals").joinpath(EVENTS_FILE).open("r", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return _parse(raw)


def policy_events() -> pd.DataFrame:
    """The calendar, one row per event, in announcement order (a fresh copy)."""
    return _load().copy()


def filter_events(events: pd.DataFrame, kind: str = "any", include_markers: bool = True,
                  min_confidence: str = "low") -> pd.DataFrame:
    """Rows of `kind` ("any" for all), optionally without marker rows, at or above a confidence."""
    keep = events["confidence"].map(CONFIDENCE) >= CONFIDENCE[min_confidence]
    if kind != "any":
        keep &= events["kind"] == kind
    if not include_markers:
        keep &= ~events["marker"]
    return events.loc[keep]


def _session_days(sessions: pd.DatetimeIndex) -> np.ndarray:
    return pd.DatetimeIndex(sessions).values.astype("datetime64[D]")


def known_from_positions(events: pd.DataFrame, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position in `sessions` of the first close at which each announcement is public
    (len(sessions) when none of them is late enough); see the module docstring for the rule."""
    days = _session_days(sessions)
    dates = events["date"].values.astype("datetime64[D]")
    same_day = np.array([t is not None and t < MARKET_CLOSE_ET for t in events["release_time_et"]])
    by_day = np.where(same_day, np.searchsorted(days, dates, side="left"),
                      np.searchsorted(days, dates, side="right"))
    next_month = (events["date"].dt.to_period("M") + 1).dt.to_timestamp()
    by_month = np.searchsorted(days, next_month.values.astype("datetime64[D]"), side="left")
    return np.where(events["date_precision"].to_numpy() == "month", by_month, by_day)


def pace_start_positions(events: pd.DataFrame, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Position of the first session a row's pace applies: its effective date's session (or later
    when the effective date is not a session), never before the announcement is usable."""
    known = known_from_positions(events, sessions)
    effective = events["effective_date"]
    effective_position = np.searchsorted(
        _session_days(sessions), effective.fillna(pd.Timestamp("1900-01-01")).values
        .astype("datetime64[D]"), side="left")
    return np.maximum(known, np.where(effective.notna().to_numpy(), effective_position, 0))
