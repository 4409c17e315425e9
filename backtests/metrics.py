"""Summary metrics of daily simple returns, annualised on 252 trading days.

Definitions (the `summary.json` contract of DESIGN.md; they match quantstats' 252-day conventions):
- total_return  prod(1 + r) - 1
- cagr          (1 + total_return) ** (252 / n) - 1, n = number of daily returns
- volatility    std(r, ddof=1) * sqrt(252)
- sharpe        mean(r - rf) / std(r - rf, ddof=1) * sqrt(252), rf the daily risk-free return
                (a constant, or a series such as the T-bill sleeve's daily return); 0 when the
                excess is flat at zero (mean and std below 1e-12 a day: the risk-free asset
                measured against itself leaves only float round-off)
- sortino       mean(r - rf) / sqrt(sum(min(r - rf, 0)^2) / n) * sqrt(252)
- max_drawdown  min over t of equity_t / max_{s<=t} equity_s - 1, equity starting at 1 (<= 0)
- calmar        cagr / |max_drawdown|
- turnover      traded notional / equity, summed and divided by years (two-sided: switching all
                of the book from one sleeve to another once a year is 2.0)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

TRADING_DAYS = 252
METRIC_NAMES = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar",
                "volatility", "turnover")


def daily_risk_free(annual_rate: float) -> float:
    """Daily compounding equivalent of an annual risk-free rate."""
    return (1.0 + annual_rate) ** (1.0 / TRADING_DAYS) - 1.0


#: Daily mean and std of excess returns below which they are zero: holding the risk-free asset
#: itself leaves only float round-off (~1e-17), whose "Sharpe" would be noise.
FLAT_EXCESS = 1e-12


def _safe_ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else float("nan")


def summary_metrics(returns: np.ndarray, traded_fraction: np.ndarray | None = None,
                    risk_free_annual: float = 0.0,
                    risk_free_daily: np.ndarray | None = None) -> dict[str, float]:
    """All METRIC_NAMES for one strategy's daily returns (NaN-free 1-D array); the risk-free is
    `risk_free_daily` (daily returns on the same sessions) when given, else the annual constant."""
    r = np.asarray(returns, dtype=float)
    n = len(r)
    if n < 2:
        return {name: float("nan") for name in METRIC_NAMES}
    equity = np.cumprod(1.0 + r)
    total = float(equity[-1] - 1.0)
    cagr = float((1.0 + total) ** (TRADING_DAYS / n) - 1.0) if total > -1 else -1.0
    rf = (daily_risk_free(risk_free_annual) if risk_free_daily is None
          else np.asarray(risk_free_daily, dtype=float))
    excess = r - rf
    sd = float(np.std(excess, ddof=1))
    flat = sd < FLAT_EXCESS and abs(float(np.mean(excess))) < FLAT_EXCESS
    downside = math.sqrt(float(np.sum(np.minimum(excess, 0.0) ** 2)) / n)
    peak = np.maximum.accumulate(np.r_[1.0, equity])
    max_dd = float(np.min(np.r_[1.0, equity] / peak - 1.0))
    years = n / TRADING_DAYS
    turnover = float(np.sum(traded_fraction) / years) if traded_fraction is not None else float("nan")
    return {
        "total_return": total,
        "cagr": cagr,
        "sharpe": 0.0 if flat else _safe_ratio(float(np.mean(excess)) * math.sqrt(TRADING_DAYS), sd),
        "sortino": 0.0 if flat else _safe_ratio(float(np.mean(excess)) * math.sqrt(TRADING_DAYS),
                                                downside),
        "max_drawdown": max_dd,
        "calmar": _safe_ratio(cagr, abs(max_dd)),
        "volatility": float(sd * math.sqrt(TRADING_DAYS)),
        "turnover": turnover,
    }


def summarise(returns: pd.Series, traded_fraction: pd.Series | None = None,
              risk_free_annual: float = 0.0, risk_free_daily: pd.Series | None = None
              ) -> dict[str, float | str]:
    """METRIC_NAMES plus `start`/`end` dates for a pandas return series; `risk_free_daily` (daily
    risk-free returns by session) overrides the annual constant."""
    clean = returns.dropna()
    traded = None if traded_fraction is None else traded_fraction.reindex(clean.index).fillna(0.0)
    rf = (None if risk_free_daily is None
          else risk_free_daily.reindex(clean.index).fillna(0.0).to_numpy())
    metrics: dict[str, float | str] = summary_metrics(
        clean.to_numpy(), None if traded is None else traded.to_numpy(), risk_free_annual, rf)
    metrics["start"] = str(clean.index[0].date()) if len(clean) else ""
    metrics["end"] = str(clean.index[-1].date()) if len(clean) else ""
    return metrics
