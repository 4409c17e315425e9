"""FRED: keyless fredgraph.csv, fredapi with a key (and a timeout it does not have), ALFRED."""

from __future__ import annotations

import io
from datetime import date

import fredapi
import fredapi.fred
import pandas as pd
import pytest

from feeds.errors import InputError, SourceError
from feeds.online.fred import VINTAGE_LIMIT, fetch_fred
from feeds.online.http import Budget
from tests.fake_web import FakeAlfred, FakeWeb, query

FREDGRAPH = "https://fred.stlouisfed.org/graph/fredgraph.csv"


@pytest.fixture
def no_key(monkeypatch):
    monkeypatch.delenv("FRED_API_KEY", raising=False)


def test_keyless_csv_new_and_old_layouts_drop_missing_values(monkeypatch, no_key):
    web = FakeWeb(monkeypatch)
    web.route(FREDGRAPH + "?id=SOFR", b"observation_date,SOFR\n2018-04-02,1.8\n2018-04-03,\n"
                                      b"2018-04-04,1.74\n")
    web.route(FREDGRAPH + "?id=DGS10", b"DATE,DGS10\n2020-01-01,.\n2020-01-02,1.88\n")
    sofr = fetch_fred("SOFR", None, Budget(30))
    assert sofr.frame["value"].to_dict() == {pd.Timestamp("2018-04-02"): 1.8,
                                             pd.Timestamp("2018-04-04"): 1.74}
    assert sofr.source == "FRED fredgraph.csv" and sofr.host == "fred.stlouisfed.org"
    assert fetch_fred("DGS10", None, Budget(30)).frame["value"].tolist() == [1.88]


def test_keyless_incremental_fetch_asks_from_the_start_date(monkeypatch, no_key):
    web = FakeWeb(monkeypatch)
    web.route(FREDGRAPH, b"observation_date,WALCL\n2025-12-24,6581231\n2025-12-31,6640618\n")
    fetch_fred("WALCL", date(2025, 12, 20), Budget(30))
    assert query(web.requests[0]) == {"id": "WALCL", "cosd": "2025-12-20"}


def test_an_html_error_page_is_an_unreadable_answer_not_data(monkeypatch, no_key):
    web = FakeWeb(monkeypatch)
    web.route(FREDGRAPH, b"<!DOCTYPE html><html><body>Error</body></html>")
    with pytest.raises(SourceError, match="cannot read series 'WALCL' from fred.stlouisfed.org"):
        fetch_fred("WALCL", None, Budget(30))


