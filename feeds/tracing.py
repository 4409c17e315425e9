"""A data source that records what is asked of it and answers with harmless synthetic data.

`liqbt fetch CONFIG` needs every series and ticker a config reads. Rather than have each signal
and instrument declare its inputs (a list that drifts out of date), the fetch builds the config's
panel and computes its signals over a `RecordingSource`: whatever they read is what must be
fetched. The synthetic answers (smooth, positive, business-daily, 1990 to today) only have to keep
the code running; their values mean nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from feeds.catalog import SeriesSpec
from feeds.snapshot import FileRecord

SYNTHETIC_START = "1990-01-01"


class RecordingSource:
    """Implements `feeds.panel.Source`; `series` and `tickers` list what was requested, in order."""

    kind = "tracing"

    def __init__(self, end: pd.Timestamp | None = None):
        end = end if end is not None else pd.Timestamp.today().normalize()
        self._days = pd.bdate_range(SYNTHETIC_START, end, name="date")
        self.series: list[str] = []
        self.tickers: list[str] = []

    def _wave(self, seed: str, level: float) -> pd.Series:
        phase = (sum(map(ord, seed)) % 97) / 97.0 * 2 * np.pi
        steps = np.arange(len(self._days), dtype=float)
        values = level * (1.0 + 0.2 * np.sin(steps / 37.0 + phase) + 0.1 * np.sin(steps / 5.3))
        return pd.Series(values, index=self._days)

    def observations(self, spec: SeriesSpec) -> pd.Series:
        if spec.id not in self.series:
            self.series.append(spec.id)
        return self._wave(spec.id, 2.0).rename(spec.id)

    def prices(self, ticker: str) -> pd.Series:
        if ticker not in self.tickers:
            self.tickers.append(ticker)
        return self._wave(ticker, 100.0).rename(ticker)

    def files_used(self) -> list[FileRecord]:
        return []
