"""Incremental refresh: ask a source only for what the cache lacks, then merge and store.

- Nothing cached (or `full`, or `start` earlier than the cache): fetch from `start` (None = all
  history) and store that.
- Cached through date L: fetch from L minus an overlap (10 days for daily series and prices,
  35 for weekly) and merge. Latest-vintage series: the new answer wins on overlapping dates, so
  revisions inside the overlap are picked up. First releases: cached rows win (a first release
  never changes once published); only later dates are added.
- Prices: Yahoo re-adjusts the whole history after every dividend or split. If the adjusted closes
  on the overlap differ from the cached ones, the cache is stale as a whole and is refetched in
  full instead of spliced.
- An empty answer to an incremental request means "nothing new" for series; for prices the
  overlap guarantees rows, so Yahoo's empty answer is an error (see feeds/online/yahoo.py).
"""

from __future__ import annotations

import logging

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import numpy as np
import pandas as pd

from feeds.cache import CacheKey, Cached, ParquetCache
from feeds.catalog import SeriesSpec
from feeds.errors import SourceError
from feeds.online import Fetched, OnlineSources

OVERLAP_DAYS = {"daily": 10, "weekly": 35}
PRICE_OVERLAP_DAYS = 10
READJUST_RTOL = 1e-6
logger = logging.getLogger("liqbt.data")
_WARNED_LATEST_ONLY: set[str] = set()


def cache_key(spec: SeriesSpec, vintage: str = "latest") -> CacheKey:
    """Where a catalog series lives in the cache; only FRED series have first-release vintages
    (for any other series a first-release run says once that it uses the latest values)."""
    first = vintage == "first_release" and spec.online == "fred"
    if vintage == "first_release" and not first and spec.id not in _WARNED_LATEST_ONLY:
        _WARNED_LATEST_ONLY.add(spec.id)
        logger.warning("liqbt: %s has no first-release vintages (%s): its latest, possibly "
                       "revised values are used", spec.id, spec.source)
    return CacheKey(spec.folder, spec.id, "first_release" if first else "latest")


def price_key(ticker: str) -> CacheKey:
    return CacheKey("prices", ticker)


@dataclass(frozen=True)
class Refreshed:
    """What one refresh did (for the progress table)."""

    key: CacheKey
    source: str
    rows: int
    new_rows: int
    first: str
    last: str
    mode: str  # "full", "incremental", "re-adjusted"


def merge(existing: pd.DataFrame, new: pd.DataFrame, existing_wins: bool) -> pd.DataFrame:
    """Union by date; on overlapping dates the newer answer wins unless `existing_wins`."""
    if existing_wins:
        combined = pd.concat([existing, new[~new.index.isin(existing.index)]])
    else:
        combined = pd.concat([existing[~existing.index.isin(new.index)], new])
    return combined.sort_index()


def _readjusted(existing: pd.DataFrame, new: pd.DataFrame) -> bool:
    """True when the overlap's adjusted closes moved (a dividend/split re-based the history)."""
    common = existing.index.intersection(new.index)
    if len(common) == 0:
        return True
    old = existing.loc[common, "adj_close"].to_numpy(dtype=float)
    fresh = new.loc[common, "adj_close"].to_numpy(dtype=float)
    return not np.allclose(old, fresh, rtol=READJUST_RTOL, atol=0.0, equal_nan=True)


class Refresher:
    """Bring cache entries up to date from online sources."""

    def __init__(self, cache: ParquetCache, online: OnlineSources, start: date | None = None,
                 full: bool = False):
        self.cache, self.online, self.start, self.full = cache, online, start, full

    def series(self, spec: SeriesSpec, vintage: str = "latest") -> Refreshed:
        if spec.folder == "prices":  # index levels kept like prices (VIX, VIX3M)
            return self.prices(spec.id)
        key = cache_key(spec, vintage)
        overlap = OVERLAP_DAYS.get(spec.frequency, 35)
        return self._refresh(key, lambda start: self.online.series(spec, start, key.vintage),
                             overlap, existing_wins=key.vintage == "first_release",
                             check_readjust=False)

    def prices(self, ticker: str) -> Refreshed:
        return self._refresh(price_key(ticker), lambda start: self.online.prices(ticker, start),
                             PRICE_OVERLAP_DAYS, existing_wins=False, check_readjust=True)

    def _refresh(self, key: CacheKey, fetch: Callable[[date | None], Fetched], overlap_days: int,
                 existing_wins: bool, check_readjust: bool) -> Refreshed:
        existing = None if self.full else self.cache.read(key)
        if existing is not None and len(existing.frame) and not self._wants_earlier(existing):
            since = existing.frame.index[-1].date() - timedelta(days=overlap_days)
            fetched = fetch(since)
            requested = existing.meta.requested_start
            if check_readjust and _readjusted(existing.frame, fetched.frame):
                # Re-based history: refetch all of it, never less than was cached.
                start = None if not requested else date.fromisoformat(requested)
                return self._store(key, fetch(start), None, "re-adjusted", requested)
            merged = merge(existing.frame, fetched.frame, existing_wins)
            return self._store(key, Fetched(merged, fetched.source, fetched.host), existing,
                               "incremental", requested)
        return self._store(key, fetch(self.start), None, "full",
                           "" if self.start is None else self.start.isoformat())

    def _wants_earlier(self, existing: Cached) -> bool:
        """True when --start asks for history before what an earlier fetch asked for (a series
        that simply starts later than --start is not refetched every time)."""
        requested = existing.meta.requested_start
        return (self.start is not None and requested != ""
                and self.start.isoformat() < requested)

    def _store(self, key: CacheKey, fetched: Fetched, before: Cached | None, mode: str,
               requested_start: str) -> Refreshed:
        if fetched.frame.empty and before is None:
            raise SourceError(f"{fetched.source} ({fetched.host}) returned no observations for "
                              f"{key.label}: check the id and --start")
        written = self.cache.write(key, fetched.frame, fetched.source, fetched.host,
                                   requested_start)
        new_rows = written.meta.rows - (before.meta.rows if before is not None else 0)
        return Refreshed(key, fetched.source, written.meta.rows, new_rows, written.meta.first,
                         written.meta.last, mode)
