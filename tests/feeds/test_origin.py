"""How old a run's data is: the last session of its price files, said in one line and recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from feeds.origin import DataOrigin, last_session
from feeds.snapshot import FileRecord

TODAY = date(2026, 9, 4)


def _record(path: str, last: str) -> FileRecord:
    return FileRecord(path=path, sha256="0" * 64, first="2000-01-03", last=last, rows=10)


def test_the_last_session_is_the_newest_price_date_not_a_rate_set_in_advance():
    files = [_record("prices/SPY.csv", "2026-08-21"), _record("prices/SHY.parquet", "2026-07-13"),
             _record("fred/IORB.csv", "2026-08-24"), _record("fred/WALCL.csv", "2026-08-19")]
    assert last_session(files, TODAY) == date(2026, 8, 21)


def test_without_prices_the_newest_series_date_counts_but_never_after_today():
    files = [_record("first_release/fred/WALCL.parquet", "2026-08-19"),
             _record("fred/IORB.csv", "2026-09-10")]
    assert last_session(files, TODAY) == TODAY
    assert last_session(files[:1], TODAY) == date(2026, 8, 19)
    assert last_session([], TODAY) is None


def test_the_manifest_record_and_the_stderr_line_agree():
    origin = DataOrigin("bundled", "the bundled snapshot", Path("/pkg/feeds/bundled"),
                        "; `liqbt fetch q.yaml` for the latest")
    files = [_record("prices/SPY.parquet", "2026-08-21")]
    assert origin.record(files, TODAY) == {
        "kind": "bundled", "label": "the bundled snapshot", "path": "/pkg/feeds/bundled",
        "last_date": "2026-08-21", "age_days": 14, "as_of": "2026-09-04"}
    assert origin.line(files, TODAY) == ("using the bundled snapshot (to 2026-08-21, 14 days old);"
                                         " `liqbt fetch q.yaml` for the latest")
    fresh = DataOrigin("cache", "the cache /c", Path("/c"))
    assert fresh.line([_record("prices/SPY.parquet", "2026-09-03")], TODAY) == \
        "using the cache /c (to 2026-09-03, 1 day old)"
    assert fresh.line([_record("prices/SPY.parquet", "2026-09-04")], TODAY) == \
        "using the cache /c (to 2026-09-04, from today)"
    assert fresh.record([], TODAY)["last_date"] is None and fresh.line([], TODAY) == \
        "using the cache /c"
