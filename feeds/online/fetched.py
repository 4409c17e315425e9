"""What a provider hands back: a clean, dated frame plus where it came from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

VALUE_COLUMNS = ("value",)
PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")


@dataclass(frozen=True)
class Fetched:
    """One provider answer.

    `frame` is indexed by a sorted, unique, tz-naive `date` index at midnight, with `VALUE_COLUMNS`
    (series, native units) or `PRICE_COLUMNS` (prices); rows without a value/close are dropped.
    `source` is a human label (e.g. "FRED fredgraph.csv"), `host` the server it came from.
    """

    frame: pd.DataFrame
    source: str
    host: str


def dated_frame(dates, columns: dict[str, object], required: str) -> pd.DataFrame:
    """Build a clean frame: parse dates, coerce numbers, drop rows without `required`,
    keep the last row of a duplicated date (a provider's correction comes later)."""
    index = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates, dtype="object"), errors="coerce"),
                             name="date")
    frame = pd.DataFrame({name: pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
                          .to_numpy(dtype=float) for name, values in columns.items()},
                         index=index)
    if frame.index.tz is not None:
        frame.index = frame.index.tz_localize(None)
    frame = frame[frame.index.notna() & np.isfinite(frame[required].to_numpy())]
    frame.index = pd.DatetimeIndex(frame.index.normalize(), name="date").astype("datetime64[us]")
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    return frame


def value_frame(dates, values) -> pd.DataFrame:
    return dated_frame(dates, {"value": values}, required="value")
