"""Data-quality checks on load: warn vs fail, repairs, allow-list, one line per issue, real data."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from feeds.catalog import CATALOG, spec_for
from feeds.errors import DataError
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.quality import CheckedSource, QualityPolicy
from feeds.snapshot import SnapshotSource
from tests.fakes import MemorySource, business_days


def _load(prices: pd.Series, ticker: str = "X", **policy) -> tuple[pd.Series, CheckedSource]:
    checked = CheckedSource(MemorySource(prices={ticker: prices}), QualityPolicy(**policy))
    return checked.prices(ticker), checked


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "liqbt.quality"]


def test_a_jump_warns_on_one_line_naming_ticker_date_and_how_to_silence(caplog):
    dates = business_days("2020-03-02", 4)
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    loaded, checked = _load(pd.Series([10.0, 10.0, 25.0, 24.0], index=dates))
    (line,) = _warnings(caplog)
    assert "ticker X from MemorySource: one-day move of +150.0% on 2020-03-04" in line
    assert "data.quality.allow: [{id: X, date: 2020-03-04, check: jump}]" in line
    assert "\n" not in line
    assert loaded.equals(pd.Series([10.0, 10.0, 25.0, 24.0], index=dates))  # data left as is
    (issue,) = checked.issues
    assert (issue.check, issue.action, issue.date) == ("jump", "warn", "2020-03-04")


def test_the_same_jump_fails_under_on_issue_fail_and_per_check_policy():
    dates = business_days("2020-03-02", 4)
    prices = pd.Series([10.0, 10.0, 25.0, 24.0], index=dates)
    with pytest.raises(DataError, match=r"data quality fail: ticker X from MemorySource: "
                                        r"one-day move .* 2020-03-04"):
        _load(prices, on_issue="fail")
    with pytest.raises(DataError):
        _load(prices, checks={"jump": "fail"})
    _, checked = _load(prices, on_issue="fail", checks={"jump": "off"})
    assert checked.issues == []


def test_allow_list_and_per_ticker_override_silence_a_real_event(caplog):
    dates = business_days("2020-03-02", 4)
    prices = pd.Series([10.0, 10.0, 25.0, 24.0], index=dates)
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    _, checked = _load(prices, on_issue="fail",
                       allow=[{"id": "X", "date": "2020-03-04", "check": "jump", "reason": "real"}])
    assert [i.action for i in checked.issues] == ["allowed"] and _warnings(caplog) == []
    _, checked = _load(prices, on_issue="fail", overrides={"X": {"max_abs_daily_return": 2.0}})
    assert checked.issues == []


def test_shipped_known_event_vix_2018_02_05_is_allowed_unless_turned_off(caplog):
    dates = pd.DatetimeIndex(["2018-02-02", "2018-02-05", "2018-02-06"])
    vix = pd.Series([17.31, 37.32, 29.98], index=dates)
    _, checked = _load(vix, ticker="VIX", on_issue="fail")
    assert [(i.check, i.action) for i in checked.issues] == [("jump", "allowed")]
    with pytest.raises(DataError, match=r"VIX from MemorySource: one-day move of \+115.6% on "
                                        r"2018-02-05"):
        _load(vix, ticker="VIX", on_issue="fail", known_events=False)


def test_duplicates_and_unsorted_rows_are_repaired_on_warn_and_refused_on_fail():
    dates = pd.DatetimeIndex(["2020-01-03", "2020-01-02", "2020-01-03", "2020-01-06"])
    prices = pd.Series([1.0, 1.0, 1.1, 1.2], index=dates)
    loaded, checked = _load(prices)
    assert loaded.index.is_monotonic_increasing and not loaded.index.has_duplicates
    assert loaded.loc["2020-01-03"] == 1.1                      # the last row of a date is kept
    assert {i.check for i in checked.issues} == {"duplicated_dates", "unsorted_index"}
    with pytest.raises(DataError, match="duplicated date"):
        _load(prices, checks={"duplicated_dates": "fail"})


def test_non_positive_prices_are_dropped_on_warn_and_fail_on_fail():
    dates = business_days("2020-01-06", 4)
    prices = pd.Series([1.0, 0.0, 1.02, 1.03], index=dates)
    loaded, checked = _load(prices)
    assert list(loaded.index) == [dates[0], dates[2], dates[3]]
    assert checked.issues[0].check == "non_positive" and checked.issues[0].date == "2020-01-07"
    with pytest.raises(DataError, match="price 0 <= 0 on 2020-01-07"):
        _load(prices, checks={"non_positive": "fail"})


def test_gaps_over_max_gap_days_warn_with_both_dates(caplog):
    dates = pd.DatetimeIndex(["2020-01-02", "2020-01-03", "2020-01-21", "2020-01-22"])
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    _, checked = _load(pd.Series(1.0, index=dates))
    (line,) = _warnings(caplog)
    assert "no observation for 18 days between 2020-01-03 and 2020-01-21 (max_gap_days 10)" in line
    _, checked = _load(pd.Series(1.0, index=dates), max_gap_days=20)
    assert checked.issues == []


def test_take_up_series_gaps_are_zero_take_up_not_issues_and_rates_skip_price_checks():
    dates = pd.DatetimeIndex(["2020-01-02", "2020-03-02", "2020-03-03"])
    source = MemorySource(series={"RRPONTSYD": pd.Series([5.0, 0.0, 1.0], index=dates),
                                  "T10Y2Y": pd.Series([0.5, -0.5, 2.0], index=dates[1:].union(
                                      pd.DatetimeIndex(["2020-03-04"])))})
    checked = CheckedSource(source, QualityPolicy(on_issue="fail"))
    checked.observations(spec_for("RRPONTSYD"))
    checked.observations(spec_for("T10Y2Y"))                  # negative spread, +400%: fine
    assert checked.issues == []


def test_many_issues_log_a_few_lines_and_a_count(caplog):
    values = np.where(np.arange(20) % 2 == 0, 10.0, 30.0)      # +200% / -67% every day
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    _, checked = _load(pd.Series(values, index=business_days("2020-01-06", 20)))
    lines = _warnings(caplog)
    assert len(checked.issues) == 19 and len(lines) == 4
    assert "16 more jump issues" in lines[-1]


def test_panel_checks_each_path_once_and_keeps_the_issues_for_the_manifest(caplog):
    dates = business_days("2020-03-02", 6)
    source = MemorySource(prices={"X": pd.Series([10, 10, 25, 24, 24, 24.0], index=dates)})
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    panel = PointInTimePanel(source, {"a": TickerInstrument(ticker="X"),
                                      "b": TickerInstrument(ticker="X")})
    panel.truncated(dates[4])
    assert len(_warnings(caplog)) == 1 and len(panel.quality_issues) == 1
    with pytest.raises(DataError, match="universe.a: data quality fail"):
        PointInTimePanel(source, {"a": TickerInstrument(ticker="X")},
                         quality=QualityPolicy(on_issue="fail"))


def test_the_real_snapshot_loads_clean_under_default_settings(snapshot, caplog):
    """Every file of the snapshot passes except four weekend-stamped rows (GC_F, IEF), which are
    warned about and dropped; everything else found is a documented real event (allowed)."""
    source = SnapshotSource(snapshot)
    checked = CheckedSource(source, QualityPolicy())
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    assert len(source.names("prices")) >= 19
    for ticker in source.names("prices"):
        checked.prices(ticker)
    for spec in CATALOG.values():
        if source.has_series(spec):
            checked.observations(spec)
    assert len(_warnings(caplog)) == 4
    found = {(i.kind, i.id, i.check, i.date, i.action) for i in checked.issues}
    assert found == {("ticker", "GC_F", "weekend", "2026-08-01", "warn"),
                     ("ticker", "GC_F", "weekend", "2026-08-02", "warn"),
                     ("ticker", "GC_F", "weekend", "2026-08-15", "warn"),
                     ("ticker", "IEF", "weekend", "2026-08-15", "warn"),
                     ("ticker", "GSPC", "gap", "1933-03-15", "allowed"),
                     ("ticker", "VIX", "jump", "2018-02-05", "allowed")}
    # VIX read as a series is the same file as the ticker: it is checked (and reported) once.


def test_a_weekend_price_row_is_warned_about_and_dropped(caplog):
    days = pd.to_datetime(["2026-08-13", "2026-08-14", "2026-08-15", "2026-08-17"])
    source = CheckedSource(MemorySource(prices={"IEF": pd.Series([1.0, 1.1, 1.1, 1.2], index=days)}),
                           QualityPolicy())
    with caplog.at_level("WARNING", logger="liqbt.quality"):
        loaded = source.prices("IEF")
    assert pd.Timestamp("2026-08-15") not in loaded.index and len(loaded) == 3
    assert "price stamped on a Saturday (2026-08-15)" in caplog.text


def test_the_real_ief_saturday_row_does_not_become_a_session(snapshot):
    panel = PointInTimePanel(SnapshotSource(snapshot), {"treasuries": TickerInstrument(ticker="IEF")},
                             start=pd.Timestamp("2026-01-02"))
    assert (panel.sessions.day_of_week < 5).all()
    assert any(i.check == "weekend" and i.date == "2026-08-15" for i in panel.quality_issues)


def _snapshot_prices(tmp_path, cells: list[str]) -> SnapshotSource:
    (tmp_path / "prices").mkdir(exist_ok=True)
    rows = "".join(f"{day.date()},1,1,1,1,{cell},1\n"
                   for day, cell in zip(business_days("2020-01-06", len(cells)), cells))
    (tmp_path / "prices" / "X.csv").write_text("date,open,high,low,close,adj_close,volume\n" + rows)
    return SnapshotSource(tmp_path)


def test_a_cell_that_is_not_a_number_is_an_issue_with_file_line_and_text(tmp_path, caplog):
    """Empty cells are missing data; text that is not a number was dropped without a word."""
    caplog.set_level(logging.WARNING, logger="liqbt.quality")
    source = _snapshot_prices(tmp_path, ["10", "", "abc", "\"1,234.5\"", "11"])
    checked = CheckedSource(source, QualityPolicy())
    assert checked.prices("X").tolist() == [10.0, 11.0]
    assert [(i.check, i.date, i.action, i.note) for i in checked.issues] == [
        ("non_numeric", "2020-01-08", "warn", "row dropped"),
        ("non_numeric", "2020-01-09", "warn", "row dropped")]
    assert "'abc' on 2020-01-08 is not a number (prices/X.csv line 4, column adj_close)" in \
        checked.issues[0].detail
    assert len(_warnings(caplog)) == 2
    with pytest.raises(DataError, match=r"data quality fail: .*'abc' .*\(prices/X.csv line 4"):
        CheckedSource(source, QualityPolicy(checks={"non_numeric": "fail"})).prices("X")


def test_an_infinite_price_is_dropped_and_said_not_passed_on_as_null_metrics(tmp_path):
    source = _snapshot_prices(tmp_path, ["10", "inf", "11", "-inf", "12"])
    checked = CheckedSource(source, QualityPolicy())
    loaded = checked.prices("X")
    assert loaded.tolist() == [10.0, 11.0, 12.0] and np.isfinite(loaded).all()
    assert [(i.check, i.date) for i in checked.issues] == [("non_finite", "2020-01-07"),
                                                            ("non_finite", "2020-01-09")]
    assert "(prices/X.csv line 3, column adj_close)" in checked.issues[0].detail
    with pytest.raises(DataError, match="value inf on 2020-01-07 is not finite"):
        CheckedSource(source, QualityPolicy(on_issue="fail")).prices("X")
    # Whatever the source: an infinite value never reaches the panel.
    memory, _ = _load(pd.Series([1.0, np.inf, 2.0], index=business_days("2020-01-06", 3)),
                      checks={"non_finite": "off"})
    assert memory.tolist() == [1.0, 2.0]
