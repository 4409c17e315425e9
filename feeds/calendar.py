"""The trading calendar of a run: the sessions on which its priced sleeves trade."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from feeds.errors import DataError


def trading_sessions(price_paths: dict[str, pd.Series], start: pd.Timestamp | None,
                     end: pd.Timestamp | None, closed: Collection[str] = ()
                     ) -> pd.DatetimeIndex:
    """Union of the sleeves' trading dates up to `end`, ending at their common last date.

    Sessions before `start` are kept as warm-up history for rolling signals; the backtest itself
    begins at `start`. Stopping at the earliest last date keeps every sleeve priced to the end:
    carrying a stale price forward past a sleeve's last row would book fictitious flat returns.
    Sleeves in `closed` ended by design (a terminated product, a history cut with `until:`): their
    holders were cashed out, so they do not bound the run; the run still needs one live sleeve's
    data to go on (if every sleeve is closed, it ends at the last closure).
    """
    if not price_paths:
        raise DataError("the universe has no priced sleeves: add at least one sleeve to `universe`")
    live = [path.index[-1] for sleeve, path in price_paths.items()
            if len(path) and sleeve not in closed]
    ended = [path.index[-1] for path in price_paths.values() if len(path)]
    if not ended:
        raise DataError("no sleeve has any price: check the universe's tickers and series")
    common_end = min(live) if live else max(ended)
    stop = common_end if end is None else min(common_end, end)
    dates = pd.DatetimeIndex([])
    for path in price_paths.values():
        dates = dates.union(path.index)
    sessions = dates[dates <= stop]
    in_window = sessions if start is None else sessions[sessions >= start]
    if len(in_window) < 2:
        since = "the start of the data" if start is None else str(start.date())
        raise DataError(f"fewer than two trading sessions between {since} and {stop.date()}: "
                        "widen data.start/data.end or check the sleeves' price history")
    return pd.DatetimeIndex(sessions, name="date")
