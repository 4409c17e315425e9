"""The real snapshot shipped inside the package, so a fresh clone or `pip install` can run offline.

`feeds/bundled/` is a snapshot directory (fred/, other/, prices/) of parquet files — package data,
installed with the code — plus `BUNDLE.json` (every file's source, dates, rows and sha256) and
`PROVENANCE.md` (the same, and each source's terms). It is read by the ordinary snapshot reader
(`feeds.snapshot.SnapshotSource`), so its quality checks and manifest records are those of any
snapshot. A run falls back to it when no snapshot is given and the cache does not hold what the
config needs (feeds/resolve.py). Rebuild it with `python scripts/rebuild_bundled_snapshot.py DIR`
(feeds/bundle_build.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from feeds.snapshot import SnapshotSource

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
MANIFEST = "BUNDLE.json"
LABEL = "the bundled snapshot"


def bundled_source(root: Path = BUNDLED_DIR) -> SnapshotSource | None:
    """The bundled snapshot as a source, or None when this installation has none."""
    if not (root / MANIFEST).is_file():
        return None
    return SnapshotSource(root, label=LABEL, fetch_tail=" (runs then read the cache)")


def bundle_manifest(root: Path = BUNDLED_DIR) -> dict:
    """BUNDLE.json: {"last_date", "files": [{"path", "source", "first", "last", "rows",
    "sha256", ...}], ...}."""
    return json.loads((root / MANIFEST).read_text())
