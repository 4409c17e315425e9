"""The snapshot-directory source: files laid out like the bundled snapshot
(`feeds/bundled/`) or a `liqbt fetch --export DIR`.

    fred/<ID>.csv, other/<ID>.csv     date,value           (stamped observations, native units)
    prices/<TICKER>.csv               date,open,high,low,close,adj_close,volume

Offline runs, CI and `liqbt fetch --export` all use this layout. A file may also be parquet
(`<ID>.parquet`: a `date` column, date or timestamp, plus the columns above or just the one a run
reads, `value` or `adj_close`): the bundled snapshot (feeds/bundle.py) is such a directory. Both
formats go through the same reader, so quality checks and file records are the same. Every file
read is recorded with its checksum and date range so a run's manifest can say exactly which bytes
produced its numbers.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

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


#: File formats a snapshot folder may hold, in order of preference when both exist.
FORMATS = (".csv", ".parquet")


class SnapshotSource:
    """Reads stamped observations and prices from a snapshot directory (read-only, memoised).

    `label` names the directory in messages ("snapshot '<root>'" unless given, e.g. "the bundled
    snapshot"); `fetch_tail` ends a missing-file message (how to get the file some other way)."""

    kind = "snapshot"

    def __init__(self, root: str | Path, label: str | None = None,
                 fetch_tail: str = " and run without --snapshot"):
        self.root = Path(root).expanduser()
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"snapshot '{self.root}' is a file, not a folder: pass --snapshot DIR "
                             "(or LIQBT_SNAPSHOT) naming a folder laid out like feeds/bundled or a `liqbt fetch --export` "
                             "(fred/, other/, prices/)")
        self.label = label or f"snapshot '{self.root}'"
        self.fetch_tail = fetch_tail
        if not self.root.is_dir():
            raise InputError(
                f"snapshot directory '{self.root}' does not exist: pass --snapshot DIR or set "
                "LIQBT_SNAPSHOT to a folder laid out like feeds/bundled or a `liqbt fetch --export` (fred/, other/, prices/)")
        self._frames: dict[Path, pd.DataFrame] = {}
        self._records: dict[Path, FileRecord] = {}

    def __repr__(self) -> str:
        return f"SnapshotSource('{self.root}')"

    def has_series(self, spec: SeriesSpec) -> bool:
        return self.has_file(spec.folder, spec.id)

    def has_file(self, folder: str, name: str) -> bool:
        return self._path(folder, name).is_file()

    def names(self, folder: str) -> list[str]:
        """The ids/tickers `folder` holds, in either format, sorted."""
        where = self.root / folder
        if not where.is_dir():
            return []
        return sorted({path.stem for path in where.iterdir()
                       if path.suffix in FORMATS and path.is_file()})

    def frame(self, folder: str, name: str) -> pd.DataFrame:
        """The file of `name` in `folder` as read: every column it has, rows in file order."""
        column = "adj_close" if folder == "prices" else "value"
        hint = f"--tickers {name}" if folder == "prices" else f"--series {name}"
        return self._read(folder, name, what=f"'{name}'", fetch_hint=hint, column=column)

    def record(self, folder: str, name: str) -> FileRecord | None:
        """The file record of `name` (reading it if not read yet), or None when the file is
        missing or unreadable: for looking, not loading (loading reports the problem)."""
        try:
            self.frame(folder, name)
        except DataError:
            return None
        return self._records[self._path(folder, name)]

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

        path = self._path(folder, name)
        csv = path.suffix != ".parquet"  # a CSV's line numbers count its header line

        def cells(mask: pd.Series) -> list[tuple]:
            rows = np.flatnonzero(mask.to_numpy()) + (2 if csv else 1)
            where = f"{path.relative_to(self.root).as_posix()} {'line' if csv else 'row'}"
            return [(stamp, f"{where} {row}, column {column}", text)
                    for (stamp, text), row in zip(raw[mask].items(), rows)]

        unparsed, infinite = cells(values.isna() & raw.notna()), cells(np.isinf(values))
        values = values.dropna().rename(name)
        values.attrs.update({UNPARSED: unparsed, INFINITE: infinite})
        return values

    def files_used(self) -> list[FileRecord]:
        return [self._records[path] for path in sorted(self._records)]

    def _path(self, folder: str, name: str) -> Path:
        for suffix in FORMATS:
            path = self.root / folder / f"{name}{suffix}"
            if path.is_file():
                return path
        return self.root / folder / f"{name}{FORMATS[0]}"

    def _read(self, folder: str, name: str, what: str, fetch_hint: str, column: str
              ) -> pd.DataFrame:
        """The file as read (rows in file order: sorting and duplicate dates are the data-quality
        checks' job, under the run's policy), read once and hashed from the same bytes."""
        path = self._path(folder, name)
        if path in self._frames:
            return self._frames[path]
        if not path.is_file():
            raise DataError(f"{what} is not in {self.label} (expected {path}): add the file, or "
                            f"fetch it with `liqbt fetch {fetch_hint}`{self.fetch_tail}")
        layout = ("date,value" if folder != "prices"
                  else "date,open,high,low,close,adj_close,volume")
        try:
            raw = path.read_bytes()
            frame = (_parquet_frame(raw, path, layout) if path.suffix == ".parquet" else
                     pd.read_csv(io.BytesIO(raw), index_col="date", parse_dates=["date"],
                                 encoding="utf-8-sig", date_format="%Y-%m-%d"))
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


def _parquet_frame(raw: bytes, path: Path, layout: str) -> pd.DataFrame:
    """A parquet snapshot file as the CSV reader would give it: `date` as a datetime64[us]
    index (rows in file order), the other columns as they are."""
    try:
        table = pq.read_table(pa.BufferReader(raw))
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{path}: cannot read it as parquet ({exc})") from None
    if "date" not in table.column_names:
        raise DataError(f"{path}: no 'date' column; the layout is {layout}")
    dates = table.column("date")
    if not (pa.types.is_date(dates.type) or pa.types.is_timestamp(dates.type)):
        raise DataError(f"{path}: the 'date' column is {dates.type}, not dates; the layout is "
                        f"{layout}")
    index = pd.DatetimeIndex(dates.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False),
                             name="date")
    frame = table.drop_columns(["date"]).to_pandas()
    frame.index = index
    return frame
