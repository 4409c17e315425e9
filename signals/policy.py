"""Policy signals from the Fed balance-sheet calendar (`signals.policy_data`): the pace in effect,
the stance, days since the last announcement of a kind, and event windows.

Timing: a row counts from the first session at whose close its announcement was public (release
time before 16:00 ET on a session -> that close; otherwise the next one; month-precision rows from
the first session of the following month). A scheduled step (e.g. QT2's move to $95bn/month on
2022-09-01, announced 2022-05-04) counts from its effective date, never before it was announced. No
data series is read: these signals depend only on the calendar and the panel's sessions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.policy_data import (
    filter_events, known_from_positions, pace_start_positions, policy_events,
)
from signals.registry import SignalParams, signal

Confidence = Literal["low", "medium", "high"]
EventKind = Literal["any", "QE", "QT", "RMP", "taper", "facility", "stress"]


class PolicyParams(SignalParams):
    min_confidence: Confidence = Field("low", description="ignore calendar rows below this "
                                                          "confidence")


class AnnouncementParams(PolicyParams):
    kind: EventKind = Field("any", description="event kind: QE, QT, RMP, taper, facility or any")
    include_markers: bool = Field(False, description="count event-only marker rows (unchanged "
                                                     "pace) as announcements")
    expansions_only: bool = Field(False, description="count only announcements that set a pace "
                                  "above the previous one (new or larger purchases, slower "
                                  "runoff), not cuts, reaffirmations or plans")


class DaysSinceParams(AnnouncementParams):
    unit: Literal["sessions", "calendar_days"] = Field("sessions", description="count sessions "
                                                       "or calendar days")


class EventWindowParams(AnnouncementParams):
    sessions: int = Field(5, ge=1, le=260, description="window length from the first usable "
                                                       "session of an announcement")


def _forward_fill_positions(starts: np.ndarray, values: np.ndarray, length: int) -> np.ndarray:
    """Per session, the value of the row with the latest start at or before it (-1 = none yet).
    Rows sharing a start: the later one in calendar order wins."""
    filled = np.full(length, -1, dtype=np.int64)
    order = np.lexsort((np.arange(len(starts)), starts))
    for row in order:
        if starts[row] < length:
            filled[starts[row]] = values[row]
    marked = np.where(filled >= 0, np.arange(length), -1)
    last = np.maximum.accumulate(marked) if length else marked
    return np.where(last >= 0, filled[np.maximum(last, 0)], -1)


def governing_pace_rows(panel: PointInTimePanel, min_confidence: str) -> tuple[pd.DataFrame,
                                                                                np.ndarray]:
    """The pace-setting rows and, per session, the index of the row in effect (-1 = none)."""
    setters = filter_events(policy_events(), min_confidence=min_confidence)
    setters = setters.loc[setters["sets_pace"]].reset_index(drop=True)
    starts = pace_start_positions(setters, panel.sessions)
    governing = _forward_fill_positions(starts, np.arange(len(setters)), len(panel.sessions))
    return setters, governing


@signal("pace_in_effect", PolicyParams, cadence="policy")
def pace_in_effect(panel: PointInTimePanel, params: PolicyParams) -> pd.Series:
    """Fed balance-sheet pace in effect, USD bn/month (+ purchases, − runoff caps, 0 = reinvestment
    only); NaN under a lump-sum programme without a stated pace (QE1 2008-10, QE4 Mar-Jun 2020).
    A step counts from its effective date once its announcement is public."""
    setters, governing = governing_pace_rows(panel, params.min_confidence)
    paces = np.append(setters["pace_usd_bn_per_month"].to_numpy(dtype=float), 0.0)
    return pd.Series(paces[governing], index=panel.sessions)  # -1 -> 0.0: before any programme


def stance_of(pace: float, kind: str) -> str:
    """QE / RMP / neutral / QT from a pace in effect and the kind of the row that set it."""
    if np.isnan(pace):
        return "QE"  # only QE rows set an unknown (lump-sum) pace
    if pace > 0:
        return "RMP" if kind == "RMP" else "QE"
    return "QT" if pace < 0 else "neutral"


@signal("policy_stance", PolicyParams, cadence="policy")
def policy_stance(panel: PointInTimePanel, params: PolicyParams) -> pd.Series:
    """Balance-sheet stance in effect: QE (net purchases, incl. tapering), RMP (reserve-management
    bill purchases), neutral (reinvestment only, or before any programme) or QT (runoff)."""
    setters, governing = governing_pace_rows(panel, params.min_confidence)
    labels = [stance_of(pace, kind) for pace, kind
              in zip(setters["pace_usd_bn_per_month"], setters["kind"])] + ["neutral"]
    return pd.Series(np.asarray(labels, dtype=object)[governing], index=panel.sessions,
                     dtype="str")


def expansion_rows(events: pd.DataFrame) -> pd.Series:
    """True for the pace-setting rows of an announcement (one date) whose highest pace exceeds the
    final pace of the previous announcement: new or larger purchases, or slower runoff. Scheduled
    steps announced together (QT1's cap step-ups) are one announcement; an unstated lump-sum pace
    counts as +inf; before any programme the pace is 0."""
    setters = events.loc[events["sets_pace"]].copy()
    setters["pace"] = setters["pace_usd_bn_per_month"].fillna(np.inf)
    setters["takes_effect"] = setters["effective_date"].fillna(setters["date"])
    by_date = setters.sort_values(["date", "takes_effect"], kind="stable").groupby("date")["pace"]
    highest, final = by_date.max(), by_date.last()
    expands = highest > final.shift(1, fill_value=0.0)
    return events["date"].map(expands).fillna(False).astype(bool) & events["sets_pace"]


def _announcements(panel: PointInTimePanel, params: AnnouncementParams) -> np.ndarray:
    events = filter_events(policy_events(), min_confidence=params.min_confidence)
    keep = filter_events(events, params.kind, params.include_markers).index
    if params.expansions_only:
        keep = keep[expansion_rows(events).loc[keep].to_numpy()]
    return np.sort(known_from_positions(events.loc[keep], panel.sessions))


@signal("days_since_announcement", DaysSinceParams, cadence="policy")
def days_since_announcement(panel: PointInTimePanel, params: DaysSinceParams) -> pd.Series:
    """Sessions (or calendar days) since the last announcement of a kind became usable: 0 at the
    first close it was public; NaN before the first one."""
    known = _announcements(panel, params)
    positions = np.arange(len(panel.sessions))
    latest = np.searchsorted(known, positions, side="right") - 1
    has_one = latest >= 0
    since_position = known[np.maximum(latest, 0)] if len(known) else np.zeros_like(positions)
    if params.unit == "sessions":
        days = (positions - since_position).astype(float)
    else:
        start = panel.sessions[np.minimum(since_position, len(panel.sessions) - 1)]
        days = (panel.sessions - start).days.to_numpy().astype(float)
    return pd.Series(np.where(has_one, days, np.nan), index=panel.sessions)


@signal("policy_event_window", EventWindowParams, cadence="policy")
def policy_event_window(panel: PointInTimePanel, params: EventWindowParams) -> pd.Series:
    """1 during the N sessions starting at the first close an announcement of a kind was public,
    else 0. Only post-announcement windows: the pre-event days are not knowable as events."""
    days = days_since_announcement(panel, DaysSinceParams(**params.model_dump(exclude={"sessions"})))
    return (days < params.sessions).astype(float)
