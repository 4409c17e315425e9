"""Cash as T-bill accrual: what "sitting in T-bills" earned, from the 3-month bill rate (FRED DTB3).

A strategy's unallocated share earns 0 in the engine; a `cash` sleeve built from DTB3 lets a rule
hold bills explicitly, and lets the "don't sit in cash" claim be tested against the real thing.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from feeds.catalog import spec_for
from feeds.errors import DataError
from feeds.instruments.base import (
    FROM_START, SERIES_PATTERN, InstrumentModel, InstrumentSource, PricePath, compound,
    percent_series_problem, value_in_force,
)


def money_market_yield(discount_rate: np.ndarray | pd.Series, maturity_days: int) -> np.ndarray:
    """Simple act/360 yield of a bill quoted on a discount basis (both as decimals).

    A bill at discount rate d costs P = 1 - d * m / 360 and pays 1 after m days, so its simple
    return is d*m/360 / P over m days, i.e. an act/360 rate of d / (1 - d * m / 360). (The
    bond-equivalent yield is the same on an act/365 basis: 365 d / (360 - d m).)
    """
    d = np.asarray(discount_rate, dtype=float)
    return d / (1.0 - d * maturity_days / 360.0)


def bill_accrual(source: InstrumentSource, series_id: str, dates: pd.DatetimeIndex,
                 maturity_days: int = 91, max_stale_days: int = 10) -> pd.Series:
    """Interest a bill position earns from each date to the next, as a simple return per date.

    From date k-1 to k: y * days / 360, y the money-market yield of the bill rate in force at
    k-1 (the latest observation stamped on or before k-1, in percent on a discount basis) and days
    the calendar days between them. The rate is published with a lag (H.15: the next afternoon),
    so dates after its last stamp accrue at the last rate known, for up to `max_stale_days`
    calendar days: a run on data through t is never cut short by the lag. Indexed by the dates
    with a known rate (first value NaN: nothing accrued before the first date).
    """
    discount = source.observations(spec_for(series_id)).dropna() / 100.0
    rate = value_in_force(discount, dates, max_stale_days, f"bill rate {series_id}",
                          extend_days=max_stale_days)
    yields = money_market_yield(rate, maturity_days)
    days = rate.index.to_series().diff().dt.days.to_numpy(dtype=float)
    accrued = np.full(len(rate), np.nan)
    accrued[1:] = yields[:-1] * days[1:] / 360.0
    return pd.Series(accrued, index=rate.index, name=f"accrual_{series_id}")


class TBillInstrument(InstrumentModel):
    """`{tbill: DTB3}`: a rolling 3-month bill position accruing its money-market yield.

    The discount rate (percent) is converted to a simple act/360 yield (see `money_market_yield`),
    and from session k-1 to k the position earns that yield of the bill bought at the close of
    k-1 — the latest DTB3 stamped on or before k-1 — over the actual calendar days between the
    sessions: growth = 1 + y * days / 360 (Friday to Monday is 3 days). The rate is the market's
    rate on the purchase date (H.15 publishes it the next business day, but the holder's return is set
    when the bill is bought; no decision reads it early). Sessions after the last observation
    accrue at the last rate known (up to `max_stale_days`), so DTB3's publication lag never ends
    the run early (`bill_accrual`). Ignored: the bill's small price change when rates move within
    the holding day, and bid/ask. NaN before the first DTB3 observation.
    """

    prices_on_run_sessions: ClassVar[bool] = True
    # The accrual into session k uses DTB3 of k-1, which H.15 publishes ~16:15 ET on k, after
    # that close: a rule reading the price sees it one session later (the P&L is unchanged).
    price_public_sessions_later: ClassVar[int] = 1

    tbill: Annotated[str, Field(min_length=1, pattern=SERIES_PATTERN,
                                description="catalog id of a bill rate on a discount basis")]
    maturity_days: int = Field(91, ge=1, le=366, description="bill maturity behind the quote")
    max_stale_days: int = Field(10, ge=1, le=31, description="longest rate gap carried over")

    @model_validator(mode="after")
    def _a_rate(self) -> "TBillInstrument":
        percent_series_problem(self.tbill)
        return self

    def series_ids(self) -> list[str]:
        return [self.tbill]

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        if sessions is None:
            sessions = pd.DatetimeIndex(source.observations(spec_for(self.tbill)).dropna().index)
        returns = bill_accrual(source, self.tbill, sessions, self.maturity_days,
                               self.max_stale_days)
        if len(returns) < 2:
            raise DataError(f"tbill {self.tbill}: fewer than two sessions with a rate; check the "
                            "series' date range")
        # Bills are a real product: the accrual is what holding them pays.
        return compound(returns.rename(f"tbill_{self.tbill}"), real_from=FROM_START)
