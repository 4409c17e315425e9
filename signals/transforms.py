"""Causal transforms shared by signals: every output at row i depends on rows <= i only."""

from __future__ import annotations

import pandas as pd


def rolling_zscore(values: pd.Series, window: int) -> pd.Series:
    """(x - trailing mean) / trailing std over `window` rows, NaN until the window is full."""
    mean = values.rolling(window, min_periods=window).mean()
    std = values.rolling(window, min_periods=window).std(ddof=1)
    return (values - mean) / std.where(std > 0)


def rolling_percentile(values: pd.Series, window: int) -> pd.Series:
    """Percentile (0-100] of each value within its trailing `window` rows (itself included);
    ties share the average rank. NaN until the window is full."""
    return values.rolling(window, min_periods=window).rank(pct=True) * 100.0


def change_over(values: pd.Series, periods: int) -> pd.Series:
    """x[i] - x[i - periods] on the rows of `values` (weekly stamps, trade dates or sessions)."""
    return values - values.shift(periods)


def spread_on_common_stamps(minuend: pd.Series, subtrahend: pd.Series) -> pd.Series:
    """minuend - subtrahend on the stamps both series have (no filling across gaps)."""
    left, right = minuend.dropna().align(subtrahend.dropna(), join="inner")
    return left - right


def percent_to_bp(values: pd.Series) -> pd.Series:
    """Percentage points -> basis points, rounded to 1e-6 bp (percent arithmetic in floating point
    leaves 1e-14 noise such as 11.000000000000043)."""
    return (values * 100.0).round(6)
