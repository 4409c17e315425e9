"""Instruments: how a sleeve becomes a daily, tradable price path.

A sleeve (gold, small_caps, short_vol, ...) names an economic exposure; its instrument says which
price path delivers it. A path is NaN before the instrument existed and is never back-filled.
"""

from __future__ import annotations

from typing import Annotated, Protocol, Union

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field


class PriceSource(Protocol):
    def prices(self, ticker: str) -> pd.Series: ...


class TickerInstrument(BaseModel):
    """A listed ticker held through its dividend- and split-adjusted close."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ticker: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9.^=_-]+$")]

    def price_path(self, source: PriceSource) -> pd.Series:
        return source.prices(self.ticker)

    def tickers(self) -> list[str]:
        return [self.ticker]


Instrument = Union[TickerInstrument]


def coerce_instrument(value: object) -> object:
    """Let a config say `gold: GLD` as shorthand for `gold: {ticker: GLD}`."""
    return {"ticker": value} if isinstance(value, str) else value
