"""A listed ticker held through its dividend- and split-adjusted close (its total-return path)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pandas as pd
from pydantic import Field, model_validator

from feeds.errors import DataError
from feeds.instruments.base import TICKER_PATTERN, InstrumentModel, InstrumentSource, PricePath
from feeds.instruments.breaks import break_problem


class TickerInstrument(InstrumentModel):
    """`{ticker: GLD}` (or just `GLD`), optionally restricted to part of its history.

    `since`: use closes from this date on (the sleeve does not exist before: NaN, not tradable).
    `until`: use closes up to this date; if the ticker trades on afterwards, the sleeve is closed at
    its last close on or before `until` (flat and non-tradable from then on, and it does not end the
    run). A ticker with a known break (SVXY, UVXY on 2018-02-27) must pick one side of it.
    """

    ticker: Annotated[str, Field(min_length=1, pattern=TICKER_PATTERN)]
    since: date | None = Field(None, description="first date of the ticker's history to use")
    until: date | None = Field(None, description="last date of the ticker's history to use")

    @model_validator(mode="after")
    def _consistent(self) -> "TickerInstrument":
        if self.since and self.until and self.until <= self.since:
            raise ValueError(f"until {self.until} is not after since {self.since}")
        if (problem := break_problem(self.ticker, self.since, self.until)) is not None:
            raise ValueError(problem)
        return self

    def tickers(self) -> list[str]:
        return [self.ticker]

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        history = source.prices(self.ticker).dropna()
        prices = history
        if self.since is not None:
            prices = prices.loc[pd.Timestamp(self.since):]
        if self.until is not None:
            prices = prices.loc[: pd.Timestamp(self.until)]
        if prices.empty:
            raise DataError(f"ticker {self.ticker} has no prices between since {self.since} and "
                            f"until {self.until} (its data covers {_span(history)}): widen the "
                            "range")
        # Closed at `until` once the data reach it (known from the config, not from later rows:
        # a panel cut at `until` closes it too); data ending earlier just end.
        if self.until is not None and (history.index[-1] > prices.index[-1]
                                       or prices.index[-1] >= pd.Timestamp(self.until)):
            return PricePath(prices, prices.index[-1], f"history cut at until: {self.until}")
        return PricePath(prices)


def _span(prices: pd.Series) -> str:
    return f"{prices.index[0].date()}..{prices.index[-1].date()}" if len(prices) else "no dates"
