"""Claim 5, "the RMP size decides the regime": the pace of Fed purchases in effect picks one of the
articles' scenarios, each with its own allocation.

    pace <= 0                      -> none  (no purchases: QT or reinvestment only)
    0 < pace <= token_max          -> C     token amount: defensive, cash and long vol
    token_max < pace < large_min   -> A     moderate ($20-30bn-like): mild equity overweight
    pace >= large_min              -> B     large (>= $45bn-like): risk-on, gold, steepener

Pace is any purchase programme in effect (QE counts as large), because history has only two RMP
episodes; an unknown pace is a lump-sum programme of unstated size (QE1, QE4 in spring 2020: see
`pace_in_effect`) and also counts as large. The thresholds are parameters so a sweep can test the
articles' cut-offs.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap

SCENARIOS = ("none", "C", "A", "B")


class RmpScenarioParams(RuleParams):
    pace_signal: str = Field(description="pace in effect, USD bn/month (+ purchases, - runoff)")
    token_max: float = Field(10.0, ge=0, description="pace up to this is a token amount (C)")
    large_min: float = Field(45.0, gt=0, description="pace from this is large (B)")
    allocations: dict[str, WeightMap] = Field(
        description="scenario (none, A, B, C) -> {sleeve: weight}")

    @model_validator(mode="after")
    def _valid(self) -> "RmpScenarioParams":
        if self.token_max >= self.large_min:
            raise ValueError(f"token_max ({self.token_max:g}) must be below large_min "
                             f"({self.large_min:g}), or scenario A can never occur")
        missing = [s for s in SCENARIOS if s not in self.allocations]
        if missing:
            raise ValueError(f"allocations needs a map for every scenario; missing: {', '.join(missing)}")
        unknown = sorted(set(self.allocations) - set(SCENARIOS))
        if unknown:
            raise ValueError(f"unknown scenario(s) {', '.join(unknown)}; use none, A, B, C")
        return self

    def sleeves_referenced(self) -> set[str]:
        return {sleeve for weights in self.allocations.values() for sleeve in weights}

    def signals_referenced(self) -> set[str]:
        return {self.pace_signal}


def scenario_codes(pace: np.ndarray, token_max: np.ndarray, large_min: np.ndarray) -> np.ndarray:
    """Index into SCENARIOS for (R, 1) paces against (K,) thresholds -> (R, K). An unknown pace
    (lump-sum QE) is large: B."""
    known = np.nan_to_num(pace, nan=np.inf)
    return np.select([known <= 0, known <= token_max, known < large_min], [0, 1, 2], default=3)


@rule("rmp_scenarios", RmpScenarioParams)
def rmp_scenarios(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Scenario A/B/C/none from the pace in effect, each with the articles' allocation."""
    table = np.stack([d.vector(p.allocations[s]) for s in SCENARIOS])  # (4, S)
    codes = scenario_codes(d.numeric(p.pace_signal), p.token_max, p.large_min)
    return table[codes]
