"""`liqbt fetch --export DIR`: write cached data as a snapshot directory (the --snapshot layout).

    DIR/fred/<ID>.csv, DIR/other/<ID>.csv      date,value
    DIR/prices/<TICKER>.csv                    date,open,high,low,close,adj_close,volume
    DIR/EXPORT.json                            per file: source, fetched_at, sha256, rows, range;
                                               and the vintage the files hold

Floats are written at full precision, so a run from the export reads the same numbers as a run
from the cache. Each file is written atomically.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from feeds.atomic import write_text_atomic
from feeds.cache import CacheKey, ParquetCache
from feeds.errors import DataError
from feeds.resolve import EXPORT_MANIFEST, missing_message
from feeds.snapshot import sha256_of


def snapshot_csv(frame: pd.DataFrame, folder: str) -> str:
    """The snapshot's CSV text for a cached frame (volume as whole numbers, blanks for missing)."""
    out = frame.copy()
    if folder == "prices":
        out["volume"] = out["volume"].round().astype("Int64")
    out.index = pd.DatetimeIndex(out.index).strftime("%Y-%m-%d")
    out.index.name = "date"
    return out.to_csv(lineterminator="\n")


def export_snapshot(cache: ParquetCache, keys: list[CacheKey], target: Path,
                    vintage: str = "latest") -> list[Path]:
    """Write `keys` from `cache` under `target`; return the files written."""
    target = Path(target).expanduser()
    written, provenance = [], []
    for key in keys:
        cached = cache.read(key)
        if cached is None:
            raise DataError(missing_message(key, cache.root))
        path = target / key.folder / f"{key.name}.csv"
        write_text_atomic(path, snapshot_csv(cached.frame, key.folder))
        written.append(path)
        provenance.append({**asdict(cached.meta), "path": f"{key.folder}/{key.name}.csv",
                           "file_sha256": sha256_of(path)})
    manifest = {"created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "cache": str(cache.root), "vintage": vintage, "files": provenance}
    write_text_atomic(target / EXPORT_MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return written
