"""Build the bundled snapshot (feeds/bundled/) from any snapshot directory.

What goes in: every fred/, other/ and prices/ file of the source snapshot except `EXCLUDED`
(series whose owners forbid redistribution, or of unknown terms, that no config reads), each
reduced to the one column a run reads — `value` for series, `adj_close` for prices — with its
rows exactly as the snapshot reader sees them (file order, duplicates and gaps kept, so the
quality checks find the same things). Files are parquet: `date` as date32 (delta-encoded),
the value as float64 (or int64), zstd level 9 — 0.8 MB for the workshop snapshot's 11 MB of
CSVs, written in a fraction of a second (level 19 saves 5% for six times the time) and
byte-for-byte reproducible for a given pyarrow version.

Beside them: BUNDLE.json (machine-readable: per file its source, where the source snapshot got
it, dates, rows, sha256 of the parquet file and of the file it came from) and PROVENANCE.md (the
same for people, with a one-line note on each source's terms).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from feeds.atomic import write_bytes_atomic, write_text_atomic
from feeds.bundle import BUNDLED_DIR, MANIFEST
from feeds.catalog import CATALOG
from feeds.origin import last_session
from feeds.resolve import EXPORT_MANIFEST
from feeds.snapshot import FileRecord, SnapshotSource, sha256_of

FOLDERS = {"fred": "value", "other": "value", "prices": "adj_close"}
PROVENANCE = "PROVENANCE.md"
EXCLUDED = {
    "fred/GOLDAMGBD228NLBM": "LBMA gold price: ICE Benchmark Administration licenses it; FRED "
                             "withdrew it in 2022. No config reads it (gold: GLD, GC_F)",
    "fred/BAMLH0A0HYM2": "ICE BofA index data: FRED's notes forbid reproduction without ICE Data "
                         "Indices' permission. No signal reads it",
    "prices/XAUUSD": "broker spot quotes of unknown terms; snapshot-only, no config reads it",
}
#: One line per source on its terms of use (not legal advice: check before reusing the data).
TERMS = {
    "FRED": "Federal Reserve Economic Data, St. Louis Fed. The series bundled here are the Fed "
            "Board's (H.4.1, H.15, administered rates), the NY Fed's, the Chicago Fed's and the "
            "St. Louis Fed's own public statistics; FRED asks users to cite FRED and the original "
            "source. Series of other publishers keep their terms (the NY Fed's reference rates "
            "and Cboe's VIXCLS, below).",
    "NY Fed Markets API": "Federal Reserve Bank of New York: reference rates and repo operation "
                          "results; use is governed by the NY Fed's Terms of Use for its "
                          "reference rates and website, which require attribution.",
    "Treasury FiscalData": "U.S. Treasury, Daily Treasury Statement: a U.S. government work, in "
                           "the public domain.",
    "OFR": "Office of Financial Research Financial Stress Index: a U.S. government work, in the "
           "public domain; cite the OFR.",
    "Yahoo Finance": "Adjusted closes as served by Yahoo Finance (yfinance); Yahoo's terms allow "
                     "personal, non-commercial use and the prices belong to the exchanges and "
                     "index providers (S&P Dow Jones Indices: GSPC; FTSE Russell: RUT; CME: "
                     "GC_F). Bundled for reproducible research only: refetch with `liqbt fetch`.",
    "Cboe": "VIX, VIX3M (via Yahoo) and VIXCLS (via FRED) are Cboe indices, (c) Cboe Exchange, "
            "Inc.; bundled for research use only.",
}
CBOE = {"VIX", "VIX3M", "VIXCLS"}
#: Reference rates the NY Fed administers (FRED redistributes them under the NY Fed's terms).
NYFED_RATES = {"SOFR", "SOFR1", "SOFR25", "SOFR75", "SOFR99", "SOFRVOL", "TGCR", "BGCR", "EFFR",
               "OBFR"}


def source_of(folder: str, name: str) -> str:
    """Who publishes a file's data: keys of TERMS, '; '-separated when two sets of terms apply."""
    if folder == "prices":
        base = "Yahoo Finance"
    else:
        spec = CATALOG.get(name)
        base = spec.source if spec is not None else "FRED"
        base = {"Cboe/Yahoo": "Yahoo Finance"}.get(base, base)
    if name in NYFED_RATES and base == "FRED":
        return "FRED; NY Fed Markets API"
    return f"{base}; Cboe" if name in CBOE else base


