"""FRED: `fredapi` when FRED_API_KEY is set, else FRED's keyless `fredgraph.csv` download.

Both give today's (revised) values stamped with the observation date, in the series' native units.
With a key, `vintage="first_release"` asks ALFRED for the value as first published instead.

fredapi 0.5.2 calls `urllib.request.urlopen(url)` with no timeout; `_urlopen_with_timeout` swaps
the module-level `fredapi.fred.urlopen` for one that passes the attempt's timeout, and the budget's
daemon thread bounds it anyway. fredapi reports FRED's HTTP errors as `ValueError(message)`, the
`message` attribute of FRED's XML error body (`<error code="400" message="Bad Request.  ..."/>`).

First releases (ALFRED) in windows. FRED refuses an observations request whose real-time period
holds more than 2000 vintage dates (xml/json), with a 400 saying "There are 5103 vintage dates in
the specified real-time period: 1776-07-04 to 9999-12-31.  This exceeds the maximum number of
vintage dates allowed for this file type (2000)." — every daily series has more than that, and
fredapi's `get_series_first_release` asks for all of history at once. So `first_releases` lists
the series' vintage dates (`fred/series/vintagedates`), asks for all releases in windows of at
most 1999 of them (the last window open to 9999-12-31, for vintages published since), and keeps
each observation's earliest `realtime_start`: FRED clips a row's real-time start to the window's,
so only the window holding the first release shows it unclipped, and later windows show it later.
A window FRED still refuses is split in two. Each request has its own time budget (the vintage
list and every window) and requests are paced (FRED answers HTTP 429 above ~2 per second). An
observation whose first release was missing (".") stays missing: a later value was not public at
the first release.
"""

from __future__ import annotations

import io
import os
import re
import time
import urllib.error
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import date
from typing import Callable, Iterator

import pandas as pd

from feeds.errors import InputError, SourceError
from feeds.online.fetched import Fetched, value_frame
from feeds.online.http import (
    Budget, Permanent, RateLimited, Transient, classify, fetch_bytes, host_of, unreadable,
    with_budget,
)

KEYLESS_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_HOST = "api.stlouisfed.org"
#: FRED's 400 for too many vintage dates in one request, in the 2022 and the 2026 wording.
VINTAGE_LIMIT = re.compile(r"There are (\d+) vintage dates in the specified real-time period: "
                           r"(\S+) to (\S+)\.\s+This exceeds the maximum number of vintage dates "
                           r"allowed(?: for this file type)? \((\d+)\)")
#: One below FRED's cap: how it counts a vintage on a window's edge is not documented.
VINTAGES_PER_WINDOW = 1999
LATEST_REALTIME = "9999-12-31"
PACE_S = 0.5
pause = time.sleep  # between ALFRED requests (tests patch it)


class VintageLimit(Exception):
    """FRED refused a request for spanning too many vintage dates (the message is FRED's)."""


def fred_api_key() -> str | None:
    return os.environ.get("FRED_API_KEY", "").strip() or None


def fetch_fred(series_id: str, start: date | None, budget: Budget,
               vintage: str = "latest") -> Fetched:
    """Observations of `series_id` from `start` (None: full history)."""
    key = fred_api_key()
    if vintage == "first_release":
        if key is None:
            raise InputError(f"series '{series_id}': data.vintage first_release needs ALFRED, which "
                             "needs a FRED API key: set FRED_API_KEY (free at fred.stlouisfed.org) "
                             "or use vintage latest")
        series = first_releases(series_id, key, budget, start)
        return Fetched(value_frame(series.index, series.to_numpy()),
                       "ALFRED first release (fredapi)", API_HOST)
    if key is not None:
        series = _with_fredapi(series_id, key, budget, lambda fred: fred.get_series(
            series_id, observation_start=start.isoformat() if start else None))
        if not isinstance(series, pd.Series):
            raise unreadable(f"series '{series_id}'", API_HOST,
                             f"fredapi returned {type(series).__name__}")
        return Fetched(value_frame(series.index, series.to_numpy()), "FRED API (fredapi)",
                       API_HOST)
    return _keyless(series_id, start, budget)


def _keyless(series_id: str, start: date | None, budget: Budget) -> Fetched:
    params = {"id": series_id}
    if start is not None:
        params["cosd"] = start.isoformat()
    what = f"series '{series_id}'"
    body = fetch_bytes(KEYLESS_URL, what=what, budget=budget, params=params)
    return Fetched(parse_fredgraph_csv(body, series_id, what), "FRED fredgraph.csv",
                   host_of(KEYLESS_URL))


def parse_fredgraph_csv(body: bytes, series_id: str, what: str) -> pd.DataFrame:
    """`observation_date,ID` (or the older `DATE,ID`) CSV; '.' or blank means missing."""
    try:
        raw = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise unreadable(what, host_of(KEYLESS_URL), f"not a CSV ({exc})") from None
    columns = list(raw.columns)
    if len(columns) < 2 or columns[0].lower() not in ("observation_date", "date"):
        head = body[:60].decode("utf-8", "replace").replace("\n", " ")
        raise unreadable(what, host_of(KEYLESS_URL), f"expected 'observation_date,{series_id}' "
                         f"columns, got {head!r}")
    value_column = series_id if series_id in columns else columns[1]
    return value_frame(raw[columns[0]], raw[value_column].replace({".": None, "": None}))


