"""Benchmarks: what a liquidity rule has to beat (buy-and-hold, 60/40, equal weight)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule


def check_weight_map(weights: dict[str, float], where: str = "weights") -> None:
    """Long-only, unlevered weight maps (shared by every rule that takes one)."""
    if any(w < 0 for w in weights.values()):
        raise ValueError(f"{where}: weights must be >= 0 (long-only)")
    if sum(weights.values()) > 1.0 + 1e-9:
        raise ValueError(f"{where} sums to {sum(weights.values()):.4f}; at most 1 (no leverage)")


class FixedWeightsParams(RuleParams):
    weights: dict[str, float] = Field(description="sleeve -> weight (fractions of equity)")

    @model_validator(mode="after")
    def _valid(self) -> "FixedWeightsParams":
        if not self.weights:
            raise ValueError("weights must name at least one sleeve")
        check_weight_map(self.weights)
        return self

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
