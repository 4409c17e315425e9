"""How far a synthetic path is from the real product it stands in for, where both exist.

A synthetic (e.g. -1x daily of VIXY's index) is only as good as its calibration against the listed
product with the same terms (SVXY while it was -1x). `tracking_report` compares their daily
returns over the dates both have, per calendar year and overall; the run manifest carries it
(`instrument_tracking`), so a reader sees how much a verdict leans on the synthetic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

TRADING_DAYS = 252


def _compounded(returns: pd.Series) -> float:
    return float(np.prod(1.0 + returns.to_numpy()) - 1.0)


def tracking_report(synthetic: pd.Series, real: pd.Series, real_label: str) -> dict | None:
    """Synthetic vs real prices on their common dates: per calendar year the two compounded
    returns, the tracking error (annualised std of the daily return difference) and the mean gap
    (synthetic minus real, bp per year); overall the same plus `drag_to_match_bps`, the annual
    drag that would close the mean gap over the full calendar years (>= 200 common sessions: a
    partial year ending in a termination is a modelling rule, not drift). None when they share
    fewer than 20 returns."""
    both = pd.concat({"synthetic": synthetic, "real": real}, axis=1).dropna()
    returns = both.pct_change().iloc[1:]
    if len(returns) < 20:
        return None
    gap = returns["synthetic"] - returns["real"]
    by_year = {}
    for year, rows in returns.groupby(returns.index.year):
        difference = rows["synthetic"] - rows["real"]
        by_year[str(year)] = {
            "sessions": int(len(rows)),
            "synthetic_return": _compounded(rows["synthetic"]),
            "real_return": _compounded(rows["real"]),
            "tracking_error": float(difference.std(ddof=1) * math.sqrt(TRADING_DAYS))
            if len(rows) > 1 else float("nan"),
            "mean_gap_bps_per_year": float(difference.mean() * TRADING_DAYS * 1e4),
        }
    mean_gap_bps = float(gap.mean() * TRADING_DAYS * 1e4)
    full_years = [year for year, row in by_year.items() if row["sessions"] >= 200]
    in_full = gap[np.isin(gap.index.year.astype(str), full_years)]
    drag = float(in_full.mean() * TRADING_DAYS * 1e4) if len(in_full) else float("nan")
    return {"real_product": real_label, "first": str(returns.index[0].date()),
            "last": str(returns.index[-1].date()), "sessions": int(len(returns)),
            "daily_correlation": float(returns["synthetic"].corr(returns["real"])),
            "tracking_error": float(gap.std(ddof=1) * math.sqrt(TRADING_DAYS)),
            "mean_gap_bps_per_year": mean_gap_bps, "drag_to_match_bps": drag,
            "drag_years": full_years,
            "by_year": by_year}
