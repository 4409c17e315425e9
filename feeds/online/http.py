"""Network calls on a budget: a timeout that covers the whole fetch, retries and all.

Every online fetch of one series or ticker gets a `Budget` of `timeout_s` seconds (`--timeout`,
`LIQBT_TIMEOUT`, config `data.timeout_s`, default 30 s). Inside it, transient failures (refused or
reset connections, timeouts, HTTP 429/5xx) are retried with exponential backoff (tenacity), but
no attempt starts once the budget is spent, each attempt's socket timeout is what is left of it,
and each attempt runs in a daemon thread the caller stops waiting for when the budget runs out —
so a library that ignores timeouts (fredapi's `urlopen`, a stuck libcurl) cannot hang a run.
A black-holed network therefore fails in `timeout_s` plus a fraction of a second, with one line.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from tenacity import (
    Retrying, retry_if_exception_type, stop_after_attempt, stop_before_delay, wait_exponential,
)

from feeds.errors import InputError, SourceError

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 30.0
MAX_ATTEMPTS = 4
#: The last attempt must have at least this long; the thread join waits this much past the budget
#: so a socket timeout set to the remaining budget can report itself before we give up on it.
MIN_ATTEMPT_S = 0.25
GRACE_S = 0.5
USER_AGENT = "liqbt/0.1 (Fed liquidity research backtests; python-urllib)"
OFFLINE_HINT = ("check the network or proxy (HTTPS_PROXY), raise --timeout, or run offline with "
                "--snapshot DIR")


class Transient(Exception):
    """A failure worth retrying (network, timeout, HTTP 429/5xx); the message is the reason,
    `hint` what the user can do if retrying within the budget does not help."""

    hint = OFFLINE_HINT


class RateLimited(Transient):
    """The server says "too many requests" (HTTP 429, yfinance's YFRateLimitError): retried after
    longer pauses (2 s, 4 s, 8 s, within the budget); then the user is told to wait."""

    hint = ("the service limits how often one address may ask: wait a few minutes and retry, or "
            "raise --timeout to wait longer, or run offline with --snapshot DIR")


class Permanent(Exception):
    """A failure retrying cannot fix (HTTP 4xx, an answer we cannot read)."""


@dataclass
class Budget:
    """The time one series/ticker fetch may take, all attempts and pages included."""

    timeout_s: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.timeout_s - (time.monotonic() - self.started)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def resolve_timeout(cli_value: float | None, config_value: float | None = None) -> float:
    """`--timeout`, then env LIQBT_TIMEOUT, then config `data.timeout_s`, then 30 s."""
    if cli_value is not None:
        value, where = cli_value, "--timeout"
    elif os.environ.get("LIQBT_TIMEOUT"):
        raw = os.environ["LIQBT_TIMEOUT"]
        try:
            value, where = float(raw), "LIQBT_TIMEOUT"
        except ValueError:
            raise InputError(f"LIQBT_TIMEOUT={raw!r} is not a number of seconds: set e.g. "
                             "LIQBT_TIMEOUT=30 or unset it") from None
    elif config_value is not None:
        value, where = config_value, "data.timeout_s"
    else:
        return DEFAULT_TIMEOUT_S
    if not 0 < value <= 3600:
        raise InputError(f"{where}={value:g} is not a usable timeout: give seconds between 0 and 3600")
    return float(value)


def run_bounded(fn: Callable[[], T], seconds: float) -> T:
    """Run `fn` in a daemon thread and wait at most `seconds` (+ grace) for it.

    The thread is abandoned, not killed, when the wait ends: it dies with the process. This is the
    guarantee behind "never hangs" for code whose own timeouts we cannot trust.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="liqbt-fetch", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0) + GRACE_S)
    if worker.is_alive():
        raise Transient(f"no answer within {max(seconds, 0.0):.1f} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def with_budget(attempt: Callable[[float], T], *, what: str, host: str, budget: Budget,
                sleep: Callable[[float], None] | None = None) -> T:
    """Call `attempt(seconds_left)` until it succeeds, fails for good, or the budget is spent.

    `attempt` raises `Transient` (retried) or `Permanent`; anything else (an `InputError` about the
    user's key, say) passes straight through. Failures become one-line `SourceError`s naming
    `what`, `host` and what to do.
    """
    attempts = 0
    retrying = Retrying(
        stop=stop_after_attempt(MAX_ATTEMPTS)
        | stop_before_delay(max(budget.timeout_s - budget.elapsed() - MIN_ATTEMPT_S, 0.0)),
        wait=_backoff, retry=retry_if_exception_type(Transient), sleep=sleep or time.sleep,
        reraise=True)
    try:
        for state in retrying:
            with state:
                attempts += 1
                left = budget.remaining()
                if left < MIN_ATTEMPT_S and attempts > 1:
                    raise Transient("timed out")
                return run_bounded(lambda: attempt(max(left, MIN_ATTEMPT_S)), left)
    except Transient as exc:
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        raise SourceError(f"cannot fetch {what} from {host}: {exc} ({tries} in "
                          f"{budget.elapsed():.1f} s, timeout {budget.timeout_s:g} s); "
                          f"{exc.hint}") from None
    except Permanent as exc:
        raise SourceError(f"cannot fetch {what} from {host}: {exc}; check the id, or use "
                          "--snapshot DIR if the source has changed") from None
    raise AssertionError("unreachable")  # pragma: no cover - tenacity either returns or raises


