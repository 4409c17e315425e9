"""The parquet cache: provenance in the file, checksums, crash-safe writes, default location."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from feeds.cache import CacheKey, ParquetCache, default_cache_dir, resolve_cache_dir
from feeds.errors import DataError

REPO = Path(__file__).resolve().parents[2]
WALCL = CacheKey("fred", "WALCL")


def _weekly(values, start="2025-12-03") -> pd.DataFrame:
    index = pd.date_range(start, periods=len(values), freq="7D", name="date")
    return pd.DataFrame({"value": values}, index=index)


def test_write_then_read_round_trips_data_and_provenance(tmp_path):
    cache = ParquetCache(tmp_path)
    frame = _weekly([6_581_231.0, 6_640_618.0, 6_622_000.5])
    written = cache.write(WALCL, frame, "FRED fredgraph.csv", "fred.stlouisfed.org")
    assert written.path == tmp_path / "fred" / "WALCL.parquet"
    back = cache.read(WALCL)
    pd.testing.assert_frame_equal(back.frame, written.frame)
    assert back.frame["value"].tolist() == [6_581_231.0, 6_640_618.0, 6_622_000.5]
    meta = json.loads(pq.read_schema(written.path).metadata[b"liqbt"])
    assert meta["source"] == "FRED fredgraph.csv" and meta["host"] == "fred.stlouisfed.org"
    assert (meta["first"], meta["last"], meta["rows"]) == ("2025-12-03", "2025-12-17", 3)
    assert len(meta["sha256"]) == 64 and meta["fetched_at"].endswith("+00:00")


def test_prices_keep_the_full_ohlcv_layout_and_first_releases_live_apart(tmp_path):
    cache = ParquetCache(tmp_path)
    prices = pd.DataFrame({"close": [1.0, 2.0], "adj_close": [1.0, 2.0], "volume": [10.0, None],
                           "open": [0.9, 1.9], "high": [1.1, 2.1], "low": [0.8, 1.8]},
                          index=pd.to_datetime(["2026-01-02", "2026-01-05"]))
    cached = cache.write(CacheKey("prices", "SPY"), prices, "Yahoo", "finance.yahoo.com")
    assert list(cached.frame.columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    first = cache.write(CacheKey("fred", "WALCL", "first_release"), _weekly([1.0]), "ALFRED", "h")
    assert first.path == tmp_path / "first_release" / "fred" / "WALCL.parquet"
    assert cache.read(WALCL) is None


def test_an_interrupted_write_leaves_the_previous_good_file(tmp_path, monkeypatch):
    cache = ParquetCache(tmp_path)
    good = cache.write(WALCL, _weekly([1.0, 2.0]), "FRED", "fred.stlouisfed.org")
    real_write = pq.write_table

    def crash_midway(table, where, **kwargs):
        real_write(table, where, **kwargs)            # the temp file is fully written...
        Path(where).write_bytes(Path(where).read_bytes()[:40])   # ...then torn
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        cache.write(WALCL, _weekly([9.0, 9.0, 9.0]), "FRED", "fred.stlouisfed.org")
    monkeypatch.undo()
    back = cache.read(WALCL)
    assert back.frame["value"].tolist() == [1.0, 2.0]
    assert back.meta.sha256 == good.meta.sha256
    assert [p.name for p in (tmp_path / "fred").iterdir()] == ["WALCL.parquet"]


def test_a_writer_killed_mid_write_leaves_the_previous_good_file(tmp_path):
    """SIGKILL while the temp file is half written: no cleanup runs, the target survives."""
    cache = ParquetCache(tmp_path)
    cache.write(WALCL, _weekly([1.0, 2.0]), "FRED", "fred.stlouisfed.org")
    script = textwrap.dedent(f"""
        import os, signal
        import pandas as pd, pyarrow.parquet as pq
        from feeds.cache import CacheKey, ParquetCache
        real = pq.write_table
        def half_then_die(table, where, **kw):
            real(table, where, **kw)
            with open(where, "r+b") as f:
                f.truncate(64)
            os.kill(os.getpid(), signal.SIGKILL)
        pq.write_table = half_then_die
        frame = pd.DataFrame({{"value": [7.0] * 500}},
                             index=pd.date_range("2000-01-05", periods=500, freq="7D", name="date"))
        ParquetCache({str(tmp_path)!r}).write(CacheKey("fred", "WALCL"), frame, "FRED", "h")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60)
    assert done.returncode == -9, done.stderr
    assert cache.read(WALCL).frame["value"].tolist() == [1.0, 2.0]
    leftovers = [p.name for p in (tmp_path / "fred").iterdir() if p.name != "WALCL.parquet"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".WALCL.parquet.")
    assert [meta.id for _, meta in cache.entries()] == ["WALCL"]   # temp files are not entries


