"""The trading calendar of a run: the sessions on which its priced sleeves trade."""

from __future__ import annotations

import pandas as pd

from feeds.errors import DataError


def trading_sessions(price_paths: dict[str, pd.Series], start: pd.Timestamp | None,
                     end: pd.Timestamp | None) -> pd.DatetimeIndex:
    """Union of the sleeves' trading dates up to `end`, ending at their common last date.

    Sessions before `start` are kept as warm-up history for rolling signals; the backtest itself
    begins at `start`. Stopping at the earliest last date keeps every sleeve priced to the end:
    carrying a stale price forward past a sleeve's last row would book fictitious flat returns.
    """
    if not price_paths:
        raise DataError("the universe has no priced sleeves: add at least one sleeve to `universe`")
    common_end = min(path.index[-1] for path in price_paths.values() if len(path))
    stop = common_end if end is None else min(common_end, end)
    dates = pd.DatetimeIndex([])
    for path in price_paths.values():
        dates = dates.union(path.index)
    sessions = dates[dates <= stop]
    in_window = sessions if start is None else sessions[sessions >= start]
    if len(in_window) < 2:
        raise DataError(f"fewer than two trading sessions between {start} and {stop}: widen "
                        "data.start/data.end or check the sleeves' price history")
    return pd.DatetimeIndex(sessions, name="date")
