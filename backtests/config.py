"""The config sections the backtests room consumes: `costs:`, `execution:`, `risk_free:`,
`walk_forward:`, `event_study:`, and the vocabulary of metrics they select on. The sweep's section is in
`backtests.sweep.config`, the verdict's in `backtests.verdict.config`.

Same rules as every section: frozen, unknown keys rejected, every bound stated in the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from backtests.engine import ExecutionCosts
from feeds.schema import ConfigModel

MetricName = Literal["total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar",
                     "volatility", "turnover"]
# Selection sense: max_drawdown is a negative fraction, so higher (closer to 0) is better too.
LOWER_IS_BETTER = frozenset({"volatility", "turnover"})
EventKind = Literal["RMP", "QE", "QT", "taper", "facility"]


def metric_sense(metric: str) -> str:
    """'max' or 'min': which end of `metric` a sweep selects."""
    return "min" if metric in LOWER_IS_BETTER else "max"


class CostsSection(ConfigModel):
    fees_bps: float = Field(0.0, ge=0, le=500)
    slippage_bps: float = Field(0.0, ge=0, le=500)


class ExecutionSection(ConfigModel):
    lag_days: int = Field(1, ge=1, le=20, description="sessions between decision and trade")


def execution_costs(costs: CostsSection, execution: ExecutionSection) -> ExecutionCosts:
    """The engine's view of the two sections."""
    return ExecutionCosts(costs.fees_bps, costs.slippage_bps, execution.lag_days)


class RiskFreeSection(ConfigModel):
    """`risk_free:` what every Sharpe and Sortino is measured in excess of (summary.json, index,
    tearsheets, verdict): a constant annual rate, or the daily return of a sleeve such as T-bills.

        risk_free: {sleeve: cash}      # cash: {tbill: DTB3} in the universe
        risk_free: {annual: 0.02}      # 2% a year, compounded daily over 252 sessions
    Neither given: 0. A sleeve counts as 0 on sessions before its first price.
    """

    annual: float | None = Field(None, ge=-0.05, le=0.25, description="constant annual rate")
    sleeve: str | None = Field(None, description="sleeve whose daily return is the risk-free rate")

    @model_validator(mode="after")
    def _one(self) -> "RiskFreeSection":
        if self.annual is not None and self.sleeve is not None:
            raise ValueError("give either annual or sleeve, not both")
        return self

    @property
    def constant(self) -> float:
        """The annual rate when constant (0 when nothing is set)."""
        return 0.0 if self.annual is None else self.annual

    def record(self) -> dict:
        """What was configured, as summary.json and sweep_summary.json record it."""
        return {"kind": "sleeve" if self.sleeve else "constant", "sleeve": self.sleeve,
                "annual": None if self.sleeve else self.constant, "description": self.describe()}

    def describe(self) -> str:
        if self.sleeve is not None:
            return f"the daily return of sleeve {self.sleeve}"
        return f"{self.constant:.2%} a year"


def moved_key(key: str, fix: str) -> Any:
    """A before-validator for a section: a config that still has `key` (moved elsewhere) gets one
    line saying what to write instead (the loader prefixes file, line and section)."""

    def refuse(cls, raw: object) -> object:
        if isinstance(raw, dict) and key in raw:
            raise ValueError(f"{key} has moved: {fix}")
        return raw

    return model_validator(mode="before")(classmethod(refuse))


class WalkForwardSection(ConfigModel):
    """Lengths in sessions of the backtest window: train [s, s+train), embargo, then test."""

    train: int = Field(ge=2, description="sessions the selection sees")
    test: int = Field(ge=1, description="sessions the selected combination is then held")
    step: int | None = Field(None, ge=1, description="advance per window (default: test)")
    embargo: int = Field(0, ge=0, description="sessions skipped between train and test")


DEFAULT_EPISODES = (date(2019, 10, 11), date(2025, 12, 10))


class EventStudySection(ConfigModel):
    kinds: list[EventKind] = Field(["RMP", "QE", "QT"], min_length=1)
    before: int = Field(10, ge=0, le=250, description="sessions before day 0")
    after: int = Field(63, ge=1, le=750, description="sessions after day 0")
    sleeves: list[str] | None = Field(None, min_length=1, description="default: every sleeve")
    n_boot: int = Field(1000, ge=100, le=20_000, description="bootstrap resamples of events")
    confidence: float = Field(0.9, gt=0, lt=1, description="width of the bootstrap band")
    seed: int = Field(0, ge=0)
    episodes: list[date] = Field(list(DEFAULT_EPISODES),
                                 description="announcement dates also shown on their own")
