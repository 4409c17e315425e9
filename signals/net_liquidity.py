"""Net liquidity: the Fed's balance sheet minus the cash parked back at the Fed by the Treasury (TGA)
and by money funds (ON RRP) — WALCL − TGA − ON RRP, in USD bn.

Two constructions, chosen by the `tga` parameter (NOTES.md (c)):

- `week_average` (default): an H.4.1 week — WALCL (Wednesday level) − WTREGEN (TGA week average
  ending Wednesday) − RRPONTSYD on that Wednesday, computed on the Wednesday stamp and released under
  the H.4.1 rule (Thursday 16:30 ET, first usable Friday). ON RRP for the Wednesday is public the same
  afternoon, before the H.4.1, so the H.4.1 release is the binding one and the whole week's value
  changes exactly once, on the Friday. A business day inside ON RRP's coverage without a row means
  no take-up (zero). Example: the 2025-12-31 week is 6,640.6 − 837.3 − 106.0 ≈ 5,697 bn, first known
  at the close of Monday 2026-01-05 (the New Year holiday moved the H.4.1 to Friday after the close).
- `daily`: at each session's close, the latest public value of each input — WALCL (from the
  Friday after its Wednesday), the Daily Treasury Statement TGA close (TGA_DTS_CLOSE, published
  ~16:00 ET the next business day, so usable the session after) and today's ON RRP (same day ~13:15
  ET). The inputs carry different stamps, but each is as known at that close, so mixing them stays
  point-in-time. Starts when the DTS series does (2022-04 in the snapshot).

Changes and z-scores follow the same split: on weekly stamps (N weeks) for `week_average`, on
sessions (N weeks ~ the value known 7N calendar days earlier) for `daily`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from feeds.panel import PointInTimePanel
from signals.registry import SignalParams, signal
from signals.transforms import change_over, rolling_zscore

WALCL, TGA_WEEKLY, TGA_DAILY, ON_RRP = "WALCL", "WTREGEN", "TGA_DTS_CLOSE", "RRPONTSYD"
SESSIONS_PER_WEEK = 5

TgaChoice = Literal["week_average", "daily"]


class NetLiquidityParams(SignalParams):
    tga: TgaChoice = Field("week_average", description="TGA as the H.4.1 week average (weekly "
                                                       "signal) or the daily DTS balance")


class NetLiquidityChangeParams(NetLiquidityParams):
    weeks: int = Field(4, ge=1, le=52, description="change horizon N in weeks")


class NetLiquidityZParams(NetLiquidityChangeParams):
    z_weeks: int = Field(52, ge=8, le=520, description="z-score look-back M in weeks")


def on_rrp_on(panel: PointInTimePanel, dates: pd.DatetimeIndex) -> pd.Series:
    """ON RRP take-up (USD bn) in force on each date: that day's result (zero on a Fed business day
    without an operation), or on a holiday the last result before it, as the H.4.1 reports it;
    NaN before the first observation and after the data's coverage."""
    rrp = panel.stamped(ON_RRP)
    if rrp.empty:
        return pd.Series(np.nan, index=dates)
    in_force = rrp.reindex(rrp.index.union(dates)).ffill().reindex(dates)
    return in_force.where(dates <= rrp.index[-1] + pd.Timedelta(days=4))


def weekly_net_liquidity_usd_bn(panel: PointInTimePanel) -> pd.Series:
    """WALCL − WTREGEN − ON RRP on each H.4.1 Wednesday stamp (USD bn), not yet released."""
    walcl, tga = panel.stamped(WALCL).align(panel.stamped(TGA_WEEKLY), join="inner")
    net = walcl - tga - on_rrp_on(panel, pd.DatetimeIndex(walcl.index))
    net.name = "net_liquidity_usd_bn"
    return net.dropna()


def daily_net_liquidity_usd_bn(panel: PointInTimePanel) -> pd.Series:
    """WALCL − DTS TGA − ON RRP, each as known at the session's close (USD bn)."""
    return panel.series(WALCL) - panel.series(TGA_DAILY) - panel.series(ON_RRP)


def _value_weeks_ago(values: pd.Series, weeks: int) -> pd.Series:
    """The value known at the last session on or before t − 7·weeks calendar days."""
    earlier = values.index - pd.Timedelta(days=7 * weeks)
    position = values.index.searchsorted(earlier, side="right") - 1
    lagged = np.where(position >= 0, values.to_numpy()[np.maximum(position, 0)], np.nan)
    return pd.Series(lagged, index=values.index)


@signal("net_liquidity_usd_bn", NetLiquidityParams, cadence="h41_weekly")
def net_liquidity_usd_bn(panel: PointInTimePanel, params: NetLiquidityParams) -> pd.Series:
    """Net liquidity = WALCL − TGA − ON RRP in USD bn. Default (TGA week average): one value per
    H.4.1 week, known from the Friday after the Wednesday; `tga: daily`: moves every session, each
    input as known at that close."""
    if params.tga == "daily":
        return daily_net_liquidity_usd_bn(panel)
    return panel.align(weekly_net_liquidity_usd_bn(panel), like=WALCL)


def _net_liquidity_change(panel: PointInTimePanel, params: NetLiquidityChangeParams,
                          z_weeks: int | None) -> pd.Series:
    if params.tga == "daily":
        level = daily_net_liquidity_usd_bn(panel)
        change = level - _value_weeks_ago(level, params.weeks)
        return change if z_weeks is None else rolling_zscore(change, z_weeks * SESSIONS_PER_WEEK)
    change = change_over(weekly_net_liquidity_usd_bn(panel), params.weeks)
    stamped = change if z_weeks is None else rolling_zscore(change, z_weeks)
    return panel.align(stamped, like=WALCL)


@signal("net_liquidity_change_usd_bn", NetLiquidityChangeParams, cadence="h41_weekly")
def net_liquidity_change_usd_bn(panel: PointInTimePanel, params: NetLiquidityChangeParams
                                ) -> pd.Series:
    """N-week change in net liquidity (USD bn); weekly H.4.1 timing by default (changes on the
    Friday after the Wednesday), session by session with `tga: daily`."""
    return _net_liquidity_change(panel, params, None)


@signal("net_liquidity_z", NetLiquidityZParams, cadence="h41_weekly")
def net_liquidity_z(panel: PointInTimePanel, params: NetLiquidityZParams) -> pd.Series:
    """Z-score of the N-week change in net liquidity against its trailing M weeks (unitless);
    weekly H.4.1 timing by default, session by session with `tga: daily`."""
    return _net_liquidity_change(panel, params, params.z_weeks)
