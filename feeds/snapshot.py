"""The snapshot-directory source: CSVs laid out like `../shared/data`.

    fred/<ID>.csv, other/<ID>.csv     date,value           (stamped observations, native units)
    prices/<TICKER>.csv               date,open,high,low,close,adj_close,volume

Offline runs, CI and `liqbt fetch --export` all use this layout. Every file read is recorded with
its checksum and date range so a run's manifest can say exactly which bytes produced its numbers.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.catalog import SeriesSpec
from feeds.errors import DataError, InputError, shown
from feeds.quality import INFINITE, UNPARSED


@dataclass(frozen=True)
class FileRecord:
    """Provenance of one data file a run read."""

    path: str
    sha256: str
    first: str
    last: str
    rows: int
    source: str = ""      # cache files: who served the data, and when (UTC)
    fetched_at: str = ""

    def as_dict(self) -> dict:
        record = {"path": self.path, "sha256": self.sha256, "first": self.first, "last": self.last,
                  "rows": self.rows}
        if self.source:
            record.update(source=self.source, fetched_at=self.fetched_at)
        return record


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SnapshotSource:
    """Reads stamped observations and prices from a snapshot directory (read-only, memoised)."""

    kind = "snapshot"

    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser()
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"snapshot '{self.root}' is a file, not a folder: pass --snapshot DIR "
                             "(or LIQBT_SNAPSHOT) naming a folder laid out like ../shared/data "
                             "(fred/, other/, prices/)")
        if not self.root.is_dir():
            raise InputError(
                f"snapshot directory '{self.root}' does not exist: pass --snapshot DIR or set "
                "LIQBT_SNAPSHOT to a folder laid out like ../shared/data (fred/, other/, prices/)")
        self._frames: dict[Path, pd.DataFrame] = {}
        self._records: dict[Path, FileRecord] = {}

    def __repr__(self) -> str:
        return f"SnapshotSource('{self.root}')"

    def has_series(self, spec: SeriesSpec) -> bool:
        return self._path(spec.folder, spec.id).is_file()

    def observations(self, spec: SeriesSpec) -> pd.Series:
        """Stamped observations of `spec` in its native units, empty rows dropped; cells that
        are not numbers are dropped too and listed for the quality checks (`UNPARSED`)."""
        column = "adj_close" if spec.folder == "prices" else "value"
        frame = self._read(spec.folder, spec.id, what=f"series '{spec.id}'",
                           fetch_hint=f"--series {spec.id}", column=column)
        return self._numbers(frame, spec.folder, spec.id, column)

    def prices(self, ticker: str) -> pd.Series:
        """Dividend- and split-adjusted closes of `ticker` (the total-return price path)."""
        frame = self._read("prices", ticker, what=f"ticker '{ticker}'",
                           fetch_hint=f"--tickers {ticker}", column="adj_close")
        return self._numbers(frame, "prices", ticker, "adj_close")

    def _numbers(self, frame: pd.DataFrame, folder: str, name: str, column: str) -> pd.Series:
        """`column` as numbers. Empty cells (and pandas' missing markers: NA, NaN, ...) are
        missing data; any other text that is not a number is a data-quality issue, not a
        silently dropped row: (date, file line, text) per cell in `attrs[UNPARSED]` (and
        infinite values, kept for the checks to drop, in `attrs[INFINITE]`)."""
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce")

        def cells(mask: pd.Series) -> list[tuple]:
            lines = np.flatnonzero(mask.to_numpy()) + 2  # 1-based, after the header line
            return [(stamp, f"{folder}/{name}.csv line {line}, column {column}", text)
                    for (stamp, text), line in zip(raw[mask].items(), lines)]

        unparsed, infinite = cells(values.isna() & raw.notna()), cells(np.isinf(values))
        values = values.dropna().rename(name)
        values.attrs.update({UNPARSED: unparsed, INFINITE: infinite})
        return values

    def files_used(self) -> list[FileRecord]:
        return [self._records[path] for path in sorted(self._records)]

    def _path(self, folder: str, name: str) -> Path:
        return self.root / folder / f"{name}.csv"

    def _read(self, folder: str, name: str, what: str, fetch_hint: str, column: str
              ) -> pd.DataFrame:
        """The file as read (rows in file order: sorting and duplicate dates are the data-quality
        checks' job, under the run's policy), read once and hashed from the same bytes."""
        path = self._path(folder, name)
        if path in self._frames:
            return self._frames[path]
        if not path.is_file():
            raise DataError(f"{what} is not in snapshot '{self.root}' (expected {path}): add the "
                            f"file, or fetch it with `liqbt fetch {fetch_hint}` and run without "
                            "--snapshot")
        layout = ("date,value" if folder != "prices"
                  else "date,open,high,low,close,adj_close,volume")
        try:
            raw = path.read_bytes()
            frame = pd.read_csv(io.BytesIO(raw), index_col="date", parse_dates=["date"],
                                encoding="utf-8-sig",
                                date_format="%Y-%m-%d")
        except OSError as exc:
            raise DataError(f"{path}: cannot read it ({exc.strerror})") from None
        except (ValueError, pd.errors.ParserError) as exc:
            raise DataError(f"{path}: cannot parse as CSV with a 'date' column "
                            f"({shown(str(exc), 160)}); the layout is {layout}") from None
        if frame.empty:
            raise DataError(f"{path}: the file has no rows; the layout is {layout}")
        if not isinstance(frame.index, pd.DatetimeIndex):
            dates = pd.to_datetime(frame.index.astype(str), format="%Y-%m-%d", errors="coerce")
            first = int(np.flatnonzero(dates.isna())[0])
            raise DataError(f"{path} line {first + 2}: date {shown(str(frame.index[first]))} is "
                            f"not an existing date as YYYY-MM-DD; the layout is {layout}")
        if column not in frame.columns:
            raise DataError(f"{path}: no '{column}' column; the layout is {layout}")
        self._frames[path] = frame
        self._records[path] = FileRecord(
            path=str(path.relative_to(self.root)), sha256=hashlib.sha256(raw).hexdigest(),
            first=str(frame.index.min().date()) if len(frame) else "",
            last=str(frame.index.max().date()) if len(frame) else "", rows=len(frame))
        return frame
