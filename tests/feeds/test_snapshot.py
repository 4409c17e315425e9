"""Snapshot directories may hold parquet files too: same reader, same records, same errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from feeds.catalog import spec_for
from feeds.errors import DataError
from feeds.quality import CheckedSource, QualityPolicy
from feeds.snapshot import SnapshotSource, sha256_of


def _parquet(path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def test_a_parquet_file_reads_like_its_csv(tmp_path):
    csv, parquet = tmp_path / "csv", tmp_path / "parquet"
    (csv / "fred").mkdir(parents=True)
    (csv / "fred" / "WALCL.csv").write_text("date,value\n2020-01-08,4100000\n2020-01-01,4000000\n"
                                            "2020-01-15,\n")
    days = pd.to_datetime(["2020-01-08", "2020-01-01", "2020-01-15"]).date
    _parquet(parquet / "fred" / "WALCL.parquet",
             pa.table({"date": pa.array(days, pa.date32()),
                       "value": pa.array([4100000.0, 4000000.0, None], pa.float64())}))
    from_csv, from_parquet = SnapshotSource(csv), SnapshotSource(parquet)
    pd.testing.assert_series_equal(from_csv.observations(spec_for("WALCL")).astype(float),
                                   from_parquet.observations(spec_for("WALCL")))
    (record,) = from_parquet.files_used()
    assert record.path == "fred/WALCL.parquet"
    assert record.sha256 == sha256_of(parquet / "fred" / "WALCL.parquet")
    assert (record.first, record.last, record.rows) == ("2020-01-01", "2020-01-15", 3)
    assert from_parquet.frame("fred", "WALCL").index.dtype == "datetime64[us]"


def test_rows_reach_the_quality_checks_in_file_order(tmp_path, caplog):
    """Unsorted rows and duplicated dates are the policy's business, not the reader's."""
    days = pd.to_datetime(["2020-01-03", "2020-01-02", "2020-01-02"]).to_numpy("datetime64[us]")
    _parquet(tmp_path / "prices" / "X.parquet",
             pa.table({"date": pa.array(days, pa.timestamp("us")),
                       "adj_close": [3.0, 1.0, 2.0]}))
    with caplog.at_level("WARNING", logger="liqbt.quality"):
        kept = CheckedSource(SnapshotSource(tmp_path), QualityPolicy()).prices("X")
    assert kept.tolist() == [2.0, 3.0]
    assert "duplicated date" in caplog.text and "dates out of order" in caplog.text


@pytest.mark.parametrize("table, message", [
    (pa.table({"day": ["2020-01-02"], "value": [1.0]}), "no 'date' column"),
    (pa.table({"date": ["2020-01-02"], "value": [1.0]}), "the 'date' column is string, not dates"),
    (pa.table({"date": pa.array(np.array(["2020-01-02"], "datetime64[D]"), pa.date32()),
               "level": [1.0]}), "no 'value' column; the layout is date,value"),
])
def test_malformed_parquet_files_are_one_line_data_errors(tmp_path, table, message):
    _parquet(tmp_path / "fred" / "WALCL.parquet", table)
    with pytest.raises(DataError, match=message):
        SnapshotSource(tmp_path).observations(spec_for("WALCL"))


def test_a_file_that_is_not_parquet_is_a_data_error(tmp_path):
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "WALCL.parquet").write_bytes(b"date,value\n2020-01-02,1\n")
    with pytest.raises(DataError, match=r"WALCL.parquet: cannot read it as parquet"):
        SnapshotSource(tmp_path).observations(spec_for("WALCL"))


def test_names_lists_both_formats_and_csv_wins_when_both_exist(tmp_path):
    (tmp_path / "prices").mkdir()
    (tmp_path / "prices" / "A.csv").write_text("date,adj_close\n2020-01-02,1\n")
    (tmp_path / "prices" / "notes.txt").write_text("not data")
    for name in ("A", "B"):
        _parquet(tmp_path / "prices" / f"{name}.parquet",
                 pa.table({"date": pa.array(np.array(["2020-01-02"], "datetime64[D]"),
                                            pa.date32()), "adj_close": [9.0]}))
    source = SnapshotSource(tmp_path)
    assert source.names("prices") == ["A", "B"] and source.names("fred") == []
    assert source.prices("A").tolist() == [1.0] and source.prices("B").tolist() == [9.0]
    assert source.record("prices", "NOPE") is None
