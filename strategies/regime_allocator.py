"""The liquidity-regime allocator: a regime label per session -> a weight map over the sleeves.

Reads as a sentence: on each rebalance, *select* the regime known at that close, *weigh* the sleeves
with that regime's map, *constrain* to sleeves that exist (the rest stays in cash).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap


class RegimeAllocatorParams(RuleParams):
    regime_signal: str = Field(description="config name of a signal that yields regime labels")
    weights: dict[str, WeightMap] = Field(
        description="regime label -> {sleeve: weight}; each map long-only and summing to <= 1")
    fallback: str = Field("neutral", description="regime whose map applies to labels not listed "
                                                 "(e.g. 'unknown' during warm-up)")

    @model_validator(mode="after")
    def _valid(self) -> "RegimeAllocatorParams":
        if self.fallback not in self.weights:
            raise ValueError(f"fallback '{self.fallback}' has no weight map; add weights.{self.fallback}")
        return self

    def sleeves_referenced(self) -> set[str]:
        return {sleeve for weight_map in self.weights.values() for sleeve in weight_map}

    def signals_referenced(self) -> set[str]:
        return {self.regime_signal}


@rule("liquidity_regime", RegimeAllocatorParams)
def liquidity_regime(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Weights from the regime known at each close, via a regime -> weight-map table."""
    regimes = list(p.weights)
    table = np.stack([d.vector(p.weights[regime]) for regime in regimes])
    labels = d.labels(p.regime_signal)
    row_of = {regime: row for row, regime in enumerate(regimes)}
    rows = np.array([row_of.get(label, row_of[p.fallback]) for label in labels], dtype=int)
    return np.broadcast_to(table[rows][:, None, :], d.shape).copy()
