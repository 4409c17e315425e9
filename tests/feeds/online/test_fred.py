"""FRED: keyless fredgraph.csv, fredapi with a key (and a timeout it does not have), ALFRED."""

from __future__ import annotations

import io
from datetime import date

import fredapi
import fredapi.fred
import pandas as pd
import pytest

from feeds.errors import InputError, SourceError
from feeds.online.fred import fetch_fred
from feeds.online.http import Budget
from tests.fake_web import FakeWeb, query

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


def test_first_release_uses_alfred_and_increments_keep_only_first_vintages(monkeypatch):
    monkeypatch.setenv("FRED_API_KEY", "k" * 32)
    monkeypatch.setattr(fredapi.Fred, "get_series_first_release", lambda self, sid: pd.Series(
        [100.0, 200.0], index=pd.to_datetime(["2020-03-04", "2020-03-11"])))
    full = fetch_fred("WALCL", None, Budget(30), vintage="first_release")
    assert full.frame["value"].tolist() == [100.0, 200.0] and "ALFRED" in full.source

    def all_releases(self, series_id, realtime_start=None, realtime_end=None):
        assert realtime_start == "2020-03-01"
        return pd.DataFrame({"date": pd.to_datetime(["2020-03-11", "2020-03-11", "2020-03-18"]),
                             "realtime_start": pd.to_datetime(["2020-03-12", "2020-03-19",
                                                               "2020-03-19"]),
                             "value": [201.0, 205.0, 300.0]})

    monkeypatch.setattr(fredapi.Fred, "get_series_all_releases", all_releases)
    increment = fetch_fred("WALCL", date(2020, 3, 1), Budget(30), vintage="first_release")
    assert increment.frame["value"].to_dict() == {pd.Timestamp("2020-03-11"): 201.0,
                                                  pd.Timestamp("2020-03-18"): 300.0}
