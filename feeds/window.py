"""Said, never silent: when a run's backtest window is shorter than the one it asked for.

The panel starts the backtest at the first session on or after `data.start` and ends it at the
last session all live sleeves have prices for (and not after `data.end`). So a `data.start`
before all data, a `data.end` after it, or one sleeve whose data ends early (even years before
the others) quietly shortens the run; and a sleeve listed after the backtest starts cannot be
held until then (a week of slack: a listing a few days in is not worth a line). Each such case
becomes one note here, naming the dates and the sleeve: logged once as a warning on stderr and
kept in the run's manifest (`window.notes`).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger("liqbt.window")


def _day(stamp: pd.Timestamp) -> str:
    return str(pd.Timestamp(stamp).date())


def _weekdays(first: pd.Timestamp, stop: pd.Timestamp) -> int:
    """Weekdays from `first` up to but excluding `stop` (0 if none)."""
    return int(np.busday_count(first.date(), stop.date())) if stop > first else 0


def window_notes(panel) -> list[str]:
    """Notes on how `panel`'s backtest window falls short of the one requested (none if not)."""
    sessions = panel.sessions
    if len(sessions) == 0:
        return []
    notes = []
    first, last = sessions[min(panel.start_position, len(sessions) - 1)], sessions[-1]
    if panel.start is not None and panel.start_position == 0 and \
            _weekdays(pd.Timestamp(panel.start), first) > 0:
        notes.append(f"the backtest starts {_day(first)}, not at data.start {_day(panel.start)}: "
                     "no sleeve has prices before it")
    for sleeve, path in panel.sleeve_paths.items():
        listed = path.prices.index[0] if len(path.prices) else None
        if listed is not None and listed > last:
            notes.append(f"sleeve '{sleeve}' has no prices in the backtest window (its first is "
                         f"{_day(listed)}, after the window ends {_day(last)}): no strategy can "
                         "hold it")
        elif listed is not None and _weekdays(first, listed) > 5:
            notes.append(f"sleeve '{sleeve}' has no prices before {_day(listed)}, "
                         f"{_weekdays(first, listed):,} weekdays into the backtest: until then "
                         "no strategy can hold it")
    live_ends = {sleeve: path.prices.index[-1] for sleeve, path in panel.sleeve_paths.items()
                 if len(path.prices) and path.closed_on is None}
    if not live_ends:
        return notes
    limit = min(live_ends, key=live_ends.get)
    wanted = pd.Timestamp(panel.end) if panel.end is not None else max(live_ends.values())
    if live_ends[limit] < wanted and _weekdays(last + pd.Timedelta(days=1),
                                               wanted + pd.Timedelta(days=1)) > 0:
        asked = f"data.end {_day(wanted)}" if panel.end is not None else \
            f"{_day(wanted)}, where the other sleeves' data ends"
        notes.append(f"the backtest ends {_day(last)}, not at {asked}: sleeve '{limit}' has no "
                     f"prices after {_day(live_ends[limit])}")
    return notes


def window_record(panel) -> dict:
    """The manifest's `window`: what was asked, what the run has, and why they differ."""
    sessions = panel.sessions[panel.start_position:]
    return {"requested": {"start": None if panel.start is None else _day(panel.start),
                          "end": None if panel.end is None else _day(panel.end)},
            "first": _day(sessions[0]) if len(sessions) else None,
            "last": _day(sessions[-1]) if len(sessions) else None,
            "notes": list(getattr(panel, "window_notes", []))}


def say_window_notes(notes: list[str]) -> None:
    """Each note once on stderr (the `liqbt.window` logger, like the data-quality warnings)."""
    for note in notes:
        logger.warning("liqbt: warning: %s", note)
