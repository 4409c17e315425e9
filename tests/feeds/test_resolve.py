"""The resolution chain: snapshot, else cache, else (only when allowed) online."""

from __future__ import annotations

import pandas as pd
import pytest

from feeds.cache import CacheKey, ParquetCache
from feeds.catalog import spec_for
from feeds.errors import DataError, InputError
from feeds.resolve import CacheSource, open_source
from feeds.snapshot import SnapshotSource
from tests.fake_web import SnapshotWeb


def _cache_with_walcl(tmp_path) -> ParquetCache:
    cache = ParquetCache(tmp_path / "cache")
    frame = pd.DataFrame({"value": [6_640_618.0]}, index=pd.to_datetime(["2025-12-31"]))
    cache.write(CacheKey("fred", "WALCL"), frame, "FRED fredgraph.csv", "fred.stlouisfed.org")
    return cache


def test_a_missing_cached_series_names_itself_and_the_fetch_command(tmp_path):
    source = CacheSource(_cache_with_walcl(tmp_path))
    assert source.observations(spec_for("WALCL")).tolist() == [6_640_618.0]
    with pytest.raises(DataError) as caught:
        source.observations(spec_for("WRESBAL"))
    assert str(caught.value).startswith(
        f"series 'WRESBAL' is not cached in {tmp_path / 'cache'}: run `liqbt fetch --series "
        "WRESBAL`, or use `liqbt run --online` or --snapshot DIR")
    with pytest.raises(DataError, match=r"ticker 'SPY' is not cached .*liqbt fetch --tickers SPY"):
        source.prices("SPY")


def test_first_release_runs_read_their_own_files(tmp_path):
    source = CacheSource(_cache_with_walcl(tmp_path), vintage="first_release")
    with pytest.raises(DataError, match=r"series 'WALCL' \(first release\) is not cached .*"
                                        r"--vintage first_release` with FRED_API_KEY set"):
        source.observations(spec_for("WALCL"))


def test_cache_source_records_the_parquet_files_it_read(tmp_path):
    source = CacheSource(_cache_with_walcl(tmp_path))
    source.observations(spec_for("WALCL"))
    (record,) = source.files_used()
    assert record.path == "fred/WALCL.parquet" and len(record.sha256) == 64
    assert record.as_dict()["source"] == "FRED fredgraph.csv"
    assert (record.first, record.last, record.rows) == ("2025-12-31", "2025-12-31", 1)


def test_a_snapshot_is_used_alone(snapshot, tmp_path):
    source = open_source(snapshot, cache_dir=tmp_path / "unused")
    assert isinstance(source, SnapshotSource)
    with pytest.raises(InputError, match="first_release but snapshot .* holds latest"):
        open_source(snapshot, vintage="first_release")


def test_without_online_a_run_never_fetches_with_online_it_fills_the_cache(snapshot, tmp_path,
                                                                           monkeypatch):
    web = SnapshotWeb(monkeypatch, snapshot)
    offline = open_source(None, cache_dir=tmp_path / "cache")
    with pytest.raises(DataError, match="not cached"):
        offline.observations(spec_for("IORB"))
    assert web.requests == []
    messages = []
    online = open_source(None, cache_dir=tmp_path / "cache", online=True, progress=messages.append)
    iorb = online.observations(spec_for("IORB"))
    assert iorb.loc["2021-07-29"] == 0.15 and "online" in repr(online)
    assert messages == ["fetching series 'IORB' (not cached yet)"]
    assert ParquetCache(tmp_path / "cache").has(CacheKey("fred", "IORB"))


def test_first_release_applies_to_fred_series_only(tmp_path):
    cache = ParquetCache(tmp_path)
    day = pd.to_datetime(["2025-12-31"])
    cache.write(CacheKey("fred", "WALCL", "first_release"), pd.DataFrame({"value": [1.0]}, day),
                "ALFRED first release (fredapi)", "api.stlouisfed.org")
    cache.write(CacheKey("fred", "WALCL"), pd.DataFrame({"value": [2.0]}, day), "FRED", "h")
    cache.write(CacheKey("fred", "SOFR"), pd.DataFrame({"value": [3.87]}, day), "NY Fed", "h")
    source = CacheSource(cache, vintage="first_release")
    assert source.observations(spec_for("WALCL")).tolist() == [1.0]
    assert source.observations(spec_for("SOFR")).tolist() == [3.87]    # NY Fed: latest only
    assert [r.path for r in source.files_used()] == ["first_release/fred/WALCL.parquet",
                                                     "fred/SOFR.parquet"]
