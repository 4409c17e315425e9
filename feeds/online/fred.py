"""FRED: `fredapi` when FRED_API_KEY is set, else FRED's keyless `fredgraph.csv` download.

Both give today's (revised) values stamped with the observation date, in the series' native units.
With a key, `vintage="first_release"` asks ALFRED for the value as first published instead.

fredapi 0.5.2 calls `urllib.request.urlopen(url)` with no timeout; `_urlopen_with_timeout` swaps
the module-level `fredapi.fred.urlopen` for one that passes the attempt's timeout, and the budget's
daemon thread bounds it anyway. fredapi reports FRED's HTTP errors as `ValueError(message)`.
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import date
from typing import Callable, Iterator

import pandas as pd

from feeds.errors import InputError
from feeds.online.fetched import Fetched, value_frame
from feeds.online.http import (
    Budget, Permanent, Transient, classify, fetch_bytes, host_of, unreadable, with_budget,
)

KEYLESS_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_HOST = "api.stlouisfed.org"


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
        return _with_fredapi(series_id, key, budget, lambda fred: _first_release(fred, series_id,
                                                                                  start),
                             "ALFRED first release (fredapi)")
    if key is not None:
        return _with_fredapi(series_id, key, budget, lambda fred: fred.get_series(
            series_id, observation_start=start.isoformat() if start else None),
            "FRED API (fredapi)")
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


def _with_fredapi(series_id: str, key: str, budget: Budget, call: Callable[[object], object],
                  source: str) -> Fetched:
    what = f"series '{series_id}'"

    def attempt(seconds: float) -> pd.Series:
        import fredapi

        try:
            with _urlopen_with_timeout(seconds):
                return call(fredapi.Fred(api_key=key))
        except ValueError as exc:  # FRED's own error message (bad key, unknown series, ...)
            message = str(exc).strip() or "FRED error"
            if "api_key" in message:
                raise InputError(f"FRED rejected FRED_API_KEY ({message}): fix the key, or unset "
                                 "FRED_API_KEY to use the keyless fredgraph.csv download") from None
            if "Too Many Requests" in message or "rate limit" in message.lower():
                raise Transient(message) from None
            raise Permanent(message) from None
        except ET.ParseError as exc:
            raise Transient(f"garbled answer ({exc})") from None
        except Exception as exc:  # noqa: BLE001 - network errors, classified
            raise classify(exc) from exc

    series = with_budget(attempt, what=what, host=API_HOST, budget=budget)
    if not isinstance(series, pd.Series):
        raise unreadable(what, API_HOST, f"fredapi returned {type(series).__name__}")
    return Fetched(value_frame(series.index, series.to_numpy()), source, API_HOST)


def _first_release(fred, series_id: str, start: date | None) -> pd.Series:
    """ALFRED first releases; incremental calls ask only for vintages from `start` on.

    A vintage window that starts late clips older observations' realtime_start, so callers must
    only keep dates that were not cached before (the refresh merge does: first releases never
    change once cached).
    """
    if start is None:
        return fred.get_series_first_release(series_id)
    releases = fred.get_series_all_releases(series_id, realtime_start=start.isoformat())
    if len(releases) == 0:
        return pd.Series(dtype=float)
    releases = releases.sort_values(["date", "realtime_start"], kind="stable")
    first = releases.groupby("date").head(1).set_index("date")["value"]
    return first[first.index >= pd.Timestamp(start)]
