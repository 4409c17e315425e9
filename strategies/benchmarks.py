"""Benchmarks: what a liquidity rule has to beat (buy-and-hold, 60/40, equal weight)."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap


class FixedWeightsParams(RuleParams):
    weights: WeightMap = Field(min_length=1, description="sleeve -> weight (fractions of equity)")

    def sleeves_referenced(self) -> set[str]:
        return set(self.weights)


@rule("fixed_weights", FixedWeightsParams)
def fixed_weights(d: Decisions, p: ParamGrid) -> np.ndarray:
    """The same weights at every decision: 60/40 with `rebalance: monthly`, and so on."""
    return d.from_map(p.weights)


class BuyAndHoldParams(RuleParams):
    sleeve: str = Field(description="the sleeve bought at the first session and never rebalanced")

    def sleeves_referenced(self) -> set[str]:
        return {self.sleeve}


@rule("buy_and_hold", BuyAndHoldParams, default_rebalance="once")
def buy_and_hold(d: Decisions, p: ParamGrid) -> np.ndarray:
    """100% in one sleeve, bought at the first backtest session and never rebalanced."""
    return d.from_map({p.sleeve: 1.0})


class EqualWeightParams(RuleParams):
    sleeves: list[str] | None = Field(None, description="sleeves to hold; default: all of them")

    def sleeves_referenced(self) -> set[str]:
        return set(self.sleeves or [])


@rule("equal_weight", EqualWeightParams)
def equal_weight(d: Decisions, p: ParamGrid) -> np.ndarray:
    """1/n in each sleeve tradable at the decision (sleeves join the split as they list)."""
    chosen = np.zeros(len(d.sleeves), dtype=bool)
    chosen[[d.sleeve(name) for name in (p.sleeves or d.sleeves)]] = True
    tradable = d.context.tradable().to_numpy()[d.idx] & chosen
    count = tradable.sum(axis=1, keepdims=True)
    share = np.divide(tradable, count, out=np.zeros(tradable.shape), where=count > 0)
    return np.broadcast_to(share[:, None, :], d.shape).copy()