def upstream_notes(source_dir: Path) -> dict[str, str]:
    """Where the source snapshot says it got each file: EXPORT.json (`liqbt fetch --export`:
    source and fetch time) or a PROVENANCE.md summary table (`| fred/X.csv | ... | sources |`)."""
    export = source_dir / EXPORT_MANIFEST
    if export.is_file():
        files = json.loads(export.read_text()).get("files", [])
        return {Path(f["path"]).with_suffix("").as_posix(): f"{f.get('source', '')}, fetched "
                f"{f.get('fetched_at', '?')}" for f in files if "path" in f}
    provenance = source_dir / "PROVENANCE.md"
    if not provenance.is_file():
        return {}
    notes = {}
    for line in provenance.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"(fred|other|prices)/[^ ]+\.csv", cells[0]):
            notes[cells[0][: -len(".csv")]] = cells[-1]
    return notes


def parquet_bytes(dates: np.ndarray, column: str, values: np.ndarray) -> bytes:
    """One bundled file: date32 (delta-encoded) and the values as float64 (int64 when the
    source's are whole numbers, as the CSV reader gives them), zstd 9, no dictionary."""
    kind = pa.int64() if np.issubdtype(values.dtype, np.integer) else pa.float64()
    table = pa.table({"date": pa.array(dates.astype("datetime64[D]"), pa.date32()),
                      column: pa.array(values, kind)})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=False,
                   column_encoding={"date": "DELTA_BINARY_PACKED"})
    return sink.getvalue()


def build_bundle(source_dir: Path | SnapshotSource, target: Path = BUNDLED_DIR,
                 described_as: str | None = None) -> dict:
    """Write the bundle of snapshot `source_dir` into `target` (replacing what was there); return
    its manifest. `described_as` names the source in the provenance (default: its path)."""
    source = source_dir if isinstance(source_dir, SnapshotSource) else SnapshotSource(source_dir)
    notes = upstream_notes(source.root)
    files, written = [], set()
    for folder, column in FOLDERS.items():
        for name in source.names(folder):
            key = f"{folder}/{name}"
            if key in EXCLUDED:
                continue
            frame = source.frame(folder, name)
            values = pd.to_numeric(frame[column], errors="coerce").to_numpy()  # as runs read it
            data = parquet_bytes(frame.index.to_numpy(), column, values)
            relative = f"{key}.parquet"
            write_bytes_atomic(target / relative, data)
            written.add(relative)
            record = source.record(folder, name)
            files.append({"path": relative, "source": source_of(folder, name),
                          "from": notes.get(key, ""), "first": record.first, "last": record.last,
                          "rows": record.rows, "sha256": sha256_of(target / relative),
                          "source_file": record.path, "source_sha256": record.sha256})
    for stale in target.glob("*/*.parquet"):
        if stale.relative_to(target).as_posix() not in written:
            stale.unlink()
    records = [FileRecord(f["path"], f["sha256"], f["first"], f["last"], f["rows"]) for f in files]
    last = last_session(records, today=date.max)
    manifest = {"source": described_as or str(source.root), "last_date": last.isoformat(),
                "bytes": sum((target / f["path"]).stat().st_size for f in files),
                "excluded": EXCLUDED, "terms": TERMS, "files": files}
    write_text_atomic(target / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    write_text_atomic(target / PROVENANCE, provenance_text(manifest))
    return manifest


def provenance_text(manifest: dict) -> str:
    """PROVENANCE.md of a bundle manifest."""
    lines = [
        "# The bundled snapshot: provenance",
        "",
        f"Real data to **{manifest['last_date']}** (newest price date), built from "
        f"`{manifest['source']}` by `python scripts/rebuild_bundled_snapshot.py DIR` "
        f"({len(manifest['files'])} files, {manifest['bytes'] / 1e6:.2f} MB). A run reads it "
        "when no snapshot is given and the cache lacks what the config needs; `liqbt fetch "
        "CONFIG` gets the latest data.",
        "",
        "Each file holds the one column a run reads (`value` for series, `adj_close` for prices: "
        "dividend- and split-adjusted closes) with the source snapshot's rows unchanged. "
        "`source_sha256` in BUNDLE.json is the checksum of the file it came from.",
        "",
        "## Terms of use, per source (a summary, not legal advice: check before reusing the data)",
        "",
        *[f"- **{name}**: {text}" for name, text in manifest["terms"].items()],
        "",
        "## Left out",
        "",
        *[f"- `{key}`: {why}." for key, why in manifest["excluded"].items()],
        "",
        "## Files",
        "",
        "| file | source | the source snapshot got it from | first | last | rows | sha256 |",
        "|---|---|---|---|---|---|---|",
        *[f"| {f['path']} | {f['source']} | {f['from']} | {f['first']} | {f['last']} | "
          f"{f['rows']} | `{f['sha256']}` |" for f in manifest["files"]],
        "",
    ]
    return "\n".join(lines)