_WAIT = wait_exponential(multiplier=0.5, min=0.5, max=4.0)
_RATE_LIMIT_WAIT = wait_exponential(multiplier=2.0, min=2.0, max=16.0)


def _backoff(retry_state) -> float:
    """Seconds before the next attempt: 0.5-4 s, or 2-16 s after a rate limit (a server that
    says "too many requests" is not helped by asking again at once)."""
    limited = isinstance(retry_state.outcome.exception(), RateLimited)
    return (_RATE_LIMIT_WAIT if limited else _WAIT)(retry_state)


def classify(exc: BaseException) -> Exception:
    """Map urllib / socket failures to `Transient` or `Permanent` with a short reason."""
    if isinstance(exc, urllib.error.HTTPError):
        reason = f"HTTP {exc.code} {exc.reason}".strip()
        if exc.code == 429:
            return RateLimited(f"rate limited ({reason})")
        return Transient(reason) if exc.code >= 500 else Permanent(reason)
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
            return Transient("timed out")
        return Transient(str(reason.strerror if isinstance(reason, OSError) and reason.strerror
                             else reason))
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return Transient("timed out")
    if isinstance(exc, (http.client.HTTPException, ConnectionError, OSError)):
        return Transient(f"{type(exc).__name__}: {exc}".rstrip(": "))
    return exc if isinstance(exc, (Transient, Permanent)) else Permanent(str(exc))


def _open(request: urllib.request.Request, timeout: float):
    """The one place bytes come off the network (tests patch this)."""
    return urllib.request.urlopen(request, timeout=timeout)


def build_url(url: str, params: dict[str, str] | None = None) -> str:
    if not params:
        return url
    return f"{url}?{urllib.parse.urlencode(params, safe=':,[]()')}"


def get_once(url: str, timeout: float) -> bytes:
    """One GET; failures classified for `with_budget`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "application/json, text/csv, */*"})
    try:
        with _open(request, timeout) as response:
            return response.read()
    except Exception as exc:  # noqa: BLE001 - classified, never swallowed
        raise classify(exc) from exc


def fetch_bytes(url: str, *, what: str, budget: Budget, params: dict[str, str] | None = None
                ) -> bytes:
    """GET `url` (with query `params`) within `budget`; raise a one-line SourceError on failure."""
    full = build_url(url, params)
    host = urllib.parse.urlsplit(full).hostname or url
    return with_budget(lambda seconds: get_once(full, seconds), what=what, host=host, budget=budget)


def host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def unreadable(what: str, host: str, detail: str) -> SourceError:
    """The error for an answer we got but cannot parse (an API change, an error page)."""
    return SourceError(f"cannot read {what} from {host}: {detail}; the source may have changed "
                       "its format: use --snapshot DIR meanwhile and report it")


def parse_json(body: bytes, what: str, host: str):
    """A JSON answer, or one SourceError saying the host sent something else."""
    try:
        return json.loads(body)
    except ValueError as exc:
        raise unreadable(what, host, f"not JSON ({exc})") from None
