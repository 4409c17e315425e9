"""Where a run's data comes from: decided once, said once, never a mix.

`open_source` picks one origin per run (feeds/origin.py says it on stderr and in the manifest):
1. a snapshot directory (`--snapshot`, LIQBT_SNAPSHOT or data.snapshot), used alone, so a
   snapshot run is fully offline and reproducible (a missing file names itself);
2. with `online=True` (`liqbt run --online`), the parquet cache, fetching what it lacks first;
3. the parquet cache (`--cache-dir`, LIQBT_CACHE_DIR, XDG default) when it holds everything the
   config needs (`needs`);
4. else the snapshot bundled with the package (feeds/bundle.py), when it holds everything (latest
   values only: a first-release run never falls back to it);
5. else the cache anyway, whose first missing item names the `liqbt fetch` command that gets it.
Without `online` a run never touches the network. Cached items are not refreshed by a run:
`liqbt fetch` does that. Without `needs` (library use) steps 3-5 are just "the cache".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.bundle import bundled_source
from feeds.cache import CacheKey, Cached, ParquetCache, resolve_cache_dir
from feeds.catalog import SeriesSpec
from feeds.errors import DataError, InputError
from feeds.online import DEFAULT_TIMEOUT_S, OnlineSources
from feeds.origin import DataNeeds, DataOrigin
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

    def records_for(self, needs: DataNeeds) -> list[FileRecord]:
        """File records of what `needs` names that is cached (read now, as a run would)."""
        keys = [cache_key(spec, self.vintage) for spec in needs.series]
        keys += [price_key(ticker) for ticker in needs.tickers]
        for key in keys:
            if key not in self._loaded and self.cache.has(key):
                self._load(key, None)
        return [record for record in self.files_used()
                if record.path in {str(key.relative) for key in keys}]

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
                config: str | None = None, needs: DataNeeds | None = None):
    """The run's data source (see module docstring); with `needs`, its one stderr line goes to
    `progress`. The source carries its `origin` (a `feeds.origin.DataOrigin`)."""
    if snapshot is not None:
        source = SnapshotSource(snapshot)
        if vintage == "first_release" and snapshot_vintage(source.root) != "first_release":
            raise InputError(f"data.vintage is first_release but snapshot '{source.root}' holds "
                             "latest (revised) values: drop --snapshot/LIQBT_SNAPSHOT and run from "
                             "the cache after `liqbt fetch CONFIG` (needs FRED_API_KEY), or set "
                             "data.vintage: latest")
        return _said(source, DataOrigin("snapshot", f"snapshot {source.root}", source.root),
                     needs, progress)
    cache = ParquetCache(resolve_cache_dir(cache_dir))
    if online:
        refresher = Refresher(cache, OnlineSources(timeout_s, cache.root / "py-yfinance"))
        source = CacheSource(cache, vintage, refresher, progress, config)
        return _said(source, DataOrigin("online", f"the cache {cache.root}", cache.root), needs,
                     progress)
    source = CacheSource(cache, vintage, None, progress, config)
    cache_origin = DataOrigin("cache", f"the cache {cache.root}", cache.root)
    if needs is None:
        source.origin = cache_origin
        return source
    keys = _keys(needs, vintage)
    lacking = [key for key in keys if not cache.has(key)]
    if not lacking:
        return _said(source, cache_origin, needs, progress)
    bundle = bundled_source() if vintage == "latest" else None
    if bundle is not None and not _holds(bundle, needs):
        _neither(cache, bundle, needs, vintage, config)
    if bundle is None or not _holds(bundle, needs):
        source.origin = cache_origin  # its first missing item will say what to fetch
        return source
    fetch = f"`liqbt fetch {config}`" if config else "`liqbt fetch CONFIG`"
    note = f"; {fetch} for the latest"
    if len(lacking) < len(keys):
        more = f" (and {len(lacking) - 1} more)" if len(lacking) > 1 else ""
        note += f" (the cache {cache.root} lacks {lacking[0].label}{more})"
    origin = DataOrigin("bundled", "the bundled snapshot", bundle.root, note)
    return _said(bundle, origin, needs, progress)


def _keys(needs: DataNeeds, vintage: str) -> list[CacheKey]:
    return [cache_key(spec, vintage) for spec in needs.series] + \
        [price_key(ticker) for ticker in needs.tickers]


def _neither(cache: ParquetCache, bundle: SnapshotSource, needs: DataNeeds, vintage: str,
             config: str | None) -> None:
    """One line naming the first item neither the cache nor the bundled snapshot has (else the
    run would stop at the first item the cache lacks, which the bundle may well have)."""
    lacking = [(cache_key(spec, vintage), spec) for spec in needs.series
               if not bundle.has_series(spec)]
    lacking += [(price_key(ticker), None) for ticker in needs.tickers
                if not bundle.has_file("prices", ticker)]
    for key, spec in lacking:
        if not cache.has(key):
            raise DataError(missing_message(key, cache.root, spec, config=config).replace(
                " is not cached in ", " is neither in the bundled snapshot nor cached in ", 1))


def _holds(source: SnapshotSource, needs: DataNeeds) -> bool:
    return all(source.has_series(spec) for spec in needs.series) and \
        all(source.has_file("prices", ticker) for ticker in needs.tickers)


def _said(source, origin: DataOrigin, needs: DataNeeds | None, progress: Progress):
    """Attach `origin` to `source` and, when the needs are known, say it once: the files the
    config needs are read now (they would be at once anyway) to date it."""
    source.origin = origin
    if needs is not None:
        if isinstance(source, SnapshotSource):
            found = [source.record(spec.folder, spec.id) for spec in needs.series]
            found += [source.record("prices", ticker) for ticker in needs.tickers]
            records = [record for record in found if record is not None]
        else:
            records = source.records_for(needs)
        progress(origin.line(records))
    return source
