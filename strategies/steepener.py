"""Claim 4, "don't sit in cash or T-bills: put on a 2s10s steepener": hold the steepener sleeve in
place of cash after an RMP/QE announcement or while the Fed adds reserves."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap


class SteepenerParams(RuleParams):
    steepener_sleeve: str = Field(description="sleeve holding the 2s10s steepener")
    cash_sleeve: str | None = Field(None, description="T-bill sleeve; None = uninvested cash")
    sleeve_weight: float = Field(0.4, gt=0, le=1, description="book share in steepener-or-cash")
    days_since_signals: list[str] = Field(min_length=1, description="signals counting sessions "
                                          "since the last announcement of each kind (RMP, QE)")
    within_days: float = Field(63, ge=0, description="hold for this many sessions after one")
    pace_signal: str | None = Field(None, description="pace in effect (USD bn/month), optional")
    adding_above: float = Field(0.0, description="pace above this = the Fed is adding reserves")
    rest: WeightMap = Field(default_factory=dict, description="core mix for the remainder")

    def sleeves_referenced(self) -> set[str]:
        return {self.steepener_sleeve, *self.rest} | ({self.cash_sleeve} if self.cash_sleeve else set())

    def signals_referenced(self) -> set[str]:
        return set(self.days_since_signals) | ({self.pace_signal} if self.pace_signal else set())


@rule("steepener", SteepenerParams)
def steepener(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Steepener instead of cash within `within_days` of an RMP/QE announcement or while adding."""
    since_last = np.fmin.reduce([d.numeric(name) for name in p.days_since_signals])
    adding = since_last <= p.within_days
    if p.pace_signal:
        adding = adding | (d.numeric(p.pace_signal) > p.adding_above)
    hold = np.where(adding, p.sleeve_weight, 0.0)
    fixed = {p.steepener_sleeve: hold}
    if p.cash_sleeve:
        fixed[p.cash_sleeve] = p.sleeve_weight - hold
    core = d.blend({}, rest=p.rest) * (1.0 - p.sleeve_weight)[None, :, None]
    return d.blend(fixed, rest={}) + core
