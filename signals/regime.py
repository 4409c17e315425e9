"""The composite liquidity regime: expanding / neutral / draining / stress (or unknown).

Rule, evaluated at each session's close on values known then:
1. `stress`    if repo stress is flagged at this close or at any of the previous
               `stress_hold_sessions` closes. Repo stress = the overnight spread to IORB (IOER before
               2021-07-29) >= `stress_bp`, or SRF usage >= `srf_stress_usd_bn`; on month-end and
               tax dates (and `calendar_bdays_after` business days after them) the thresholds are
               `calendar_stress_bp` / `calendar_srf_usd_bn` instead, so a calendar spike must be
               larger to count (see `signals.repo_stress`).
2. `unknown`   if the trend z-score is not known yet (warm-up, or no data for the chosen trend).
3. score = trend z + `policy_weight` x stance sign, where the trend z is the z-score of the
   `weeks`-week change of reserves (`trend: reserves`, WRESBAL) or of net liquidity
   (`trend: net_liquidity`, WALCL − TGA − ON RRP, TGA per `tga`) over `z_weeks` weeks, and the
   stance sign is +1 under QE or RMP, −1 under QT, 0 when neutral (`signals.policy`).
4. `expanding` if score >= `expand_z`; `draining` if score <= `drain_z`; `neutral` otherwise.
Repo stress outranks the trend: a repo spike while reserves grow is still a scarcity signal. A
missing spread or SRF series (before 2018-04 / 2021-07) counts as no stress, not as unknown. The
policy term tilts an inconclusive trend towards what the Fed said it is doing; `policy_weight: 0`
gives a pure data trend.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from feeds.panel import PointInTimePanel
from signals.net_liquidity import NetLiquidityZParams, TgaChoice, net_liquidity_z
from signals.policy import PolicyParams, policy_stance
from signals.registry import signal
from signals.repo_stress import RepoStressThresholds, combine_legs, repo_stress_legs
from signals.reserves import ReservesChangeZParams, reserves_change_z

UNKNOWN = "unknown"
STANCE_SIGN = {"QE": 1.0, "RMP": 1.0, "neutral": 0.0, "QT": -1.0}


class LiquidityRegimeParams(RepoStressThresholds):
    trend: Literal["reserves", "net_liquidity"] = Field("reserves", description="quantity whose "
                                                        "change sets the trend")
    tga: TgaChoice = Field("week_average", description="TGA for the net-liquidity trend")
    weeks: int = Field(4, ge=1, le=52, description="trend change horizon (weeks)")
    z_weeks: int = Field(52, ge=8, le=520, description="z-score look-back (weeks)")
    expand_z: float = Field(0.5, description="score at or above which liquidity is expanding")
    drain_z: float = Field(-0.5, description="score at or below which liquidity is draining")
    policy_weight: float = Field(0.5, ge=0, le=5, description="weight of the policy stance sign "
                                                              "added to the trend z")
    stress_hold_sessions: int = Field(0, ge=0, le=60, description="keep `stress` for N sessions "
                                                                  "after the last stress reading")

    @model_validator(mode="after")
    def _ordered(self) -> "LiquidityRegimeParams":
        if self.drain_z >= self.expand_z:
            raise ValueError(f"drain_z ({self.drain_z}) must be below expand_z ({self.expand_z})")
        return self


def trend_z(panel: PointInTimePanel, params: LiquidityRegimeParams) -> pd.Series:
    """The z-scored trend the rule reads (reserves or net liquidity)."""
    if params.trend == "net_liquidity":
        return net_liquidity_z(panel, NetLiquidityZParams(tga=params.tga, weeks=params.weeks,
                                                          z_weeks=params.z_weeks))
    return reserves_change_z(panel, ReservesChangeZParams(weeks=params.weeks,
                                                          z_weeks=params.z_weeks))


def repo_stress_held(panel: PointInTimePanel, params: LiquidityRegimeParams) -> pd.Series:
    """True where repo stress is flagged now or within the last `stress_hold_sessions` sessions."""
    flag = combine_legs(repo_stress_legs(panel, params), panel.sessions).fillna(0.0)
    held = flag.rolling(params.stress_hold_sessions + 1, min_periods=1).max()
    return held >= 1.0


def classify(trend: pd.Series, stress: pd.Series, stance: pd.Series,
             params: LiquidityRegimeParams) -> pd.Series:
    """Apply the module-docstring rule to aligned inputs."""
    z = trend.to_numpy(dtype=float)
    score = z + params.policy_weight * stance.map(STANCE_SIGN).fillna(0.0).to_numpy()
    labels = np.select(
        [stress.to_numpy(dtype=bool), np.isnan(z), score >= params.expand_z,
         score <= params.drain_z],
        ["stress", UNKNOWN, "expanding", "draining"], default="neutral")
    return pd.Series(labels, index=trend.index, dtype="str")


@signal("liquidity_regime", LiquidityRegimeParams)
def liquidity_regime(panel: PointInTimePanel, params: LiquidityRegimeParams) -> pd.Series:
    """Composite liquidity regime label per session: expanding / neutral / draining / stress, or
    unknown in warm-up (rule in the module docstring). Changes with repo data (session after the
    trade date), SRF usage (same day), the H.4.1 trend (Friday) and policy announcements."""
    stance = policy_stance(panel, PolicyParams())
    return classify(trend_z(panel, params), repo_stress_held(panel, params), stance, params)