def test_with_a_key_fredapi_is_used_with_observation_start(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", "k" * 32)
    calls = []

    def get_series(self, series_id, observation_start=None, observation_end=None, **kw):
        calls.append((self.api_key, series_id, observation_start))
        return pd.Series([2957410.0, float("nan")],
                         index=pd.to_datetime(["2025-12-31", "2026-01-07"]))

    monkeypatch.setattr(fredapi.Fred, "get_series", get_series)
    got = fetch_fred("WRESBAL", date(2025, 12, 1), Budget(30))
    assert calls == [("k" * 32, "WRESBAL", "2025-12-01")]
    assert got.frame["value"].tolist() == [2957410.0] and got.source == "FRED API (fredapi)"


def test_fredapi_urlopen_gets_a_timeout_it_does_not_have_by_itself(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", "k" * 32)
    seen = []

    def fake_urlopen(url, *args, **kwargs):
        seen.append((url, kwargs.get("timeout")))
        return io.BytesIO(b'<observations><observation date="2025-12-31" value="6640618"/>'
                          b'</observations>')

    monkeypatch.setattr(fredapi.fred, "urlopen", fake_urlopen)
    got = fetch_fred("WALCL", None, Budget(9))
    assert got.frame["value"].tolist() == [6640618.0]
    assert "series_id=WALCL" in seen[0][0] and 8 < seen[0][1] <= 9
    assert fredapi.fred.urlopen is fake_urlopen     # restored after the call


def test_fredapi_errors_arrive_as_valueerror_and_become_one_line(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", "k" * 32)

    def unknown(self, *args, **kwargs):
        raise ValueError("Bad Request.  The series does not exist.")

    monkeypatch.setattr(fredapi.Fred, "get_series", unknown)
    with pytest.raises(SourceError, match=r"series 'XYZ' from api.stlouisfed.org: Bad Request"):
        fetch_fred("XYZ", None, Budget(30))

    def bad_key(self, *args, **kwargs):
        raise ValueError("Bad Request.  The value for variable api_key is not registered.")

    monkeypatch.setattr(fredapi.Fred, "get_series", bad_key)
    with pytest.raises(InputError, match="FRED rejected FRED_API_KEY .*unset FRED_API_KEY"):
        fetch_fred("WALCL", None, Budget(30))


def test_first_release_needs_a_key(monkeypatch, no_key):
    with pytest.raises(InputError, match="first_release needs ALFRED.*FRED_API_KEY"):
        fetch_fred("WALCL", None, Budget(30), vintage="first_release")


def _daily_history(vintages: int = 4500) -> dict:
    """A daily series as ALFRED holds it: each business day's vintage publishes the previous
    day's value; every 50th is revised three vintages later; every 97th is first published
    missing (".") and filled in the next vintage."""
    days = [str(d.date()) for d in pd.bdate_range("2007-01-02", periods=vintages + 1)]
    releases = {}
    for i in range(1, len(days)):
        first = round(4.0 + i / 1000, 3)
        history = [(days[i], None if i % 97 == 0 else first)]
        if i % 97 == 0:
            history.append((days[i + 1] if i + 1 < len(days) else days[i], first))
        elif i % 50 == 0 and i + 3 < len(days):
            history.append((days[i + 3], round(first + 0.05, 3)))
        releases[days[i - 1]] = history
    return releases


@pytest.fixture
def no_pauses(monkeypatch):
    pauses = []
    monkeypatch.setattr("feeds.online.fred.pause", pauses.append)
    return pauses


def test_first_releases_of_a_daily_series_come_in_three_vintage_windows(monkeypatch, no_pauses):
    """4,500 vintage dates: FRED would refuse them in one request (its cap is 2,000), so three
    windows of at most 1,999; every observation keeps the value it was first published with."""
    history = _daily_history()
    alfred = FakeAlfred(monkeypatch, "DGS10", history)
    got = fetch_fred("DGS10", None, Budget(30), vintage="first_release")
    assert got.source == "ALFRED first release (fredapi)" and got.host == "api.stlouisfed.org"
    windows = [(query(url)["realtime_start"], query(url)["realtime_end"])
               for url in alfred.urls if "/series/observations" in url]
    vintages = alfred.vintages
    assert windows == [(vintages[0], vintages[1998]), (vintages[1999], vintages[3997]),
                       (vintages[3998], "9999-12-31")]
    assert "/series/vintagedates" in alfred.urls[0] and len(alfred.urls) == 4
    assert no_pauses == [0.5, 0.5, 0.5]                  # paced: FRED limits requests per second
    assert all(timeout is not None and 29 < timeout <= 30 for timeout in alfred.timeouts)
    expected = {pd.Timestamp(day): value for day, ((_, value), *_) in history.items()
                if value is not None}
    assert got.frame["value"].to_dict() == expected      # first releases, none clipped or revised
    missing_first = pd.Timestamp(next(day for day, h in history.items() if h[0][1] is None))
    assert missing_first not in got.frame.index          # published as "." first: not known then


def test_a_window_fred_still_refuses_is_split_until_it_fits(monkeypatch, no_pauses):
    """FRED's 400 for the vintage limit (its XML error body) is recognised, not 'check the id'."""
    history = _daily_history(2600)
    alfred = FakeAlfred(monkeypatch, "EFFR", history, cap=1000)
    got = fetch_fred("EFFR", None, Budget(30), vintage="first_release")
    spans = [query(url)["realtime_start"] for url in alfred.urls if "/observations" in url]
    # 1,999 + 601 vintages: the first window refused, split into 999 + 1,000; then the last one.
    assert spans == [alfred.vintages[0], alfred.vintages[0], alfred.vintages[999],
                     alfred.vintages[1999]]
    assert len(got.frame) == sum(h[0][1] is not None for h in history.values())


def test_the_vintage_limit_message_is_matched_in_both_wordings():
    old = ("Bad Request.  There are 2004 vintage dates in the specified real-time period: "
           "1776-07-04 to 9999-12-31.  This exceeds the maximum number of vintage dates allowed "
           "(2000).")
    new = old.replace("allowed (2000)", "allowed for this file type (2000)").replace("2004", "5103")
    assert VINTAGE_LIMIT.search(old).groups() == ("2004", "1776-07-04", "9999-12-31", "2000")
    assert VINTAGE_LIMIT.search(new).groups() == ("5103", "1776-07-04", "9999-12-31", "2000")


def test_a_refusal_that_cannot_be_split_is_one_line(monkeypatch, no_pauses):
    alfred = FakeAlfred(monkeypatch, "WALCL", _daily_history(30), cap=0)
    with pytest.raises(SourceError) as caught:
        fetch_fred("WALCL", None, Budget(30), vintage="first_release")
    message = str(caught.value)
    assert "\n" not in message and "first releases from api.stlouisfed.org" in message
    assert "exceeds the maximum number of vintage dates allowed for this file type (0)" in message
    assert "data.vintage: latest" in message and len(alfred.urls) > 2


def test_an_increment_asks_from_its_start_and_keeps_only_newer_dates(monkeypatch, no_pauses):
    history = _daily_history(40)
    alfred = FakeAlfred(monkeypatch, "WALCL", history)
    start = date.fromisoformat(alfred.vintages[30])
    got = fetch_fred("WALCL", start, Budget(30), vintage="first_release")
    (window,) = [query(url) for url in alfred.urls if "/observations" in url]
    assert (window["realtime_start"], window["realtime_end"]) == (str(start), "9999-12-31")
    assert got.frame.index.min() >= pd.Timestamp(start)
    assert got.frame["value"].to_dict() == {
        pd.Timestamp(day): h[0][1] for day, h in history.items()
        if pd.Timestamp(day) >= pd.Timestamp(start) and h[0][1] is not None}


def test_a_429_page_behind_fredapi_is_retried_as_rate_limiting(monkeypatch):
    """fredapi parses every HTTP error body as XML; a plain-text 429 makes that fail. The HTTP
    status underneath decides: retried, then one line."""
    import urllib.error

    monkeypatch.setenv("FRED_API_KEY", "k" * 32)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    def too_many(url, *args, **kwargs):
        calls.append(url)
        raise urllib.error.HTTPError(url, 429, "Too Many Requests", {},
                                     io.BytesIO(b"Too Many Requests"))

    monkeypatch.setattr(fredapi.fred, "urlopen", too_many)
    with pytest.raises(SourceError, match=r"WALCL' from api.stlouisfed.org: rate limited \(HTTP "
                                          r"429 Too Many Requests\) \(4 attempts.*wait a few min"):
        fetch_fred("WALCL", None, Budget(30))
    assert len(calls) == 4
