"""Where a run's data came from and how old it is: said once on stderr, recorded in the manifest.

A run reads exactly one origin (feeds/resolve.py decides which):

    snapshot   a snapshot directory (--snapshot, LIQBT_SNAPSHOT, data.snapshot)
    cache      the local parquet cache, which holds everything the config needs
    bundled    the real snapshot shipped inside the package (feeds/bundled/), when the cache
               does not hold everything the config needs
    online     the cache, fetching what it lacks (`--online`)

How old: the data's **last session** is the newest date among the price files read (exchange
closes are what a backtest's sessions are made of); a run without price files uses its newest
series date, capped at today (administered rates such as IORB are stamped days ahead). Its age is
today minus that date, in calendar days.

Manifest (`data_origin`, built by `DataOrigin.record`):
    {"kind": "bundled", "label": "the bundled snapshot", "path": ".../feeds/bundled",
     "last_date": "2026-08-21", "age_days": 14, "as_of": "2026-09-04"}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from feeds.catalog import SeriesSpec
from feeds.snapshot import FileRecord

OriginKind = Literal["snapshot", "cache", "bundled", "online"]


@dataclass(frozen=True)
class DataNeeds:
    """What a config reads: catalog series (any folder) and price tickers."""

    series: tuple[SeriesSpec, ...] = ()
    tickers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataOrigin:
    """The one place a run reads from; `note` is said after the age (e.g. what the cache lacks)."""

    kind: OriginKind
    label: str
    path: Path
    note: str = field(default="", compare=False)

    def record(self, files: list[FileRecord], today: date | None = None) -> dict:
        """The manifest's `data_origin` object, dated from the files the run read."""
        today = today or date.today()
        last = last_session(files, today)
        return {"kind": self.kind, "label": self.label, "path": str(self.path),
                "last_date": last.isoformat() if last else None,
                "age_days": (today - last).days if last else None, "as_of": today.isoformat()}

    def line(self, files: list[FileRecord], today: date | None = None) -> str:
        """The one stderr line: which origin, to which date, how old, and what next."""
        today = today or date.today()
        last = last_session(files, today)
        dated = f"to {last.isoformat()}, {age_words((today - last).days)}" if last else ""
        if self.kind == "online":
            dated = f" (cached data {dated})" if dated else ""
            return f"using {self.label} and fetching what it lacks (--online){dated}{self.note}"
        return f"using {self.label}{f' ({dated})' if dated else ''}{self.note}"


def age_words(days: int) -> str:
    if days <= 0:
        return "from today"
    return f"{days} day{'s' if days != 1 else ''} old"


def last_session(files: list[FileRecord], today: date) -> date | None:
    """Newest date of the price files among `files`, else of all of them capped at `today`."""
    def lasts(records):
        return [date.fromisoformat(r.last) for r in records if r.last]

    prices = lasts(r for r in files if PurePosixPath(r.path).parent.name == "prices")
    if prices:
        return max(prices)
    every = lasts(files)
    return min(max(every), today) if every else None
