"""Claim 3, "tactically overweight small caps and tech": tilt part of an equity core toward small
caps and tech while reserves or net liquidity are rising."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule


class SmallTechParams(RuleParams):
    core_sleeve: str = Field(description="broad equities (e.g. SPY)")
    small_caps_sleeve: str = Field(description="small caps (e.g. IWM)")
    tech_sleeve: str = Field(description="tech (e.g. QQQ)")
    trend_signal: str = Field(description="numeric reserves or net-liquidity trend signal")
    rising_above: float = Field(0.0, description="trend above this counts as rising")
    tilt: float = Field(0.5, ge=0, le=1, description="share of the book moved from core to "
                                                     "small caps + tech (split equally)")

    def sleeves_referenced(self) -> set[str]:
        return {self.core_sleeve, self.small_caps_sleeve, self.tech_sleeve}

    def signals_referenced(self) -> set[str]:
        return {self.trend_signal}


@rule("small_tech", SmallTechParams)
def small_tech(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Fully invested in equities; `tilt` of it in IWM + QQQ while liquidity rises."""
    tilted = np.where(d.numeric(p.trend_signal) > p.rising_above, p.tilt, 0.0)
    return d.blend({p.small_caps_sleeve: tilted / 2, p.tech_sleeve: tilted / 2},
                   rest={p.core_sleeve: 1.0})