@contextmanager
def _urlopen_with_timeout(seconds: float) -> Iterator[None]:
    """Make fredapi's module-level `urlopen` pass `timeout=seconds` while inside the block.

    Not a lock: fetches run one at a time, and an attempt abandoned by its budget must not block
    the next one. Should two ever overlap, each is still bounded by its budget's thread wait.
    """
    import fredapi.fred as fred_module

    original = fred_module.urlopen

    def urlopen(url, *args, **kwargs):
        kwargs.setdefault("timeout", seconds)
        return original(url, *args, **kwargs)

    fred_module.urlopen = urlopen
    try:
        yield
    finally:
        fred_module.urlopen = original


def _with_fredapi(series_id: str, key: str, budget: Budget, call: Callable[[object], object]):
    """`call(fredapi.Fred)` within `budget`: FRED's messages classified, one line on failure;
    FRED's vintage-limit refusal comes back as `VintageLimit` for the caller to window."""
    what = f"series '{series_id}'"

    def attempt(seconds: float):
        import fredapi

        try:
            with _urlopen_with_timeout(seconds):
                return call(fredapi.Fred(api_key=key))
        except ValueError as exc:  # FRED's own error message (bad key, unknown series, ...)
            message = str(exc).strip() or "FRED error"
            if "api_key" in message:
                raise InputError(f"FRED rejected FRED_API_KEY ({message}): fix the key, or unset "
                                 "FRED_API_KEY to use the keyless fredgraph.csv download") from None
            if VINTAGE_LIMIT.search(message):
                raise VintageLimit(message) from None
            if "Too Many Requests" in message or "rate limit" in message.lower():
                raise RateLimited(f"rate limited by FRED ({message})") from None
            raise Permanent(message) from None
        except ET.ParseError as exc:  # a body that is not FRED's XML: a proxy page, a 429
            if isinstance(exc.__context__, urllib.error.HTTPError):  # fredapi read an HTTP error
                raise classify(exc.__context__) from None
            raise Transient(f"garbled answer ({exc})") from None
        except Exception as exc:  # noqa: BLE001 - network errors, classified
            raise classify(exc) from exc

    return with_budget(attempt, what=what, host=API_HOST, budget=budget)


def vintage_windows(vintages: list[date], start: date | None,
                    size: int = VINTAGES_PER_WINDOW) -> list[tuple[str, str, list[date]]]:
    """(realtime_start, realtime_end, vintages inside) of each request: at most `size` vintage
    dates each; the first opens at `start` (or the first vintage), the last stays open."""
    if not vintages:
        return [((start.isoformat() if start else "1776-07-04"), LATEST_REALTIME, [])]
    chunks = [vintages[i:i + size] for i in range(0, len(vintages), size)]
    windows = [(chunk[0].isoformat(), chunk[-1].isoformat(), chunk) for chunk in chunks]
    first, last = windows[0], windows[-1]
    windows[0] = ((start or first[2][0]).isoformat(), first[1], first[2])
    windows[-1] = (windows[-1][0], LATEST_REALTIME, last[2])
    return windows


def first_releases(series_id: str, key: str, budget: Budget, start: date | None) -> pd.Series:
    """Each observation's first release (from `start` on: see the module docstring). Callers
    must keep only dates not cached before: a window opening at `start` clips older rows' real-time
    start, and the refresh merge keeps cached first releases."""
    listed = _with_fredapi(series_id, key, budget,
                           lambda fred: fred.get_series_vintage_dates(series_id))
    vintages = sorted({pd.Timestamp(day).date() for day in listed or []})
    if start is not None:
        vintages = [day for day in vintages if day >= start]
    frames = []
    for window in vintage_windows(vintages, start):
        frames += _releases_in(series_id, key, budget.timeout_s, window)
    frames = [frame for frame in frames if len(frame)]  # fredapi: no rows = no columns at all
    if not frames:
        return pd.Series(dtype=float)
    releases = pd.concat(frames, ignore_index=True)
    releases["date"] = pd.to_datetime(releases["date"])
    releases["realtime_start"] = pd.to_datetime(releases["realtime_start"])
    # fredapi builds its frame row by row: with pandas 3 a "." (NaN) among dates becomes NaT.
    values = releases["value"].astype(object)
    releases["value"] = pd.to_numeric(values.where(values.notna(), None), errors="coerce")
    releases = releases.sort_values(["date", "realtime_start"], kind="stable")
    first = releases.groupby("date").head(1).set_index("date")["value"].astype(float)
    return first[first.index >= pd.Timestamp(start)] if start is not None else first


def _releases_in(series_id: str, key: str, timeout_s: float,
                 window: tuple[str, str, list[date]]) -> list[pd.DataFrame]:
    """All releases of one window (its own time budget, after a pause), the window split in two
    while FRED says it holds too many vintage dates."""
    realtime_start, realtime_end, inside = window
    pause(PACE_S)
    try:
        return [_with_fredapi(series_id, key, Budget(timeout_s),
                              lambda fred: fred.get_series_all_releases(
                                  series_id, realtime_start=realtime_start,
                                  realtime_end=realtime_end))]
    except VintageLimit as refusal:
        if len(inside) < 2:
            raise SourceError(f"cannot fetch series '{series_id}' first releases from {API_HOST}: "
                              f"{refusal}; FRED's vintage limit changed: report it, and use "
                              "data.vintage: latest meanwhile") from None
        half = len(inside) // 2
        return (_releases_in(series_id, key, timeout_s,
                             (realtime_start, inside[half - 1].isoformat(), inside[:half]))
                + _releases_in(series_id, key, timeout_s,
                               (inside[half].isoformat(), realtime_end, inside[half:])))
