"""The composite liquidity regime: expanding / neutral / draining / stress (or unknown).

Rule, evaluated at each session's close on values known then:
1. `stress`    if SOFR - IORB (IOER before 2021-07-29) >= `stress_bp`;
2. `expanding` if the reserves-change z-score >= `expand_z`;
3. `draining`  if the reserves-change z-score <= `drain_z`;
4. `neutral`   otherwise; `unknown` while the reserves z-score has too little history.
Repo stress outranks the trend: a repo spike while reserves grow is still a scarcity signal.
A missing spread (before SOFR exists, 2018-04) counts as no stress, not as unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from feeds.panel import PointInTimePanel
from signals.registry import SignalParams, signal
from signals.repo import sofr_iorb_bp
from signals.reserves import ReservesChangeZParams, reserves_change_z

REGIMES = ("expanding", "neutral", "draining", "stress")
UNKNOWN = "unknown"


class LiquidityRegimeParams(SignalParams):
    weeks: int = Field(4, ge=1, le=52, description="reserves change horizon (weeks)")
    z_weeks: int = Field(52, ge=8, le=520, description="z-score look-back (weeks)")
    expand_z: float = Field(0.5, description="z-score at or above which liquidity is expanding")
    drain_z: float = Field(-0.5, description="z-score at or below which liquidity is draining")
    stress_bp: float = Field(15.0, description="SOFR-IORB spread (bp) at or above which = stress")

    @model_validator(mode="after")
    def _ordered(self) -> "LiquidityRegimeParams":
        if self.drain_z >= self.expand_z:
            raise ValueError(f"drain_z ({self.drain_z}) must be below expand_z ({self.expand_z})")
        return self


def classify(trend_z: pd.Series, spread_bp: pd.Series, params: LiquidityRegimeParams) -> pd.Series:
    """Apply the module-docstring rule to aligned inputs."""
    stress = (spread_bp >= params.stress_bp).to_numpy()
    z = trend_z.to_numpy()
    labels = np.select(
        [stress, z >= params.expand_z, z <= params.drain_z, np.isnan(z)],
        ["stress", "expanding", "draining", UNKNOWN], default="neutral")
    return pd.Series(labels, index=trend_z.index, dtype="str")


@signal("liquidity_regime", LiquidityRegimeParams)
def liquidity_regime(panel: PointInTimePanel, params: LiquidityRegimeParams) -> pd.Series:
    """Composite liquidity regime label per session (see module docstring for the rule)."""
    trend = reserves_change_z(panel, ReservesChangeZParams(weeks=params.weeks,
                                                           z_weeks=params.z_weeks))
    spread = sofr_iorb_bp(panel, None)
    return classify(trend, spread, params)
