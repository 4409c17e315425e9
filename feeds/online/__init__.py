"""Live data sources behind one small interface: `OnlineSources.series` / `.prices`.

One module per provider (fred, nyfed, fiscaldata, ofr, yahoo) and a shared HTTP layer (http.py) that
gives every series/ticker fetch one time budget with bounded retries. The catalog's `online`
field says which provider serves a series; prices come from Yahoo. Providers return native units
stamped as the catalog says; the parquet cache (feeds/cache.py) stores them and the refresh logic
(feeds/refresh.py) decides what to ask for.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from feeds.catalog import SeriesSpec
from feeds.errors import InputError, SourceError
from feeds.online.fetched import PRICE_COLUMNS, VALUE_COLUMNS, Fetched
from feeds.online.http import DEFAULT_TIMEOUT_S, Budget, resolve_timeout

__all__ = ["DEFAULT_TIMEOUT_S", "PRICE_COLUMNS", "VALUE_COLUMNS", "Fetched", "OnlineSources",
           "resolve_timeout"]


class OnlineSources:
    """One fetch session: a timeout per series/ticker, and provider state shared across series."""

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S, tz_cache_dir: Path | None = None,
                 today: date | None = None):
        from feeds.cache import default_cache_dir
        from feeds.online.nyfed import NyFed

        self.timeout_s = timeout_s
        self.tz_cache_dir = tz_cache_dir or default_cache_dir() / "py-yfinance"
        self._nyfed = NyFed(today)

    def series(self, spec: SeriesSpec, start: date | None, vintage: str = "latest") -> Fetched:
        """Observations of a catalog series (folder fred/other) in native units, from `start`."""
        budget = Budget(self.timeout_s)
        provider = spec.online
        if provider is None:
            raise SourceError(f"series '{spec.id}' has no online source ({spec.source}; snapshot "
                              "only): run with --snapshot DIR")
        if vintage == "first_release" and provider != "fred":
            vintage = "latest"  # ALFRED vintages exist only for FRED series
        if provider == "fred":
            from feeds.online.fred import fetch_fred

            return fetch_fred(spec.id, start, budget, vintage)
        if provider == "nyfed":
            return self._nyfed.fetch(spec.id, start, budget)
        if provider == "fiscaldata":
            from feeds.online.fiscaldata import fetch_tga_close

            return fetch_tga_close(start, budget)
        if provider == "ofr":
            from feeds.online.ofr import fetch_ofr_fsi

            return fetch_ofr_fsi(start, budget)
        if provider == "yahoo":
            return self.prices(spec.id, start)
        raise InputError(f"series '{spec.id}': unknown online provider '{provider}'")

    def prices(self, ticker: str, start: date | None) -> Fetched:
        """Adjusted daily OHLCV (date,open,high,low,close,adj_close,volume) from Yahoo."""
        from feeds.online.yahoo import fetch_prices

        return fetch_prices(ticker, start, Budget(self.timeout_s), self.tz_cache_dir)
