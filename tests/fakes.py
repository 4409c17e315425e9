"""Hand-made in-memory data sources for tests that need exact, known inputs."""

from __future__ import annotations

import pandas as pd

from feeds.catalog import SeriesSpec
from feeds.snapshot import FileRecord


class MemorySource:
    """A data source over dicts of Series: `series[id]` stamped observations, `prices[ticker]`."""

    kind = "memory"

    def __init__(self, series: dict[str, pd.Series] | None = None,
                 prices: dict[str, pd.Series] | None = None):
        self.series = series or {}
        self.price_paths = prices or {}

    def __repr__(self) -> str:
        return "MemorySource"

    def observations(self, spec: SeriesSpec) -> pd.Series:
        return self.series[spec.id].rename(spec.id)

    def prices(self, ticker: str) -> pd.Series:
        """Like the real sources, an index level kept with the prices (VIX) is one file: given as
        a series, it is served as a price path too."""
        paths = self.price_paths if ticker in self.price_paths else self.series
        return paths[ticker].rename(ticker)

    def files_used(self) -> list[FileRecord]:
        return []


def business_days(start: str, periods: int) -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=periods, name="date")
