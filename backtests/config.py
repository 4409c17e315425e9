"""Run configs: YAML (safe-loaded) -> frozen pydantic models, the only door into the engine.

Validation happens once, here. Every problem becomes one line naming the file, the line, the field
path and what is allowed; all problems are reported together, and the engine can trust what passes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backtests.verdict_config import VerdictSection
from backtests.config_studies import EventStudySection, SweepSection, WalkForwardSection
from feeds.instruments import InstrumentField
from feeds.quality import QualityPolicy
from strategies.schedule import Rebalance

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataSection(_Model):
    snapshot: Path | None = Field(None, description="snapshot directory; else LIQBT_SNAPSHOT")
    start: date | None = Field(None, description="first backtest session (earlier data = warm-up)")
    end: date | None = Field(None, description="last session; default: latest common date")
    quality: QualityPolicy = Field(QualityPolicy(), description="data-quality checks on load")
    vintage: Literal["latest", "first_release"] = Field(
        "latest", description="FRED series as revised today, or as first published (ALFRED; "
        "needs FRED_API_KEY)")
    timeout_s: float | None = Field(None, gt=0, le=3600, description="seconds per online fetch; "
                                    "else --timeout / LIQBT_TIMEOUT / 30")

    @model_validator(mode="after")
    def _ordered(self) -> "DataSection":
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}; set data.end later "
                             "than data.start (or leave it out for the latest date)")
        return self


class SignalSection(_Model):
    fn: str = Field(description="registered signal function (see `liqbt signals --list`)")
    params: dict[str, Any] = Field(default_factory=dict)


class StrategySection(_Model):
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    rule: str = Field(description="registered rule")
    params: dict[str, Any] = Field(default_factory=dict)
    rebalance: Rebalance = "monthly"
    benchmark: str | None = Field(None, description="strategy or sleeve; default: top-level one")


class CostsSection(_Model):
    fees_bps: float = Field(0.0, ge=0, le=500)
    slippage_bps: float = Field(0.0, ge=0, le=500)


class ExecutionSection(_Model):
    lag_days: int = Field(1, ge=1, le=20, description="sessions between decision and trade")


class ReportSection(_Model):
    title: str | None = None
    tearsheets: bool = True
    risk_free_annual: float = Field(0.0, ge=-0.05, le=0.25, description="for Sharpe/Sortino")
    workers: int | None = Field(None, ge=1, le=64, description="processes rendering tearsheets; "
                                "default min(2, CPU count); 1 = in the main process")


class RunConfig(_Model):
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    data: DataSection = DataSection()
    universe: dict[str, InstrumentField]
    signals: dict[str, SignalSection] = Field(default_factory=dict)
    strategies: list[StrategySection] = Field(min_length=1)
    benchmark: str | None = Field(None, description="strategy or sleeve every tearsheet compares to")
    costs: CostsSection = CostsSection()
    execution: ExecutionSection = ExecutionSection()
    report: ReportSection = ReportSection()
    verdict: VerdictSection | None = Field(None, description="tests of the article claims")
    sweep: SweepSection | None = Field(None, description="parameter sweep (liqbt sweep)")
    walk_forward: WalkForwardSection | None = Field(None, description="walk-forward of the sweep")
    event_study: EventStudySection | None = Field(None, description="policy-event study pages")

    def strategy(self, name: str) -> StrategySection:
        return next(s for s in self.strategies if s.name == name)

    def benchmark_of(self, strategy: StrategySection) -> str | None:
        return strategy.benchmark or self.benchmark


class ConfigError(Exception):
    """One or more config problems, each already formatted as one line."""

    exit_code = 2

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def load_config(path: str | Path) -> RunConfig:
    """Read, validate and cross-check a run config; raise ConfigError listing every problem."""
    from backtests.config_checks import check_references, parse_yaml, pydantic_problems

    path = Path(path)
    raw, locate = parse_yaml(path)
    problems = check_references(raw, path, locate)
    try:
        config = RunConfig.model_validate(raw)
    except ValidationError as exc:
        problems = pydantic_problems(exc, path, locate) + problems
    if problems:
        raise ConfigError(list(dict.fromkeys(problems)))  # ordered, without duplicates
    return config
