"""The `verdict:` config section: which test judges each article claim, and the specification set a
skeptic would try for it.

Each claim names its test (`test:`), so the verdict page can say exactly what was done:
- `backtest`: a rule against its benchmark, out of sample by walk-forward over a small grid;
- `scenario_returns`: risk-asset returns conditional on the RMP pace scenario in effect;
- `stress_then_purchases`: is a fresh repo-stress episode followed by new or larger Fed purchases
  more often than the base rate?

Each claim also declares `specifications`: named alternatives to its primary (configured) version,
every one evaluated with the same out-of-sample test. A specification overrides
- `params`: the rule's parameters (backtest claims) or the claim's own fields (scenario and
  stress claims: thresholds, pace signal, horizon, cooldown, ...);
- `signals`: parameters of configured signals, recomputed for this specification only (regime
  thresholds and weights, the trend used, stress definitions);
- `grid`, `rebalance`, `benchmark` (backtest claims): grid axes replaced, schedule, benchmark.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from backtests.config import WalkForwardSection, moved_key
from feeds.schema import ConfigModel
from strategies.schedule import Rebalance

ClaimId = Annotated[int, Field(ge=1, le=6, description="claim number in DESIGN.md (1-6)")]
SPEC_NAME = r"^[a-z0-9][a-z0-9_.-]*$"
PRIMARY = "primary"
#: Specifications per claim: each is a full walk-forward of the claim's grid (the article's claims
#: have at most 12); a longer list is a typo or a generated sweep in the wrong place.
MAX_SPECIFICATIONS = 100
Axes = dict[str, Annotated[list[float], Field(min_length=1)]]


class WalkForwardSpec(WalkForwardSection):
    """The sweep's walk-forward windows, with defaults for claims and their selection metric."""

    train: int = Field(756, ge=63, description="sessions in each train window (756 = 3 years)")
    test: int = Field(252, ge=21, description="sessions in each test window")
    metric: Literal["sharpe", "sortino", "calmar", "cagr", "total_return"] = "sharpe"


class Specification(ConfigModel):
    """One alternative version of a claim's test (see the module docstring)."""

    name: str = Field(pattern=SPEC_NAME, max_length=64,
                      description="short id, shown on the specification curve")
    about: str = Field("", max_length=200,
                       description="what a skeptic changes, in a few words (one line)")
    params: dict[str, Any] = Field(default_factory=dict)
    signals: dict[str, dict[str, Any]] = Field(default_factory=dict)
    grid: Axes | None = None
    rebalance: Rebalance | None = None
    benchmark: str | None = None

    @model_validator(mode="after")
    def _not_primary(self) -> "Specification":
        if self.name == PRIMARY:
            raise ValueError("'primary' is the claim as configured; name the alternative")
        if not self.about.isprintable():
            raise ValueError(f"specification {self.name}: about must be one line of printable "
                             "text (no newline, tab or control character)")
        return self


def _unique_names(specifications: list[Specification]) -> None:
    names = [spec.name for spec in specifications]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"specification names must be unique: {', '.join(twice)} appear(s) "
                         "more than once; rename one")



def _claim_fields_only(claim: ConfigModel, kinds: str) -> None:
    """Scenario/stress specifications override claim fields: each must validate as the claim."""
    _unique_names(claim.specifications)
    base = claim.model_dump(exclude={"specifications"})
    for spec in claim.specifications:
        if spec.grid is not None or spec.rebalance is not None or spec.benchmark is not None:
            raise ValueError(f"specification {spec.name}: grid, rebalance and benchmark are for "
                             f"backtest claims; a {kinds} claim changes its fields under params")
        unknown = sorted(set(spec.params) - set(base) - {"id", "test"})
        if unknown:
            raise ValueError(f"specification {spec.name}: unknown claim field(s) {unknown}; "
                             f"allowed: {', '.join(sorted(set(base) - {'id', 'test'}))}")
        type(claim).model_validate({**base, **spec.params})


