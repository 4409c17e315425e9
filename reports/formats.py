"""How numbers read on every liqbt page: one place, so the index, sweep, event-study and signals
pages (and summary.md) say 12.34%, 0.85 and +12.5 bp the same way.

- Returns, drawdowns, volatility, weights: percent with two decimals in tables (`percent`), one in
  short summaries and chart axes (`percent(v, 1)`, `PERCENT_AXIS`; round ticks of a wide axis
  have none, `PERCENT_AXIS_WIDE`); signed (`signed_percent`) when the sign is the news (an
  event's move).
- Ratios (Sharpe, Sortino, Calmar, z-scores, turnover): two decimals (`number`).
- Spreads: basis points with one decimal (`bp`); money in USD bn (`usd_bn`), paces in USD bn a
  month (`pace`).
- Missing (None / NaN) is an en dash everywhere.

Plotly charts take d3 format strings: `PERCENT_AXIS` / `PERCENT_HOVER` and, per signal,
`SignalUnit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MISSING = "–"
PERCENT_AXIS = ".1%"    # d3: chart ticks of small moves (event paths)
PERCENT_AXIS_WIDE = ".0%"   # d3: round ticks of wide ranges (drawdowns, cumulative returns)
PERCENT_HOVER = ".2%"   # d3: chart hover labels
PERCENT_METRICS = frozenset({"total_return", "cagr", "max_drawdown", "volatility"})


def missing(value) -> bool:
    """None, NaN or not a number at all."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def _shown(value, spec: str, template: str = "{}") -> str:
    """`value` formatted with `spec` into `template`, or the en dash when it is missing."""
    return MISSING if missing(value) else template.format(format(float(value), spec))


def percent(value, digits: int = 2) -> str:
    """0.1234 -> '12.34%'."""
    return _shown(value, f".{digits}%")


def signed_percent(value, digits: int = 1) -> str:
    """0.0123 -> '+1.2%'."""
    return _shown(value, f"+.{digits}%")


def number(value, digits: int = 2) -> str:
    """A ratio: 0.8532 -> '0.85'."""
    return _shown(value, f".{digits}f")


def signed_number(value, digits: int = 2) -> str:
    """A difference of ratios, sign shown: 0.37 -> '+0.37'."""
    return _shown(value, f"+.{digits}f")


def bp(value, digits: int = 1) -> str:
    """A spread already in basis points: 12.5 -> '+12.5 bp'."""
    return _shown(value, f"+.{digits}f", "{} bp")


def usd_bn(value, digits: int = 1) -> str:
    """3215.4 -> 'USD 3,215.4 bn'."""
    return _shown(value, f",.{digits}f", "USD {} bn")


def pace(value) -> str:
    """A purchase (+) or runoff (-) pace in USD bn a month: 40 -> '+40 bn/month'."""
    return _shown(value, "+,.4g", "{} bn/month")


def grid_value(value) -> str:
    """A sweep parameter as the config wrote it: 0.25 -> '0.25', 3 -> '3'."""
    return _shown(value, "g")


def risk_free(record: dict) -> str:
    """What every Sharpe ratio of a run is in excess of, from `RunResult.risk_free_record()`
    (the same words and number on every page and in summary.json)."""
    if record.get("sleeve"):
        return (f"the daily return of sleeve {record['sleeve']}, "
                f"{percent(record.get('mean_annual'))} a year on average")
    return f"{percent(record.get('annual'))} a year"


# A strategy this calm is (almost) the risk-free itself: its excess returns are costs and the
# days before it first trades, so a ratio of their mean to their tiny volatility says nothing.
NEAR_RISKLESS_VOLATILITY = 0.005
RATIO_METRICS = frozenset({"sharpe", "sortino", "calmar"})
NEAR_RISKLESS_NOTE = ("† volatility below 0.5% a year: the strategy is (almost) the risk-free "
                      "itself, so its Sharpe, Sortino and Calmar measure its costs and the days "
                      "before it first trades, not a reward for risk")


def near_riskless(metrics: dict) -> bool:
    """True for a strategy whose ratios must carry NEAR_RISKLESS_NOTE (e.g. T-bills measured in
    excess of T-bills)."""
    vol = metrics.get("volatility")
    return not missing(vol) and float(vol) < NEAR_RISKLESS_VOLATILITY


def metric(name: str, value) -> str:
    """A summary metric (backtests.metrics.METRIC_NAMES): percent or ratio by its kind."""
    return percent(value) if name in PERCENT_METRICS else number(value)


@dataclass(frozen=True)
class SignalUnit:
    """How one signal's values read: as text (`format`), and on a plotly axis (`d3`, `suffix`)."""

    label: str
    d3: str
    suffix: str = ""

    def format(self, value) -> str:
        if isinstance(value, str):
            return value
        if missing(value):
            return MISSING
        if self.label == "bp":
            return bp(value)
        if self.label == "USD bn":
            return usd_bn(value)
        if self.label == "USD bn/month":
            return pace(value)
        if self.label == "flag":
            return "yes" if float(value) else "no"
        if self.label == "sessions":
            return f"{float(value):,.0f}"
        return number(value)


UNITS = {
    "bp": SignalUnit("bp", ".1f", " bp"),
    "USD bn": SignalUnit("USD bn", ",.1f", " bn"),
    "USD bn/month": SignalUnit("USD bn/month", "+,.0f", " bn/mo"),
    "flag": SignalUnit("flag", ".0f"),
    "sessions": SignalUnit("sessions", ",.0f"),
    "ratio": SignalUnit("ratio", ".2f"),
}


def signal_unit(fn: str) -> SignalUnit:
    """The unit of a registered signal, read from its name (the house names units: `_bp`,
    `_usd_bn`), else a plain ratio/z-score with two decimals."""
    if fn.endswith("_bp"):
        return UNITS["bp"]
    if fn == "pace_in_effect":
        return UNITS["USD bn/month"]
    if "usd_bn" in fn:
        return UNITS["USD bn"]
    if fn.endswith("_flag") or fn == "policy_event_window":
        return UNITS["flag"]
    if fn.startswith("days_since"):
        return UNITS["sessions"]
    return UNITS["ratio"]
