"""2s10s curve steepeners: long the front of the curve, short the back, sized duration-neutral.

A steepener pays when the curve steepens (back yield minus front yield rises) and is hedged against
parallel moves. Two versions, each with its assumptions stated:

- `{steepener: etf}`: long SHY / short IEF from ETF total returns (tradable, but durations are
  constants and the short's costs are simplified);
- `{steepener: yields}`: a DV01-neutral 2s10s position priced from FRED constant-maturity yields
  (DGS2/DGS10). Constant-maturity yields are not tradable; this is the textbook P&L of par bonds
  rolled daily, useful as a cleaner measure of the curve trade itself.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from feeds.catalog import spec_for
from feeds.errors import DataError
from feeds.instruments.base import (
    FROM_START, SERIES_PATTERN, TICKER_PATTERN, TRADING_DAYS, InstrumentModel, InstrumentSource,
    PricePath, compound, percent_series_problem, value_in_force,
)
from feeds.instruments.breaks import break_problem
from feeds.instruments.cash import bill_accrual

Ticker = Annotated[str, Field(min_length=1, pattern=TICKER_PATTERN)]
SeriesId = Annotated[str, Field(min_length=1, pattern=SERIES_PATTERN)]


class EtfSteepenerInstrument(InstrumentModel):
    """Duration-neutral long `front` / short `back` ETF, rebalanced daily.

    Per session: r = r_front - h * r_back - h * borrow_bps / 1e4 / 252, with h = front_duration /
    back_duration and r_* the ETFs' total returns (adjusted closes, so the short pays the back ETF's
    distributions). Per unit of capital the position is long 1 of SHY and short h (~0.25) of IEF.

    Duration assumptions (research NOTES.md (f)): SHY (1-3y Treasuries) about 1.9 years and IEF
    (7-10y) about 7.5 years, held constant; real effective durations drift with yields and index
    rolls, so h is only approximately neutral (use `{steepener: yields}` for a yield-based hedge).

    Short proceeds: by default they earn nothing. With `short_rebate: DTB3` they earn the bill
    rate less `rebate_spread_bps` (the broker's cut), i.e. + h * (y - spread) * days / 360 per
    session, y the money-market yield of the bill rate in force at the previous date (see
    `cash.bill_accrual`). Unless `borrow_bps` is set, borrowing the ETF is free.
    """

    steepener: Literal["etf"]
    front: Ticker = Field("SHY", description="short-duration ETF held long")
    back: Ticker = Field("IEF", description="long-duration ETF sold short")
    front_duration: float = Field(1.9, gt=0.0, le=40.0, description="years")
    back_duration: float = Field(7.5, gt=0.0, le=40.0, description="years")
    borrow_bps: float = Field(0.0, ge=0.0, le=2000.0, description="annual borrow fee on the short")
    short_rebate: str | None = Field(None, pattern=SERIES_PATTERN, description="bill rate "
                                     "(discount basis, e.g. DTB3) the short's proceeds earn")
    rebate_spread_bps: float = Field(0.0, ge=0.0, le=2000.0, description="annual spread kept by "
                                     "the broker on the short rebate")

    @model_validator(mode="after")
    def _sane(self) -> "EtfSteepenerInstrument":
        if self.front_duration >= self.back_duration:
            raise ValueError(f"front_duration {self.front_duration} must be below back_duration "
                             f"{self.back_duration}: a steepener is long the short end")
        for field, ticker in (("front", self.front), ("back", self.back)):
            if (problem := break_problem(ticker, field=field)) is not None:
                raise ValueError(problem)
        if self.short_rebate is not None:
            percent_series_problem(self.short_rebate)
        return self

    @property
    def hedge_ratio(self) -> float:
        """Units of the back ETF sold per unit of the front ETF held (D_front / D_back)."""
        return self.front_duration / self.back_duration

    @property
    def price_public_sessions_later(self) -> int:  # type: ignore[override]
        """1 with a short rebate: its accrual into k uses the bill rate of k-1, published after
        k's close."""
        return 1 if self.short_rebate is not None else 0

    def tickers(self) -> list[str]:
        return [self.front, self.back]

    def series_ids(self) -> list[str]:
        return [self.short_rebate] if self.short_rebate else []

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        legs = pd.concat({"front": source.prices(self.front), "back": source.prices(self.back)},
                         axis=1).dropna()
        if len(legs) < 2:
            raise DataError(f"steepener {self.front}/{self.back}: the two ETFs share fewer than "
                            "two dates; fetch both histories")
        h = self.hedge_ratio
        leg_returns = legs.pct_change()
        returns = (leg_returns["front"] - h * leg_returns["back"]
                   - h * self.borrow_bps / 1e4 / TRADING_DAYS)
        if self.short_rebate is not None:
            accrued = bill_accrual(source, self.short_rebate, legs.index)
            days = legs.index.to_series().diff().dt.days.reindex(accrued.index)
            rebate = accrued - self.rebate_spread_bps / 1e4 * days / 360.0
            returns = (returns + h * rebate).loc[accrued.index[0]:accrued.index[-1]]
        returns.name = f"steepener_{self.front}_{self.back}"
        return compound(returns, real_from=FROM_START)


def par_modified_duration(yield_fraction: np.ndarray | pd.Series, years: float
                          ) -> np.ndarray:
    """Modified duration of a par bond with semiannual coupons: (1 - (1 + y/2)^(-2T)) / y.

    `yield_fraction` is a decimal yield (0.04 for 4%); at y -> 0 the limit is T.
    """
    y = np.asarray(yield_fraction, dtype=float)
    small = np.abs(y) < 1e-9
    safe = np.where(small, 1.0, y)
    duration = (1.0 - (1.0 + safe / 2.0) ** (-2.0 * years)) / safe
    return np.where(small, years, duration)


class YieldSteepenerInstrument(InstrumentModel):
    """DV01-neutral 2s10s steepener from constant-maturity yields (FRED DGS2/DGS10, percent).

    Per unit of capital: long 1 of a `front_years` par bond, short h = D_front / D_back of a
    `back_years` par bond, so a parallel move nets to zero. From session k-1 to k:

        r_k = D_front,k-1 * [(y_back,k - y_back,k-1) - (y_front,k - y_front,k-1)]
              + (y_front,k-1 - h_k-1 * y_back,k-1) * days_k / 365

    i.e. the steepening times the front DV01 plus the coupon carry of the two legs (act/365 over
    calendar days, since coupons accrue on weekends). Durations are modified durations of par bonds
    at the previous session's yields (re-hedged daily), or the `front_duration`/`back_duration`
    constants when given. Ignored: convexity, roll-down, the financing of the long and the rebate on
    the short's proceeds, and transaction costs of the daily re-hedge.

    Timing: H.15 yields of trade date t are published the next business day, but they are the market's
    closing levels of t, so the P&L booked at the close of t uses the yields of t — that is the
    realised P&L of holding the position through t; no decision reads it before it is public
    (signals go through the release rules). Sessions without a yield of their own (a bond-market
    holiday) carry the last yields: carry accrues, no move is invented, and the next observed day's
    change is booked once. The path starts on the first session both yields exist and ends on the
    last session on or before both series' last observation.
    """

    prices_on_run_sessions: ClassVar[bool] = True
    price_public_sessions_later: ClassVar[int] = 2  # DGS2/DGS10 of t: H.15 of t+1, ~16:15 ET

    steepener: Literal["yields"]
    front: SeriesId = Field("DGS2", description="catalog id of the front yield, percent")
    back: SeriesId = Field("DGS10", description="catalog id of the back yield, percent")
    front_years: float = Field(2.0, gt=0.0, le=30.0)
    back_years: float = Field(10.0, gt=0.0, le=30.0)
    front_duration: float | None = Field(None, gt=0.0, le=30.0,
                                         description="constant; default: par duration at yield")
    back_duration: float | None = Field(None, gt=0.0, le=30.0,
                                        description="constant; default: par duration at yield")
    max_stale_days: int = Field(10, ge=1, le=31, description="longest yield gap carried over")

    @model_validator(mode="after")
    def _sane(self) -> "YieldSteepenerInstrument":
        if self.front_years >= self.back_years:
            raise ValueError(f"front_years {self.front_years} must be below back_years "
                             f"{self.back_years}: a steepener is long the short end")
        for series_id in (self.front, self.back):
            percent_series_problem(series_id)
        return self

    def series_ids(self) -> list[str]:
        return [self.front, self.back]

    def durations(self, front_yield: pd.Series, back_yield: pd.Series
                  ) -> tuple[np.ndarray, np.ndarray]:
        """Modified durations (years) of the two legs at decimal yields."""
        front = (np.full(len(front_yield), self.front_duration) if self.front_duration
                 else par_modified_duration(front_yield, self.front_years))
        back = (np.full(len(back_yield), self.back_duration) if self.back_duration
                else par_modified_duration(back_yield, self.back_years))
        return front, back

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        raw = {leg: source.observations(spec_for(series_id)).dropna() / 100.0
               for leg, series_id in (("front", self.front), ("back", self.back))}
        if sessions is None:
            sessions = raw["front"].index.intersection(raw["back"].index)
        yields = pd.concat(
            {leg: value_in_force(values, sessions, self.max_stale_days, f"yield series {series_id}")
             for (leg, values), series_id in zip(raw.items(), (self.front, self.back))},
            axis=1).dropna()
        if len(yields) < 2:
            raise DataError(f"yield steepener {self.front}/{self.back}: fewer than two sessions "
                            "with both yields; check the series' date ranges")
        front_d, back_d = self.durations(yields["front"], yields["back"])
        hedge = front_d / back_d
        days = yields.index.to_series().diff().dt.days.to_numpy(dtype=float)
        steepening = (yields["back"] - yields["front"]).diff().to_numpy()
        carry = (yields["front"].to_numpy() - hedge * yields["back"].to_numpy())
        returns = np.full(len(yields), np.nan)
        returns[1:] = front_d[:-1] * steepening[1:] + carry[:-1] * days[1:] / 365.0
        path = pd.Series(returns, index=yields.index,
                         name=f"steepener_{self.front}_{self.back}")
        return compound(path)
