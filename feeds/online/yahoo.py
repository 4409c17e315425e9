"""Yahoo Finance prices via `yfinance.download` (dividend- and split-adjusted OHLCV).

Facts about yfinance 1.7 this module relies on (../shared/STACK.md):
- `auto_adjust=True` (default): Open/High/Low/Close are adjusted and there is no "Adj Close", so
  we store `adj_close = close`, like the snapshot's prices files;
- columns are a MultiIndex ('Price', 'Ticker') even for one ticker;
- offline, or for an unknown ticker, it does NOT raise: it logs and returns an EMPTY frame. We
  catch its log lines (so they do not leak to stderr) and turn an empty answer into a one-line
  error naming the ticker;
- HTTP goes through curl_cffi (which honours HTTPS_PROXY) with yfinance's own `timeout`; the
  budget's daemon thread bounds the whole call regardless;
- it keeps a timezone/cookie cache, which we point into liqbt's cache dir instead of
  ~/.cache/py-yfinance;
- rate limiting (HTTP 429), its users' most common complaint: `YFRateLimitError` is raised by
  `Ticker.history`, but `download` catches it, logs "['SPY']: YFRateLimitError('Too Many
  Requests. Rate limited. Try after a while.')" at ERROR and returns an empty frame. We read the
  log line (or the exception, should it escape) and raise `RateLimited`: retried after 2, 4, 8 s
  within the budget, then one line saying "rate limited by Yahoo" and to wait.

Index tickers are spelled without Yahoo's punctuation in liqbt (and the snapshot): VIX -> ^VIX.
"""

from __future__ import annotations

import logging
import re
import warnings
from datetime import date
from pathlib import Path

import pandas as pd

from feeds.errors import SourceError
from feeds.online.fetched import PRICE_COLUMNS, Fetched, dated_frame
from feeds.online.http import Budget, Permanent, RateLimited, Transient, with_budget

HOST = "finance.yahoo.com"
SOURCE = "Yahoo Finance (yfinance)"
SYMBOLS = {"VIX": "^VIX", "VIX3M": "^VIX3M", "GSPC": "^GSPC", "RUT": "^RUT", "GC_F": "GC=F"}
#: snapshot tickers with no Yahoo history of their own
NOT_ON_YAHOO = {"XAUUSD": "a broker spot series in the snapshot only (use GLD or GC_F)"}
MARKET_TZ = "America/New_York"
SETTLED_HOUR_ET = 17
_NETWORK_WORDS = ("timed out", "timeout", "resolve", "connect", "proxy", "ssl", "curl", "network")
_RATE_LIMITED = re.compile(r"YFRateLimitError|rate[ -]limit|too many requests|HTTP 429", re.I)


def yahoo_symbol(ticker: str) -> str:
    return SYMBOLS.get(ticker.upper(), ticker)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            message = record.getMessage().strip()
            if message:
                self.lines.append(" ".join(message.split()))


def fetch_prices(ticker: str, start: date | None, budget: Budget, tz_cache_dir: Path) -> Fetched:
    """Adjusted daily OHLCV of `ticker` from `start` (None: all history)."""
    if ticker.upper() in NOT_ON_YAHOO:
        raise SourceError(f"ticker '{ticker}' has no online source: it is "
                          f"{NOT_ON_YAHOO[ticker.upper()]}; run with --snapshot DIR")
    symbol = yahoo_symbol(ticker)
    what = f"ticker '{ticker}'" + (f" (Yahoo symbol {symbol})" if symbol != ticker else "")

    def attempt(seconds: float) -> pd.DataFrame:
        return _download(symbol, what, start, seconds, tz_cache_dir)

    frame = with_budget(attempt, what=what, host=HOST, budget=budget)
    return Fetched(frame, SOURCE, HOST)