class BacktestClaim(ConfigModel):
    id: ClaimId
    test: Literal["backtest"]
    strategy: str = Field(description="configured strategy implementing the claim")
    benchmark: str = Field(description="configured strategy it must beat, or risk_free")
    grid: Axes = Field(default_factory=dict,
                       description="parameter grid re-selected by walk-forward")
    specifications: list[Specification] = Field(default_factory=list,
                                                max_length=MAX_SPECIFICATIONS)

    @model_validator(mode="after")
    def _names(self) -> "BacktestClaim":
        _unique_names(self.specifications)
        return self


class ScenarioClaim(ConfigModel):
    id: ClaimId
    test: Literal["scenario_returns"]
    pace_signal: str = Field(description="configured pace signal (USD bn/month) that classifies")
    stance_signal: str | None = Field(None, description="configured policy-stance signal: its QE "
                                      "sessions are their own row (None: QE counts by pace)")
    qe: Literal["own_row", "by_pace"] = Field("own_row", description="QE sessions: their own "
                                              "row, or classified by pace like RMPs")
    sleeves: list[str] = Field(min_length=1, description="risk assets, held equally weighted")
    token_max: float = Field(10.0, ge=0)
    large_min: float = Field(45.0, gt=0)
    min_sessions: int = Field(126, ge=21, description="sessions a scenario needs to be judged")
    rule_claim: BacktestClaim | None = Field(None, description="optional rule test, reported too")
    specifications: list[Specification] = Field(default_factory=list,
                                                max_length=MAX_SPECIFICATIONS)

    @model_validator(mode="after")
    def _ordered(self) -> "ScenarioClaim":
        if self.token_max >= self.large_min:
            raise ValueError(f"token_max ({self.token_max}) must be below large_min ({self.large_min})")
        if self.qe == "own_row" and self.stance_signal is None:
            raise ValueError("qe: own_row needs stance_signal (a configured policy_stance signal)")
        _claim_fields_only(self, "scenario_returns")
        return self


class StressClaim(ConfigModel):
    id: ClaimId
    test: Literal["stress_then_purchases"]
    stress_signal: str = Field(description="configured 0/1 repo-stress signal")
    pace_signal: str = Field(description="configured pace-in-effect signal")
    horizon_sessions: int = Field(63, ge=5, description="how soon purchases must rise")
    cooldown_sessions: int = Field(21, ge=1, description="quiet sessions before a new episode")
    min_episodes: int = Field(3, ge=1, description="episodes needed to judge at all")
    specifications: list[Specification] = Field(default_factory=list,
                                                max_length=MAX_SPECIFICATIONS)

    @model_validator(mode="after")
    def _specs(self) -> "StressClaim":
        _claim_fields_only(self, "stress_then_purchases")
        return self


Claim = Annotated[Union[BacktestClaim, ScenarioClaim, StressClaim], Field(discriminator="test")]


class VerdictSection(ConfigModel):
    confidence: float = Field(0.90, gt=0.5, lt=1.0, description="two-sided bootstrap CI level")
    n_boot: int = Field(1000, ge=100, le=20000)
    mean_block: float = Field(21.0, ge=1.0, description="mean bootstrap block length, sessions")
    seed: int = 0
    since: date | None = Field(date(2025, 12, 10), description="start of the 'since the "
                                                               "articles' window")
    spec_majority: float = Field(0.8, gt=0.5, le=1.0, description="share of the specification "
                                 "set that must agree for 'supported'")
    pbo_splits: int = Field(16, ge=4, le=24, description="CSCV blocks for PBO on a claim's grid")
    walk_forward: WalkForwardSpec = WalkForwardSpec()
    claims: list[Claim] = Field(min_length=1)

    _moved = moved_key("risk_free_sleeve", "the verdict uses the run's top-level `risk_free:` "
                       "section; write `risk_free: {sleeve: cash}`")

    @model_validator(mode="after")
    def _unique(self) -> "VerdictSection":
        ids = [claim.id for claim in self.claims]
        if len(ids) != len(set(ids)):
            raise ValueError(f"claim ids must be unique, got {ids}")
        if self.pbo_splits % 2:
            raise ValueError(f"pbo_splits must be even, got {self.pbo_splits}")
        return self
