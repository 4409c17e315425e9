"""Claim 2, "fiscal dominance debases money: overweight gold": more gold while the Fed is adding
(QE/RMP stance) or net liquidity is rising, a base weight otherwise, the rest in a core mix."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap


class GoldParams(RuleParams):
    gold_sleeve: str = Field(description="sleeve holding gold")
    stance_signal: str = Field(description="signal with the policy stance (QE/RMP/neutral/QT)")
    easing_stances: list[str] = Field(["QE", "RMP"], description="stances that trigger the overweight")
    liquidity_signal: str | None = Field(None, description="numeric liquidity-trend signal, optional")
    rising_above: float = Field(0.0, description="trend above this counts as rising liquidity")
    base_weight: float = Field(0.10, ge=0, le=1)
    overweight: float = Field(0.30, ge=0, le=1)
    rest: WeightMap = Field(description="core mix for the remainder, e.g. {equities: 0.6, "
                                               "treasuries: 0.4}")

    def sleeves_referenced(self) -> set[str]:
        return {self.gold_sleeve, *self.rest}

    def signals_referenced(self) -> set[str]:
        return {self.stance_signal} | ({self.liquidity_signal} if self.liquidity_signal else set())


@rule("gold", GoldParams)
def gold(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Gold at `overweight` while easing or liquidity rises, else `base_weight`; rest to the core."""
    liquid = d.is_in(p.stance_signal, p.easing_stances)
    if p.liquidity_signal:
        liquid = liquid | (d.numeric(p.liquidity_signal) > p.rising_above)
    return d.blend({p.gold_sleeve: np.where(liquid, p.overweight, p.base_weight)}, rest=p.rest)
