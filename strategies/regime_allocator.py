"""The regime allocator: a regime label per session -> a weight map over the sleeves.

Reads as a sentence: on each rebalance, *select* the regime known at that close, *weigh* the sleeves
with that regime's map, *constrain* to sleeves that exist (the rest stays in cash).
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field, model_validator

from strategies.context import StrategyContext
from strategies.registry import RuleParams, rule


class RegimeAllocatorParams(RuleParams):
    regime_signal: str = Field(description="config name of a signal that yields regime labels")
    weights: dict[str, dict[str, float]] = Field(
        description="regime label -> {sleeve: weight}; each map long-only and summing to <= 1")
    fallback: str = Field("neutral", description="regime whose map applies to labels not listed "
                                                 "(e.g. 'unknown' during warm-up)")

    @model_validator(mode="after")
    def _valid(self) -> "RegimeAllocatorParams":
        for regime, weight_map in self.weights.items():
            if any(w < 0 for w in weight_map.values()):
                raise ValueError(f"weights.{regime}: weights must be >= 0 (long-only)")
            if sum(weight_map.values()) > 1.0 + 1e-9:
                raise ValueError(f"weights.{regime} sums to {sum(weight_map.values()):.4f}; at most 1")
        if self.fallback not in self.weights:
            raise ValueError(f"fallback '{self.fallback}' has no weight map; add weights.{self.fallback}")
        return self

    def sleeves_referenced(self) -> set[str]:
        return {sleeve for weight_map in self.weights.values() for sleeve in weight_map}

    def signals_referenced(self) -> set[str]:
        return {self.regime_signal}


@rule("regime_allocator", RegimeAllocatorParams)
def regime_allocator(context: StrategyContext, params: RegimeAllocatorParams) -> pd.DataFrame:
    """Weights from the regime known at each close, via a regime -> weight-map table."""
    table = pd.DataFrame(params.weights).T.reindex(columns=context.sleeves).fillna(0.0)
    labels = context.signal(params.regime_signal).astype(object)
    labels = labels.where(labels.isin(table.index), params.fallback)
    weights = table.loc[labels.to_numpy()]
    weights.index = context.sessions
    return weights
