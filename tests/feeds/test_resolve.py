"""The resolution chain: a snapshot; else online into the cache; else the cache when it holds
all the config needs; else the bundled snapshot; and what each run says about it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from feeds.bundle import BUNDLED_DIR
from feeds.cache import CacheKey, ParquetCache
from feeds.catalog import spec_for
from feeds.errors import DataError, InputError
from feeds.origin import DataNeeds, DataOrigin
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


# --- the one origin of a run: snapshot, else a complete cache, else the bundle -------------------

def _days_old(day: str) -> int:
    return (date.today() - date.fromisoformat(day)).days


def _cache_with_walcl_and_spy(tmp_path) -> ParquetCache:
    cache = _cache_with_walcl(tmp_path)
    frame = pd.DataFrame({"adj_close": [600.0, 601.0]}, index=pd.to_datetime(["2026-08-31",
                                                                              "2026-09-01"]))
    cache.write(CacheKey("prices", "SPY"), frame, "Yahoo Finance (yfinance)", "finance.yahoo.com")
    return cache


NEEDS = DataNeeds(series=(spec_for("WALCL"),), tickers=("SPY",))


def test_a_cache_holding_everything_the_config_needs_is_the_origin(tmp_path):
    cache = _cache_with_walcl_and_spy(tmp_path)
    said = []
    source = open_source(None, cache_dir=cache.root, needs=NEEDS, progress=said.append)
    assert isinstance(source, CacheSource) and source.origin.kind == "cache"
    assert said == [f"using the cache {cache.root} (to 2026-09-01, "
                    f"{_days_old('2026-09-01')} days old)"]
    assert source.observations(spec_for("WALCL")).tolist() == [6_640_618.0]


def test_a_cache_lacking_one_item_gives_way_to_the_bundle_for_everything(tmp_path):
    """Never a mix: the cached WALCL is not read either."""
    cache = _cache_with_walcl(tmp_path)
    said = []
    source = open_source(None, cache_dir=cache.root, needs=NEEDS, progress=said.append,
                         config="my.yaml")
    assert isinstance(source, SnapshotSource) and source.root == BUNDLED_DIR
    assert source.origin == DataOrigin("bundled", "the bundled snapshot", BUNDLED_DIR)
    assert said == [f"using the bundled snapshot (to 2026-08-21, {_days_old('2026-08-21')} days "
                    f"old); `liqbt fetch my.yaml` for the latest (the cache {cache.root} lacks "
                    "ticker 'SPY')"]
    walcl = source.observations(spec_for("WALCL"))
    assert walcl.index[0] == pd.Timestamp("2002-12-18") and len(walcl) > 1000
    assert {record.path for record in source.files_used()} == {"fred/WALCL.parquet",
                                                               "prices/SPY.parquet"}


def test_an_empty_cache_and_the_bundle_say_nothing_about_the_cache(tmp_path):
    said = []
    open_source(None, cache_dir=tmp_path / "empty", needs=NEEDS, progress=said.append)
    assert said[0].endswith("; `liqbt fetch CONFIG` for the latest")


def test_what_neither_the_cache_nor_the_bundle_has_is_named_at_once(tmp_path):
    """Not the first item the run happens to read (SPY, which the bundle has: the error used to
    say 'ticker SPY is not cached')."""
    needs = DataNeeds(series=(spec_for("WALCL"),), tickers=("SPY", "ARKK"))
    said = []
    with pytest.raises(DataError, match=r"^ticker 'ARKK' is neither in the bundled snapshot nor "
                                        r"cached in .*liqbt fetch --tickers ARKK"):
        open_source(None, cache_dir=tmp_path / "empty", needs=needs, progress=said.append)
    assert said == []


def test_a_first_release_run_never_reads_the_bundle(tmp_path):
    source = open_source(None, cache_dir=tmp_path / "empty", vintage="first_release",
                         needs=NEEDS)
    assert isinstance(source, CacheSource)
    with pytest.raises(DataError, match=r"series 'WALCL' \(first release\) is not cached"):
        source.observations(spec_for("WALCL"))


def test_a_snapshot_and_online_runs_name_their_origin(tmp_path, snapshot):
    said = []
    chosen = open_source(snapshot, cache_dir=tmp_path, needs=NEEDS, progress=said.append)
    assert chosen.origin.kind == "snapshot" and chosen.origin.path == snapshot
    assert said == [f"using snapshot {snapshot} (to 2026-08-21, {_days_old('2026-08-21')} days "
                    "old)"]
    cache = _cache_with_walcl_and_spy(tmp_path)
    said.clear()
    online = open_source(None, cache_dir=cache.root, online=True, needs=NEEDS,
                         progress=said.append)
    assert online.origin.kind == "online"
    assert said == [f"using the cache {cache.root} and fetching what it lacks (--online) (cached "
                    f"data to 2026-09-01, {_days_old('2026-09-01')} days old)"]
    assert open_source(None, cache_dir=tmp_path).origin.kind == "cache"   # no needs: the cache
