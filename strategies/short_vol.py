"""Claim 1, "be short VIX": hold the inverse-VIX sleeve only when liquidity is calm and VIX futures
are in contango, sized by volatility targeting.

Reads: select calm regime AND contango (VIX/VIX3M below `contango_max`) → weigh the short-vol sleeve
at target_vol / trailing realised vol, capped at `max_weight` → rest of the book per `rest`.
The cap is the point: a one-day doubling of VIX futures takes a daily-reset −1x sleeve to zero, so
the portfolio loses at most `max_weight` that day instead of everything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field

from strategies.decisions import Decisions
from strategies.grid import ParamGrid
from strategies.registry import RuleParams, rule
from strategies.weights import WeightMap

TRADING_DAYS = 252


class ShortVolParams(RuleParams):
    short_vol_sleeve: str = Field(description="sleeve holding the inverse-VIX instrument")
    regime_signal: str = Field(description="signal with liquidity-regime labels")
    calm_regimes: list[str] = Field(["expanding", "neutral"], description="regimes that allow it")
    term_structure_signal: str = Field(description="signal with the VIX/VIX3M ratio")
    contango_max: float = Field(1.0, gt=0, description="hold only while VIX/VIX3M is below this")
    target_vol: float = Field(0.15, gt=0, le=1, description="annualised volatility target")
    vol_window: int = Field(20, ge=5, le=252, description="sessions of trailing realised vol")
    max_weight: float = Field(0.25, gt=0, le=0.5, description="cap: loss if the sleeve goes to 0")
    rest: WeightMap = Field(default_factory=dict, description="where the remainder goes")

    def sleeves_referenced(self) -> set[str]:
        return {self.short_vol_sleeve, *self.rest}

    def signals_referenced(self) -> set[str]:
        return {self.regime_signal, self.term_structure_signal}


def trailing_vol(prices: pd.Series, windows: np.ndarray) -> np.ndarray:
    """Annualised trailing vol of daily returns for each distinct window, shape (T, U)."""
    returns = prices.pct_change(fill_method=None)
    return np.column_stack([returns.rolling(int(w), min_periods=int(w)).std().to_numpy()
                            for w in windows]) * np.sqrt(TRADING_DAYS)


@rule("short_vol", ShortVolParams)
def short_vol(d: Decisions, p: ParamGrid) -> np.ndarray:
    """Inverse-VIX sleeve, vol-targeted and capped, only in calm liquidity and VIX contango."""
    calm = d.is_in(p.regime_signal, p.calm_regimes)
    contango = d.numeric(p.term_structure_signal) < p.contango_max
    windows, which = np.unique(p.vol_window, return_inverse=True)
    vol = trailing_vol(d.context.prices[p.short_vol_sleeve], windows)[d.idx][:, which]
    sized = np.minimum(p.max_weight, p.target_vol / np.where(vol > 0, vol, np.nan))
    weight = np.where(calm & contango & np.isfinite(sized), sized, 0.0)
    return d.blend({p.short_vol_sleeve: weight}, rest=p.rest)