def _download(symbol: str, what: str, start: date | None, seconds: float,
              tz_cache_dir: Path) -> pd.DataFrame:
    import yfinance as yf

    tz_cache_dir.mkdir(parents=True, exist_ok=True)
    yf.set_tz_cache_location(str(tz_cache_dir))
    logger = logging.getLogger("yfinance")
    capture, propagate = _Capture(), logger.propagate
    logger.addHandler(capture)
    logger.propagate = False
    try:
        kwargs = {"start": start.isoformat()} if start else {"period": "max"}
        with warnings.catch_warnings():  # yfinance's pandas deprecation noise stays off stderr
            warnings.simplefilter("ignore")
            raw = yf.download(symbol, auto_adjust=True, actions=False, progress=False,
                              threads=False, timeout=seconds, multi_level_index=True, **kwargs)
    except Exception as exc:  # noqa: BLE001 - yfinance raises rarely; keep its reason
        reason = f"{type(exc).__name__}: {exc}"
        if _RATE_LIMITED.search(reason):
            raise RateLimited(f"rate limited by Yahoo ({reason})") from exc
        raise Transient(f"yfinance failed: {reason}") from exc
    finally:
        logger.removeHandler(capture)
        logger.propagate = propagate
    if raw is None or raw.empty:
        reason = _short_reason(capture.lines)
        if _RATE_LIMITED.search(reason):
            raise RateLimited(f"rate limited by Yahoo ({reason})")
        message = (f"Yahoo Finance returned no prices ({reason}); check the ticker symbol, and "
                   "the network: yfinance answers an empty table when offline")
        if any(word in reason.lower() for word in _NETWORK_WORDS):
            raise Transient(message)
        raise Permanent(message)
    return without_unfinished_session(ohlcv_frame(raw, symbol))


def without_unfinished_session(frame: pd.DataFrame, now: pd.Timestamp | None = None
                               ) -> pd.DataFrame:
    """Drop today's row until the US close has settled (17:00 ET): during the session Yahoo's
    daily bar is a live quote, not a close, and must not be cached as one."""
    now = now if now is not None else pd.Timestamp.now(tz=MARKET_TZ)
    if len(frame) and frame.index[-1].date() == now.date() and now.hour < SETTLED_HOUR_ET:
        return frame.iloc[:-1]
    return frame


def _short_reason(lines: list[str], limit: int = 220) -> str:
    """yfinance's log lines, deduplicated and trimmed to something that fits one error line."""
    kept = []
    for line in dict.fromkeys(lines):
        if re.match(r"^\d+ Failed downloads?:$", line):
            continue
        kept.append(line.split(" See https://")[0].rstrip(". "))
    reason = "; ".join(kept) or "an empty table"
    return reason if len(reason) <= limit else reason[: limit - 3] + "..."


def ohlcv_frame(raw: pd.DataFrame, symbol: str) -> pd.DataFrame:
    """yfinance's ('Price', 'Ticker') frame -> date,open,high,low,close,adj_close,volume."""
    frame = raw
    if isinstance(frame.columns, pd.MultiIndex):
        names = list(frame.columns.names)
        level = names.index("Ticker") if "Ticker" in names else 1
        tickers = frame.columns.get_level_values(level)
        wanted = symbol.upper() if symbol.upper() in set(tickers) else tickers[0]
        frame = frame.xs(wanted, axis=1, level=level)
    columns = {str(c).lower().replace(" ", "_"): frame[c] for c in frame.columns}
    close = columns.get("close")
    if close is None:
        raise Permanent(f"no Close column in yfinance's answer (columns {list(frame.columns)})")
    adjusted = columns.get("adj_close", close)
    data = {"open": columns.get("open"), "high": columns.get("high"), "low": columns.get("low"),
            "close": close, "adj_close": adjusted, "volume": columns.get("volume")}
    nan = pd.Series(float("nan"), index=frame.index)
    clean = dated_frame(frame.index, {name: (nan if data[name] is None else data[name]).to_numpy()
                                      for name in PRICE_COLUMNS}, required="adj_close")
    return clean
