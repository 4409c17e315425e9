"""Yahoo via yfinance.download: MultiIndex columns, adjusted closes, empty frames as errors."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
import yfinance

from feeds.catalog import spec_for
from feeds.errors import SourceError
from feeds.online import OnlineSources
from tests.fake_web import yf_frame


def _prices() -> pd.DataFrame:
    return pd.DataFrame({"open": [24.13, 24.13], "high": [24.13, 24.28], "low": [24.01, 24.13],
                         "adj_close": [24.113255, 24.284754], "volume": [1003200, 480500]},
                        index=pd.to_datetime(["1993-01-29", "1993-02-01"]))


def test_download_becomes_the_snapshot_prices_layout(monkeypatch, tmp_path):
    calls = []

    def download(symbol, **kwargs):
        calls.append((symbol, kwargs))
        return yf_frame(_prices(), symbol)

    monkeypatch.setattr(yfinance, "download", download)
    got = OnlineSources(12, tmp_path / "yf").prices("SPY", None)
    assert list(got.frame.columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    assert got.frame["adj_close"].tolist() == [24.113255, 24.284754]
    assert (got.frame["close"] == got.frame["adj_close"]).all()
    symbol, kwargs = calls[0]
    assert symbol == "SPY" and kwargs["auto_adjust"] is True and kwargs["period"] == "max"
    assert kwargs["progress"] is False and 11 < kwargs["timeout"] <= 12
    assert (tmp_path / "yf").is_dir()


def test_index_tickers_map_to_yahoo_symbols_and_start_is_passed(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(yfinance, "download", lambda symbol, **kw: calls.append((symbol, kw))
                        or yf_frame(_prices(), symbol))
    OnlineSources(30, tmp_path).series(spec_for("VIX"), pd.Timestamp("2026-01-02").date())
    assert calls[0][0] == "^VIX" and calls[0][1]["start"] == "2026-01-02"


def test_an_empty_frame_is_a_clear_error_naming_the_ticker(monkeypatch, tmp_path, capsys):
    def empty(symbol, **kwargs):
        logging.getLogger("yfinance").error("['NOPE']: possibly delisted; no timezone found")
        return pd.DataFrame()

    monkeypatch.setattr(yfinance, "download", empty)
    with pytest.raises(SourceError) as caught:
        OnlineSources(30, tmp_path).prices("NOPE", None)
    message = str(caught.value)
    assert "ticker 'NOPE'" in message and "possibly delisted" in message
    assert "empty table when offline" in message and "\n" not in message
    assert capsys.readouterr().err == ""          # yfinance's own log line did not leak


def test_an_empty_frame_because_offline_is_retried_as_transient(monkeypatch, tmp_path):
    attempts = []

    def offline(symbol, **kwargs):
        attempts.append(symbol)
        logging.getLogger("yfinance").error("Failed to get ticker 'SPY' reason: curl: (7) "
                                            "Failed to connect to query2.finance.yahoo.com")
        return pd.DataFrame()

    monkeypatch.setattr(yfinance, "download", offline)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    with pytest.raises(SourceError, match=r"Failed to connect .*\(4 attempts"):
        OnlineSources(30, tmp_path).prices("SPY", None)
    assert len(attempts) == 4


def test_todays_live_bar_is_not_cached_as_a_close_before_the_close_settles():
    from feeds.online.yahoo import without_unfinished_session

    frame = pd.DataFrame({"adj_close": [1.0, 2.0]}, index=pd.to_datetime(["2026-08-20",
                                                                           "2026-08-21"]))
    during = pd.Timestamp("2026-08-21 11:30", tz="America/New_York")
    after = pd.Timestamp("2026-08-21 17:05", tz="America/New_York")
    assert without_unfinished_session(frame, during)["adj_close"].tolist() == [1.0]
    assert without_unfinished_session(frame, after)["adj_close"].tolist() == [1.0, 2.0]


def _rate_limited(symbol, **kwargs):
    """yfinance 1.7's `download` under a rate limit: it catches YFRateLimitError, logs it at
    ERROR and returns an empty ('Price', 'Ticker') frame."""
    log = logging.getLogger("yfinance")
    log.error("\n1 Failed download:")
    log.error("['%s']: YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')",
              symbol)
    columns = pd.MultiIndex.from_product([["Adj Close", "Close", "High", "Low", "Open", "Volume"],
                                          [symbol]], names=["Price", "Ticker"])
    return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="Date"))


def test_a_rate_limit_backs_off_longer_then_says_rate_limited_by_yahoo(monkeypatch, tmp_path):
    pauses = []
    monkeypatch.setattr(yfinance, "download", _rate_limited)
    monkeypatch.setattr("time.sleep", pauses.append)
    with pytest.raises(SourceError) as caught:
        OnlineSources(30, tmp_path).prices("SPY", None)
    message = str(caught.value)
    assert message.startswith("cannot fetch ticker 'SPY' from finance.yahoo.com: rate limited by "
                              "Yahoo (['SPY']: YFRateLimitError('Too Many Requests.")
    assert "(4 attempts in " in message and "wait a few minutes and retry" in message
    assert pauses == [2.0, 4.0, 8.0]                     # not the 0.5-4 s of a network hiccup


def test_the_rate_limit_backoff_stays_inside_the_budget(monkeypatch, tmp_path):
    pauses = []
    monkeypatch.setattr(yfinance, "download", _rate_limited)
    monkeypatch.setattr("time.sleep", pauses.append)
    with pytest.raises(SourceError, match=r"rate limited by Yahoo .*\(2 attempts in"):
        OnlineSources(3, tmp_path).prices("SPY", None)
    assert pauses == [2.0]               # a 4 s pause would end after the 3 s budget: not taken


def test_a_rate_limit_that_lifts_gives_the_prices(monkeypatch, tmp_path):
    answers = [_rate_limited, lambda symbol, **kw: yf_frame(_prices(), symbol)]
    monkeypatch.setattr(yfinance, "download", lambda symbol, **kw: answers.pop(0)(symbol, **kw))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    assert OnlineSources(30, tmp_path).prices("SPY", None).frame["adj_close"].tolist() == \
        [24.113255, 24.284754]


def test_a_rate_limit_error_raised_by_yfinance_is_recognised_too(monkeypatch, tmp_path):
    from yfinance.exceptions import YFRateLimitError

    def raises(symbol, **kwargs):
        raise YFRateLimitError()

    monkeypatch.setattr(yfinance, "download", raises)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    with pytest.raises(SourceError, match=r"rate limited by Yahoo \(YFRateLimitError: Too Many"):
        OnlineSources(30, tmp_path).prices("SPY", None)
