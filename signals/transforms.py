"""Causal transforms shared by signals: every output at row i depends on rows <= i only."""

from __future__ import annotations

import pandas as pd


def rolling_zscore(values: pd.Series, window: int) -> pd.Series:
    """(x - trailing mean) / trailing std over `window` rows, NaN until the window is full."""
    mean = values.rolling(window, min_periods=window).mean()
    std = values.rolling(window, min_periods=window).std(ddof=1)
    return (values - mean) / std.where(std > 0)
