"""Incremental refresh: only dates after the cache (minus an overlap), merged, newer wins."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from feeds.cache import CacheKey, ParquetCache
from feeds.catalog import spec_for
from feeds.errors import SourceError
from feeds.online import Fetched
from feeds.refresh import Refresher, cache_key, merge


class ScriptedOnline:
    """Answers with pre-set frames and records the start date of every request."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.starts: list[tuple[str, date | None, str]] = []

    def series(self, spec, start, vintage="latest"):
        self.starts.append((spec.id, start, vintage))
        return Fetched(self.answers.pop(0), "fake", "fake.host")

    def prices(self, ticker, start):
        self.starts.append((ticker, start, "latest"))
        return Fetched(self.answers.pop(0), "fake", "fake.host")


def _values(pairs) -> pd.DataFrame:
    index = pd.to_datetime([d for d, _ in pairs])
    return pd.DataFrame({"value": [float(v) for _, v in pairs]}, index=index)


def _closes(pairs) -> pd.DataFrame:
    frame = _values(pairs).rename(columns={"value": "adj_close"})
    frame["close"] = frame["adj_close"]
    return frame


def test_first_fetch_takes_all_history_then_increments_overlap_and_newer_wins(tmp_path):
    cache = ParquetCache(tmp_path)
    online = ScriptedOnline([
        _values([("2025-12-10", 100), ("2025-12-17", 110), ("2025-12-24", 120)]),
        _values([("2025-12-17", 111), ("2025-12-24", 121), ("2025-12-31", 130)]),   # revisions
    ])
    refresher = Refresher(cache, online)
    first = refresher.series(spec_for("WALCL"))
    assert (first.mode, first.rows, first.new_rows) == ("full", 3, 3)
    second = refresher.series(spec_for("WALCL"))
    assert online.starts == [("WALCL", None, "latest"), ("WALCL", date(2025, 11, 19), "latest")]
    assert (second.mode, second.rows, second.new_rows, second.last) == ("incremental", 4, 1,
                                                                         "2025-12-31")
    merged = cache.read(CacheKey("fred", "WALCL")).frame["value"]
    assert merged.tolist() == [100.0, 111.0, 121.0, 130.0]


def test_daily_series_overlap_ten_days(tmp_path):
    cache = ParquetCache(tmp_path)
    cache.write(CacheKey("fred", "SOFR"), _values([("2026-01-20", 3.6)]), "x", "x")
    online = ScriptedOnline([_values([("2026-01-21", 3.61)])])
    Refresher(cache, online).series(spec_for("SOFR"))
    assert online.starts[0][1] == date(2026, 1, 10)


def test_first_releases_keep_cached_rows_and_only_add_later_dates(tmp_path, monkeypatch):
    cache = ParquetCache(tmp_path)
    key = cache_key(spec_for("WALCL"), "first_release")
    cache.write(key, _values([("2020-03-04", 100), ("2020-03-11", 200)]), "ALFRED", "h")
    online = ScriptedOnline([_values([("2020-03-11", 999), ("2020-03-18", 300)])])
    Refresher(cache, online).series(spec_for("WALCL"), "first_release")
    assert online.starts[0][2] == "first_release"
    assert cache.read(key).frame["value"].tolist() == [100.0, 200.0, 300.0]
    assert cache.read(CacheKey("fred", "WALCL")) is None           # latest vintage untouched


def test_prices_re_adjusted_upstream_are_refetched_in_full_not_spliced(tmp_path):
    cache = ParquetCache(tmp_path)
    cache.write(CacheKey("prices", "SPY"), _closes([("2026-01-02", 100), ("2026-01-05", 101)]),
                "Yahoo", "h")
    online = ScriptedOnline([
        _closes([("2026-01-05", 100.5), ("2026-01-06", 102)]),                # dividend: rebased
        _closes([("2026-01-02", 99.5), ("2026-01-05", 100.5), ("2026-01-06", 102)]),
    ])
    done = Refresher(cache, online).prices("SPY")
    assert done.mode == "re-adjusted"
    assert [start for _, start, _ in online.starts] == [date(2025, 12, 26), None]
    assert cache.read(CacheKey("prices", "SPY")).frame["adj_close"].tolist() == [99.5, 100.5, 102]


def test_unchanged_overlap_prices_are_appended(tmp_path):
    cache = ParquetCache(tmp_path)
    cache.write(CacheKey("prices", "SPY"), _closes([("2026-01-02", 100), ("2026-01-05", 101)]),
                "Yahoo", "h")
    online = ScriptedOnline([_closes([("2026-01-05", 101), ("2026-01-06", 102)])])
    done = Refresher(cache, online).prices("SPY")
    assert (done.mode, done.new_rows) == ("incremental", 1)


def test_a_start_before_the_cache_or_full_refetches(tmp_path):
    cache = ParquetCache(tmp_path)
    cache.write(CacheKey("fred", "WALCL"), _values([("2020-01-01", 1)]), "x", "x",
                requested_start="2020-01-01")
    online = ScriptedOnline([_values([("2010-01-06", 1)]), _values([("2002-12-18", 1)])])
    Refresher(cache, online, start=date(2010, 1, 1)).series(spec_for("WALCL"))
    Refresher(cache, online, full=True).series(spec_for("WALCL"))
    assert [start for _, start, _ in online.starts] == [date(2010, 1, 1), None]


def test_a_series_that_starts_after_the_requested_start_is_not_refetched_in_full(tmp_path):
    """SOFR begins in 2018: after a fetch from 2000, `--start 2000` again is incremental."""
    cache = ParquetCache(tmp_path)
    online = ScriptedOnline([_values([("2018-04-03", 1.8), ("2018-04-04", 1.7)]),
                             _values([("2018-04-04", 1.7), ("2018-04-05", 1.75)])])
    Refresher(cache, online, start=date(2000, 1, 1)).series(spec_for("SOFR"))
    again = Refresher(cache, online, start=date(2000, 1, 1)).series(spec_for("SOFR"))
    assert again.mode == "incremental" and online.starts[1][1] == date(2018, 3, 25)


def test_an_empty_first_answer_is_an_error_not_an_empty_cache(tmp_path):
    cache = ParquetCache(tmp_path)
    online = ScriptedOnline([_values([])])
    with pytest.raises(SourceError, match="returned no observations for series 'WALCL'"):
        Refresher(cache, online).series(spec_for("WALCL"))
    assert not cache.has(CacheKey("fred", "WALCL"))


def test_merge_prefers_the_new_answer_unless_told_otherwise():
    old, new = _values([("2026-01-01", 1), ("2026-01-02", 2)]), _values([("2026-01-02", 5)])
    assert merge(old, new, existing_wins=False)["value"].tolist() == [1.0, 5.0]
    assert merge(old, new, existing_wins=True)["value"].tolist() == [1.0, 2.0]
