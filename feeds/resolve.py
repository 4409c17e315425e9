"""Where a run's data comes from: a snapshot directory, else the parquet cache, else online.

`open_source` decides once per run:
1. a snapshot directory (`--snapshot`, LIQBT_SNAPSHOT or data.snapshot) is used alone, so a
   snapshot run is fully offline and reproducible (a missing file names itself);
2. otherwise the parquet cache (`--cache-dir`, LIQBT_CACHE_DIR, XDG default);
3. with `online=True` (`liqbt run --online`), a series or ticker missing from the cache is fetched
   into it first. Without it a run never touches the network and a missing item says which
   `liqbt fetch` command gets it. Cached items are not refreshed by a run: `liqbt fetch` does that.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.cache import CacheKey, Cached, ParquetCache, resolve_cache_dir
from feeds.catalog import SeriesSpec
from feeds.errors import DataError, InputError
from feeds.online import DEFAULT_TIMEOUT_S, OnlineSources
from feeds.refresh import Refresher, cache_key, price_key
from feeds.snapshot import FileRecord, SnapshotSource, sha256_of

Progress = Callable[[str], None]
#: Written by `liqbt fetch --export` beside the CSVs: provenance and the vintage they hold.
EXPORT_MANIFEST = "EXPORT.json"


def missing_message(key: CacheKey, root: Path, spec: SeriesSpec | None = None,
                    tail: str = ", or use `liqbt run --online` or --snapshot DIR",
                    config: str | None = None) -> str:
    """One line: what is not cached, where we looked, and the command that fetches it."""
    if spec is not None and spec.online is None:
        return (f"series '{spec.id}' has no online source ({spec.source}, snapshot only) and is "
                f"not cached in {root}: pass --snapshot DIR")
    flag = "--tickers" if key.folder == "prices" else "--series"
    vintage = " --vintage first_release" if key.vintage == "first_release" else ""
    command = f"`liqbt fetch {flag} {key.name}{vintage}`"
    if config is not None:
        command += f" or `liqbt fetch {config}{vintage}` (all it reads)"
    if vintage:
        command += " with FRED_API_KEY set"
    return f"{key.label} is not cached in {root}: run {command}{tail}"


class CacheSource:
    """A run's `feeds.panel.Source` over the parquet cache (read-only unless given a refresher)."""

    kind = "cache"

    def __init__(self, cache: ParquetCache, vintage: str = "latest",
                 refresher: Refresher | None = None, progress: Progress = lambda message: None,
                 config: str | None = None):
        self.cache, self.vintage, self.refresher, self.progress = cache, vintage, refresher, progress
        self.config = config  # named in "not cached" errors: `liqbt fetch CONFIG` gets it all
        self._loaded: dict[CacheKey, Cached] = {}

    def __repr__(self) -> str:
        online = ", online" if self.refresher is not None else ""
        return f"CacheSource('{self.cache.root}', vintage={self.vintage}{online})"

    def observations(self, spec: SeriesSpec) -> pd.Series:
        """Stamped observations of `spec` in native units, NaN rows dropped."""
        key = cache_key(spec, self.vintage)
        fill = (lambda: self.refresher.series(spec, self.vintage)) if self.refresher else None
        cached = self._load(key, fill, spec)
        column = "adj_close" if spec.folder == "prices" else "value"
        series = cached.frame[column].dropna()
        series.name = spec.id
        return series

    def prices(self, ticker: str) -> pd.Series:
        """Dividend- and split-adjusted closes of `ticker`."""
        key = price_key(ticker)
        fill = (lambda: self.refresher.prices(ticker)) if self.refresher else None
        series = self._load(key, fill).frame["adj_close"].dropna()
        series.name = ticker
        return series

    def files_used(self) -> list[FileRecord]:
        records = []
        for key in sorted(self._loaded, key=lambda k: str(k.relative)):
            cached = self._loaded[key]
            records.append(FileRecord(
                path=str(key.relative), sha256=sha256_of(cached.path), first=cached.meta.first,
                last=cached.meta.last, rows=cached.meta.rows, source=cached.meta.source,
                fetched_at=cached.meta.fetched_at))
        return records

    def _load(self, key: CacheKey, fill: Callable[[], object] | None,
              spec: SeriesSpec | None = None) -> Cached:
        if key in self._loaded:
            return self._loaded[key]
        cached = self.cache.read(key)
        if cached is None and fill is not None and (spec is None or spec.online is not None):
            self.progress(f"fetching {key.label} (not cached yet)")
            fill()
            cached = self.cache.read(key)
        if cached is None:
            raise DataError(missing_message(key, self.cache.root, spec, config=self.config))
        self._loaded[key] = cached
        return cached


def snapshot_vintage(snapshot: Path) -> str:
    """The vintage a snapshot holds: 'first_release' only if `liqbt fetch --export` said so."""
    manifest = snapshot / EXPORT_MANIFEST
    if not manifest.is_file():
        return "latest"
    try:
        return str(json.loads(manifest.read_text()).get("vintage", "latest"))
    except (ValueError, AttributeError):
        return "latest"


def open_source(snapshot: Path | None, cache_dir: str | Path | None = None,
                vintage: str = "latest", online: bool = False,
                timeout_s: float = DEFAULT_TIMEOUT_S, progress: Progress = lambda m: None,
                config: str | None = None):
    """The run's data source (see module docstring)."""
    if snapshot is not None:
        source = SnapshotSource(snapshot)
        if vintage == "first_release" and snapshot_vintage(source.root) != "first_release":
            raise InputError(f"data.vintage is first_release but snapshot '{source.root}' holds "
                             "latest (revised) values: drop --snapshot/LIQBT_SNAPSHOT and run from "
                             "the cache after `liqbt fetch CONFIG` (needs FRED_API_KEY), or set "
                             "data.vintage: latest")
        return source
    cache = ParquetCache(resolve_cache_dir(cache_dir))
    refresher = None
    if online:
        refresher = Refresher(cache, OnlineSources(timeout_s, cache.root / "py-yfinance"))
    return CacheSource(cache, vintage, refresher, progress, config)
