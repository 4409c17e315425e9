"""The HTTP layer: one budget per fetch, bounded retries, one-line errors."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from feeds.errors import InputError, SourceError
from feeds.online.http import (
    Budget, Permanent, Transient, classify, fetch_bytes, resolve_timeout, run_bounded, with_budget,
)
from tests.fake_web import FakeWeb

URL = "https://example.test/data.csv"


def test_transient_failures_are_retried_with_backoff_then_succeed(monkeypatch):
    web = FakeWeb(monkeypatch)
    answers = [urllib.error.HTTPError(URL, 503, "Service Unavailable", {}, None),
               urllib.error.URLError(ConnectionResetError(104, "reset")), b"date,value\n"]
    web.route(URL, lambda url: answers.pop(0))
    slept: list[float] = []
    body = with_budget(lambda s: _get(s), what="series 'X'", host="example.test",
                       budget=Budget(30), sleep=slept.append)
    assert body == b"date,value\n"
    assert len(web.requests) == 3 and slept == [0.5, 1.0]


def _get(seconds):
    from feeds.online.http import get_once
    return get_once(URL, seconds)


def test_permanent_failures_are_not_retried_and_name_series_and_host(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(URL, urllib.error.HTTPError(URL, 404, "Not Found", {}, None))
    with pytest.raises(SourceError) as caught:
        fetch_bytes(URL, what="series 'NOPE'", budget=Budget(30))
    message = str(caught.value)
    assert "series 'NOPE'" in message and "example.test" in message and "HTTP 404" in message
    assert "\n" not in message and len(web.requests) == 1


def test_retries_stop_at_max_attempts_with_one_line(monkeypatch):
    FakeWeb(monkeypatch)   # nothing routed: every request is refused
    with pytest.raises(SourceError, match=r"Connection refused \(4 attempts in") as caught:
        with_budget(lambda s: _get(s), what="series 'X'", host="example.test",
                    budget=Budget(30), sleep=lambda s: None)
    assert "--snapshot DIR" in str(caught.value) and "\n" not in str(caught.value)


def test_each_attempt_gets_the_rest_of_the_budget_as_its_socket_timeout(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(URL, b"ok")
    fetch_bytes(URL, what="x", budget=Budget(7))
    assert 6.5 < web.timeouts[0] <= 7


def test_a_call_that_ignores_its_timeout_is_abandoned_at_the_deadline():
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no answer within 0\.\d s"):
        with_budget(lambda s: release.wait(30), what="series 'X'", host="h", budget=Budget(0.6))
    assert time.monotonic() - started < 0.6 + 0.5 + 0.3
    release.set()


def test_run_bounded_passes_results_and_errors_through():
    assert run_bounded(lambda: 42, 1) == 42
    with pytest.raises(KeyError):
        run_bounded(lambda: {}["missing"], 1)


def test_a_socket_that_accepts_and_never_answers_times_out_within_the_budget(monkeypatch):
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # past the guard proxy
    monkeypatch.setattr("feeds.online.http._open", lambda request, timeout: direct.open(
        request, timeout=timeout))
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(SourceError, match="timed out"):
            fetch_bytes(f"http://127.0.0.1:{port}/x", what="series 'X'", budget=Budget(0.8))
    finally:
        server.close()
    assert 0.7 < time.monotonic() - started < 0.8 + 0.6


def test_classify_maps_network_errors():
    assert isinstance(classify(urllib.error.HTTPError(URL, 429, "Too Many", {}, None)), Transient)
    assert isinstance(classify(urllib.error.HTTPError(URL, 400, "Bad", {}, None)), Permanent)
    assert str(classify(urllib.error.URLError(socket.timeout("timed out")))) == "timed out"
    assert str(classify(TimeoutError())) == "timed out"


def test_timeout_comes_from_flag_then_env_then_config_then_default(monkeypatch):
    monkeypatch.delenv("LIQBT_TIMEOUT", raising=False)
    assert resolve_timeout(None, None) == 30.0
    assert resolve_timeout(None, 12.0) == 12.0
    monkeypatch.setenv("LIQBT_TIMEOUT", "7")
    assert resolve_timeout(None, 12.0) == 7.0
    assert resolve_timeout(5.0, 12.0) == 5.0
    monkeypatch.setenv("LIQBT_TIMEOUT", "soon")
    with pytest.raises(InputError, match="LIQBT_TIMEOUT='soon' is not a number"):
        resolve_timeout(None, None)
