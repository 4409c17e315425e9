"""Benchmarks: what a liquidity rule has to beat."""

from __future__ import annotations

import pandas as pd
from pydantic import Field, model_validator

from strategies.context import StrategyContext
from strategies.registry import RuleParams, rule


class FixedWeightsParams(RuleParams):
    weights: dict[str, float] = Field(description="sleeve -> weight (fractions of equity)")

    @model_validator(mode="after")
    def _valid(self) -> "FixedWeightsParams":
        if not self.weights:
            raise ValueError("weights must name at least one sleeve")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("weights must be >= 0 (long-only)")
        if sum(self.weights.values()) > 1.0 + 1e-9:
            raise ValueError(f"weights sum to {sum(self.weights.values()):.4f}; at most 1 (no leverage)")
        return self

    def sleeves_referenced(self) -> set[str]:
        return set(self.weights)


@rule("fixed_weights", FixedWeightsParams)
def fixed_weights(context: StrategyContext, params: FixedWeightsParams) -> pd.DataFrame:
    """The same weights at every decision: buy-and-hold with `rebalance: once`, 60/40 monthly, ..."""
    row = {sleeve: params.weights.get(sleeve, 0.0) for sleeve in context.sleeves}
    return pd.DataFrame([row] * len(context.sessions), index=context.sessions)


class BuyAndHoldParams(RuleParams):
    sleeve: str = Field(description="the sleeve bought at the first session and never rebalanced")

    def sleeves_referenced(self) -> set[str]:
        return {self.sleeve}


@rule("buy_and_hold", BuyAndHoldParams)
def buy_and_hold(context: StrategyContext, params: BuyAndHoldParams) -> pd.DataFrame:
    """100% in one sleeve (use with `rebalance: once`, the default for this rule)."""
    return fixed_weights(context, FixedWeightsParams(weights={params.sleeve: 1.0}))
