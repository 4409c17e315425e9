"""The local parquet cache: one file per series/ticker, crash-safe, self-describing.

Layout mirrors a snapshot directory (so export is a format change, not a remapping):

    ROOT/fred/<ID>.parquet  ROOT/other/<ID>.parquet      date, value (native units)
    ROOT/prices/<TICKER>.parquet                         date, open, high, low, close, adj_close, volume
    ROOT/first_release/fred/<ID>.parquet                 ALFRED first releases (data.vintage)

Each file carries its provenance in the parquet schema metadata (key `liqbt`): id, folder, vintage,
source, host, fetched_at (UTC), first/last date, rows, and the sha256 of the data (its CSV form,
checked on every read). Writes go to a temp file beside the target and `os.replace` it
(feeds/atomic.py), so a crash mid-write leaves the previous good file in place; a read opens the
file once and parses and checksums those bytes, so a reader sees one whole version.

ROOT: `--cache-dir`, else env LIQBT_CACHE_DIR, else $XDG_CACHE_HOME/liqbt, else ~/.cache/liqbt.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from feeds.atomic import atomic_path
from feeds.errors import DataError
from feeds.online.fetched import PRICE_COLUMNS, VALUE_COLUMNS

METADATA_KEY = b"liqbt"
# A temp file this old is a killed fetch's, not one a running fetch is still writing.
STALE_TEMP_AGE_S = 3600.0


def default_cache_dir() -> Path:
    """LIQBT_CACHE_DIR, else $XDG_CACHE_HOME/liqbt, else ~/.cache/liqbt."""
    if os.environ.get("LIQBT_CACHE_DIR"):
        return Path(os.environ["LIQBT_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "liqbt"


def resolve_cache_dir(cli_value: str | Path | None) -> Path:
    return Path(cli_value).expanduser() if cli_value else default_cache_dir()


@dataclass(frozen=True)
class CacheKey:
    """Which file: `folder` is the snapshot folder (fred/other/prices), `name` the id/ticker."""

    folder: str
    name: str
    vintage: str = "latest"

    @property
    def relative(self) -> Path:
        prefix = Path("first_release") if self.vintage == "first_release" else Path()
        return prefix / self.folder / f"{self.name}.parquet"

    @property
    def columns(self) -> tuple[str, ...]:
        return PRICE_COLUMNS if self.folder == "prices" else VALUE_COLUMNS

    @property
    def label(self) -> str:
        suffix = " (first release)" if self.vintage == "first_release" else ""
        kind = "ticker" if self.folder == "prices" else "series"
        return f"{kind} '{self.name}'{suffix}"


@dataclass(frozen=True)
class CacheMeta:
    """Provenance stored with each file."""

    id: str
    folder: str
    vintage: str
    source: str
    host: str
    fetched_at: str
    first: str
    last: str
    rows: int
    sha256: str
    requested_start: str = ""  # earliest start ever asked for ("" = the whole history)


@dataclass(frozen=True)
class Cached:
    key: CacheKey
    path: Path
    frame: pd.DataFrame
    meta: CacheMeta


def data_sha256(frame: pd.DataFrame) -> str:
    """Checksum of the data itself: its CSV form (date + columns, full float precision)."""
    text = frame.to_csv(date_format="%Y-%m-%d", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(frame: pd.DataFrame, key: CacheKey) -> pd.DataFrame:
    frame = frame.reindex(columns=list(key.columns)).astype("float64")
    frame.index = pd.DatetimeIndex(pd.DatetimeIndex(frame.index).to_numpy("datetime64[us]"),
                                   name="date")
    return frame.sort_index()


class ParquetCache:
    """Read, write and list cached series/tickers under `root`."""

    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser()

    def __repr__(self) -> str:
        return f"ParquetCache('{self.root}')"

    def path(self, key: CacheKey) -> Path:
        return self.root / key.relative

    def has(self, key: CacheKey) -> bool:
        return self.path(key).is_file()

    def write(self, key: CacheKey, frame: pd.DataFrame, source: str, host: str,
              requested_start: str = "") -> Cached:
        """Replace `key`'s file atomically with `frame` and fresh provenance."""
        frame = _canonical(frame, key)
        meta = CacheMeta(
            id=key.name, folder=key.folder, vintage=key.vintage, source=source, host=host,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            first=str(frame.index[0].date()) if len(frame) else "",
            last=str(frame.index[-1].date()) if len(frame) else "", rows=len(frame),
            sha256=data_sha256(frame), requested_start=requested_start)
        table = pa.Table.from_pandas(frame.reset_index(), preserve_index=False)
        schema_meta = dict(table.schema.metadata or {})
        schema_meta[METADATA_KEY] = json.dumps(asdict(meta)).encode("utf-8")
        table = table.replace_schema_metadata(schema_meta)
        target = self.path(key)
        with atomic_path(target) as temp:
            pq.write_table(table, temp)
        return Cached(key, target, frame, meta)

    def remove_stale_temps(self, older_than_s: float = STALE_TEMP_AGE_S) -> int:
        """Delete the temp files (`.NAME.*.tmp`) a killed fetch left beside the files it was
        replacing; only ones untouched for `older_than_s`, so a concurrent fetch still writing
        its own keeps them. Returns how many went."""
        if not self.root.is_dir():
            return 0
        cutoff, removed = time.time() - older_than_s, 0
        for temp in self.root.rglob(".*.tmp"):
            try:
                if temp.is_file() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed += 1
            except OSError:  # gone meanwhile, or not ours to delete: not worth failing a fetch
                continue
        return removed

    def read(self, key: CacheKey) -> Cached | None:
        """The cached data of `key`, or None when not cached; checksum verified."""
        path = self.path(key)
        try:  # opened once: parse and checksum the same bytes, even while a fetch replaces it
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as exc:
            raise DataError(f"cache file {path} is unreadable ({exc.strerror}): check its "
                            "permissions, or delete it and run "
                            f"`liqbt fetch {_fetch_hint(key)}`") from None
        try:
            table = pq.read_table(pa.BufferReader(data))
        except (OSError, pa.ArrowException) as exc:
            raise DataError(f"cache file {path} is unreadable ({exc}): delete it and run "
                            f"`liqbt fetch {_fetch_hint(key)}`") from None
        meta = _meta_of(table.schema, path)
        frame = table.to_pandas().set_index("date")
        frame = _canonical(frame, key)
        if data_sha256(frame) != meta.sha256:
            raise DataError(f"cache file {path} fails its sha256 check: delete it and run "
                            f"`liqbt fetch {_fetch_hint(key)}`")
        return Cached(key, path, frame, meta)

    def entries(self) -> list[tuple[Path, CacheMeta]]:
        """Every readable cached file with its provenance."""
        return [(path, meta) for path, meta in self.listing() if isinstance(meta, CacheMeta)]

    def listing(self) -> list[tuple[Path, CacheMeta | str]]:
        """Every cached file with its provenance, or why it cannot be read (reads only parquet
        footers; skips temp files)."""
        found: list[tuple[Path, CacheMeta | str]] = []
        if not self.root.is_dir():
            return found
        for path in sorted(self.root.rglob("*.parquet")):
            if path.name.startswith("."):
                continue
            try:
                found.append((path, _meta_of(pq.read_schema(path), path)))
            except (OSError, pa.ArrowException) as exc:
                found.append((path, f"unreadable ({getattr(exc, 'strerror', None) or exc})"))
            except DataError:
                found.append((path, "unreadable (no liqbt metadata)"))
        return found


def _meta_of(schema: pa.Schema, path: Path) -> CacheMeta:
    raw = (schema.metadata or {}).get(METADATA_KEY)
    try:
        return CacheMeta(**json.loads(raw))
    except (TypeError, ValueError) as exc:
        raise DataError(f"cache file {path} has no liqbt metadata ({exc}): delete it and fetch "
                        "again") from None


def _fetch_hint(key: CacheKey) -> str:
    flag = "--tickers" if key.folder == "prices" else "--series"
    vintage = " --vintage first_release" if key.vintage == "first_release" else ""
    return f"{flag} {key.name}{vintage}"
