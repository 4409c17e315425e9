"""The `verdict:` config section: which test judges each article claim, with what settings.

Each claim names its test (`test:`), so the verdict page can say exactly what was done:
- `backtest`: a rule against its benchmark, out of sample by walk-forward over a small grid;
- `scenario_returns`: risk-asset returns conditional on the RMP/QE pace scenario in effect;
- `stress_then_purchases`: does a fresh repo-stress episode precede a rise in Fed purchases more
  often than the base rate?
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from backtests.config import WalkForwardSection
from feeds.schema import ConfigModel

ClaimId = Annotated[int, Field(ge=1, le=6, description="claim number in DESIGN.md (1-6)")]


class WalkForwardSpec(WalkForwardSection):
    """The sweep's walk-forward windows, with defaults for claims and their selection metric."""

    train: int = Field(756, ge=63, description="sessions in each train window (756 = 3 years)")
    test: int = Field(252, ge=21, description="sessions in each test window")
    metric: Literal["sharpe", "sortino", "calmar", "cagr", "total_return"] = "sharpe"


class BacktestClaim(ConfigModel):
    id: ClaimId
    test: Literal["backtest"]
    strategy: str = Field(description="configured strategy implementing the claim")
    benchmark: str = Field(description="configured strategy it must beat")
    grid: dict[str, list[float]] = Field(default_factory=dict,
                                         description="parameter grid re-selected by walk-forward")


class ScenarioClaim(ConfigModel):
    id: ClaimId
    test: Literal["scenario_returns"]
    pace_signal: str = Field(description="configured pace-in-effect signal (USD bn/month)")
    sleeves: list[str] = Field(min_length=1, description="risk assets, held equally weighted")
    token_max: float = Field(10.0, ge=0)
    large_min: float = Field(45.0, gt=0)
    min_sessions: int = Field(126, ge=21, description="sessions a scenario needs to be judged")
    rule_claim: BacktestClaim | None = Field(None, description="optional rule test, reported too")

    @model_validator(mode="after")
    def _ordered(self) -> "ScenarioClaim":
        if self.token_max >= self.large_min:
            raise ValueError(f"token_max ({self.token_max}) must be below large_min ({self.large_min})")
        return self


class StressClaim(ConfigModel):
    id: ClaimId
    test: Literal["stress_then_purchases"]
    stress_signal: str = Field(description="configured 0/1 repo-stress signal")
    pace_signal: str = Field(description="configured pace-in-effect signal")
    horizon_sessions: int = Field(63, ge=5, description="how soon purchases must rise")
    cooldown_sessions: int = Field(21, ge=1, description="quiet sessions before a new episode")
    min_episodes: int = Field(3, ge=1, description="episodes needed to judge at all")


Claim = Annotated[Union[BacktestClaim, ScenarioClaim, StressClaim], Field(discriminator="test")]


class VerdictSection(ConfigModel):
    risk_free_sleeve: str | None = Field("cash", description="sleeve whose daily return is the "
                                                             "risk-free rate (None = 0)")
    confidence: float = Field(0.90, gt=0.5, lt=1.0, description="two-sided bootstrap CI level")
    n_boot: int = Field(1000, ge=100, le=20000)
    mean_block: float = Field(21.0, ge=1.0, description="mean bootstrap block length, sessions")
    seed: int = 0
    since: date | None = Field(date(2025, 12, 10), description="start of the 'since the "
                                                               "articles' window")
    walk_forward: WalkForwardSpec = WalkForwardSpec()
    claims: list[Claim] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "VerdictSection":
        ids = [claim.id for claim in self.claims]
        if len(ids) != len(set(ids)):
            raise ValueError(f"claim ids must be unique, got {ids}")
        return self