def test_a_corrupted_file_is_reported_not_read(tmp_path):
    cache = ParquetCache(tmp_path)
    written = cache.write(WALCL, _weekly([1.0, 2.0]), "FRED", "fred.stlouisfed.org")
    written.path.write_bytes(written.path.read_bytes()[:-30])
    with pytest.raises(DataError, match=r"WALCL.parquet is unreadable .*liqbt fetch --series WALCL"):
        cache.read(WALCL)


def test_a_file_whose_data_does_not_match_its_checksum_is_refused(tmp_path):
    cache = ParquetCache(tmp_path)
    written = cache.write(WALCL, _weekly([1.0, 2.0]), "FRED", "fred.stlouisfed.org")
    table = pq.read_table(written.path)
    frame = table.to_pandas()
    frame.loc[0, "value"] = 99.0
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False)
                   .replace_schema_metadata(table.schema.metadata), written.path)
    with pytest.raises(DataError, match="fails its sha256 check"):
        cache.read(WALCL)


def test_cache_location_follows_flag_env_then_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("LIQBT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "liqbt"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "liqbt"
    monkeypatch.setenv("LIQBT_CACHE_DIR", str(tmp_path / "env"))
    assert resolve_cache_dir(None) == tmp_path / "env"
    assert resolve_cache_dir(tmp_path / "flag") == tmp_path / "flag"


def test_an_unwritable_target_is_one_input_error(tmp_path):
    from feeds.atomic import write_text_atomic
    from feeds.errors import InputError

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(InputError, match=r"cannot write .*a_file/out/page.html .*writable folder"):
        write_text_atomic(blocker / "out" / "page.html", "<html>")


def test_readers_see_one_whole_version_while_another_process_rewrites_the_file(tmp_path):
    """A read opens the file once and parses and checksums the same bytes: opening it twice
    (footer, then data) could mix an old and a new version and fail the checksum (~1% of reads)."""
    cache = ParquetCache(tmp_path)
    cache.write(WALCL, _weekly([1.0] * 200, start="1980-01-02"), "FRED", "h")
    script = textwrap.dedent(f"""
        import sys, time
        import pandas as pd
        from feeds.cache import CacheKey, ParquetCache
        cache = ParquetCache({str(tmp_path)!r})
        frames = [pd.DataFrame({{"value": [float(n)] * rows}}, index=pd.date_range(
                      "1980-01-02", periods=rows, freq="7D", name="date"))
                  for n, rows in ((2.0, 260), (3.0, 140))]
        print("ready", flush=True)
        ends = time.monotonic() + 2.0
        n = 0
        while time.monotonic() < ends:
            cache.write(CacheKey("fred", "WALCL"), frames[n % 2], "FRED", "h")
            n += 1
        print(n, flush=True)
    """)
    writer = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout.readline().strip() == "ready"
    reads, failures = 0, []
    while writer.poll() is None:
        try:
            frame = cache.read(WALCL).frame
            assert frame["value"].nunique() == 1 and len(frame) in (200, 260, 140)
            reads += 1
        except DataError as exc:
            failures.append(str(exc))
    writes = int(writer.stdout.read().strip())
    assert writer.returncode == 0 and writes > 5 and reads > 5
    assert failures == [], f"{len(failures)} of {reads + len(failures)} reads failed"


def test_unreadable_cache_files_are_listed_as_unreadable_not_hidden(tmp_path):
    cache = ParquetCache(tmp_path)
    cache.write(WALCL, _weekly([1.0, 2.0]), "FRED", "h")
    (tmp_path / "prices").mkdir()
    (tmp_path / "prices" / "SPY.parquet").write_bytes(b"not parquet")
    listing = {path.name: meta for path, meta in cache.listing()}
    assert listing["WALCL.parquet"].id == "WALCL"
    assert listing["SPY.parquet"].startswith("unreadable (")
    assert [meta.id for _, meta in cache.entries()] == ["WALCL"]
    done = subprocess.run([sys.executable, "-m", "liqbt", "data", "list", "--cache-dir",
                           str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "WALCL" in done.stdout and "SPY" in done.stdout and "unreadable" in done.stdout
    assert done.stderr.count("\n") == 1 and "1 cache file(s) cannot be read" in done.stderr


def test_temp_files_a_killed_fetch_left_go_once_they_are_old(tmp_path):
    """A fetch killed mid-write leaves `.NAME.*.tmp` beside the file it was replacing; the next
    fetch removes it, but not a temp file young enough to be a concurrent fetch's."""
    import os
    import time

    cache = ParquetCache(tmp_path)
    (tmp_path / "fred").mkdir()
    old = tmp_path / "fred" / ".WALCL.parquet.k1ll3d.tmp"
    young = tmp_path / "fred" / ".SOFR.parquet.wr1t1ng.tmp"
    kept = tmp_path / "fred" / "WALCL.parquet"
    for path in (old, young, kept):
        path.write_bytes(b"partial")
    an_hour_ago = time.time() - 3601
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(kept, (an_hour_ago, an_hour_ago))
    assert cache.remove_stale_temps() == 1
    assert not old.exists() and young.exists() and kept.exists()
    assert ParquetCache(tmp_path / "absent").remove_stale_temps() == 0
