"""Run configs: one YAML file (safe-loaded) -> one composed, frozen `RunConfig`.

Each room defines the sections it consumes (feeds: `data`, `universe`; signals: `signals`;
strategies: `strategies`; backtests: `costs`, `execution`, `risk_free`, `sweep`, `walk_forward`,
`event_study`, `verdict`; reports: `report`); this module only composes them, validates once at the
edge, and hands each room its typed section. Every problem becomes one line naming the file, the
line, the field path and what is allowed; all problems are reported together.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from backtests.config import (
    CostsSection, EventStudySection, ExecutionSection, RiskFreeSection, WalkForwardSection,
)
from backtests.sweep.config import SweepSection
from backtests.verdict.config import VerdictSection
from feeds.config import DataSection
from feeds.instruments import InstrumentField
from feeds.schema import ConfigModel
from reports.config import ReportSection
from signals.config import SignalSection
from strategies.config import NAME_PATTERN, StrategySection


class RunConfig(ConfigModel):
    name: str = Field(pattern=NAME_PATTERN)
    data: DataSection = DataSection()
    universe: dict[str, InstrumentField] = Field(min_length=1)
    signals: dict[str, SignalSection] = Field(default_factory=dict)
    strategies: list[StrategySection] = Field(min_length=1)
    benchmark: str | None = Field(None, description="strategy or sleeve every tearsheet compares to")
    costs: CostsSection = CostsSection()
    execution: ExecutionSection = ExecutionSection()
    risk_free: RiskFreeSection = RiskFreeSection()
    report: ReportSection = ReportSection()
    verdict: VerdictSection | None = Field(None, description="tests of the article claims")
    sweep: SweepSection | None = Field(None, description="parameter sweep (liqbt sweep)")
    walk_forward: WalkForwardSection | None = Field(None, description="walk-forward of the sweep")
    event_study: EventStudySection | None = Field(None, description="policy-event study pages")

    def strategy(self, name: str) -> StrategySection:
        return next(s for s in self.strategies if s.name == name)

    def benchmark_of(self, strategy: StrategySection) -> str | None:
        return strategy.benchmark or self.benchmark

    @property
    def title(self) -> str:
        """What the pages are headed with."""
        return self.report.title or self.name


class ConfigError(Exception):
    """One or more config problems, each already formatted as one line."""

    exit_code = 2

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def load_config(path: str | Path) -> RunConfig:
    """Read, validate and cross-check a run config; raise ConfigError listing every problem."""
    from liqbt.config_checks import check_references, pydantic_problems
    from liqbt.config_yaml import parse_yaml

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
