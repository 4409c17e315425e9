"""Instruments: how a sleeve becomes a daily, tradable price path.

A sleeve (gold, small_caps, short_vol, steepener, cash, ...) names an economic exposure; its
instrument says which price path delivers it. The config's `universe:` maps sleeve -> instrument:

    gold: GLD                                   # shorthand for {ticker: GLD}
    short_vol_2018: {ticker: SVXY, since: 2018-02-28}
    short_vol: {inverse_of: VIXY, expense_bps: 95}
    steepener: {steepener: etf, front: SHY, back: IEF}
    steepener_2s10s: {steepener: yields, front: DGS2, back: DGS10}
    cash: {tbill: DTB3}

Every path is NaN before its instrument existed and is never back-filled. Each instrument reports
the data it reads (`tickers()`, `series_ids()`) so `liqbt fetch CONFIG` can get exactly that.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, Discriminator, Tag

from feeds.instruments.base import InstrumentModel, InstrumentSource, PricePath
from feeds.instruments.breaks import KNOWN_BREAKS, KnownBreak, break_problem
from feeds.instruments.cash import TBillInstrument, money_market_yield
from feeds.instruments.inverse import InverseInstrument
from feeds.instruments.steepeners import (
    EtfSteepenerInstrument, YieldSteepenerInstrument, par_modified_duration,
)
from feeds.instruments.ticker import TickerInstrument

#: Union tag (the class name, as pydantic reports it in error locations) -> instrument class.
INSTRUMENT_KINDS: dict[str, type[InstrumentModel]] = {
    cls.__name__: cls for cls in (TickerInstrument, InverseInstrument, EtfSteepenerInstrument,
                                  YieldSteepenerInstrument, TBillInstrument)
}
_STEEPENERS = {"etf": "EtfSteepenerInstrument", "yields": "YieldSteepenerInstrument"}
INSTRUMENT_FORMS = ("a ticker (GLD or {ticker: GLD, since: ..., until: ...}), {inverse_of: VIXY}, "
                    "{steepener: etf, front: SHY, back: IEF}, {steepener: yields, front: DGS2, "
                    "back: DGS10} or {tbill: DTB3}")


def instrument_kind(value: Any) -> str | None:
    """Which instrument a config mapping describes, from its identifying key."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    if "ticker" in value:
        return "TickerInstrument"
    if "inverse_of" in value:
        return "InverseInstrument"
    if "steepener" in value:
        return _STEEPENERS.get(str(value["steepener"]))
    if "tbill" in value:
        return "TBillInstrument"
    return None


def coerce_instrument(value: object) -> object:
    """Let a config say `gold: GLD` as shorthand for `gold: {ticker: GLD}`."""
    return {"ticker": value} if isinstance(value, str) else value


Instrument = Annotated[
    Union[tuple(Annotated[cls, Tag(name)] for name, cls in INSTRUMENT_KINDS.items())],
    Discriminator(instrument_kind, custom_error_type="instrument_kind",
                  custom_error_message=f"not an instrument; use {INSTRUMENT_FORMS}"),
]
#: The type of one `universe:` entry in a config (string shorthand allowed).
InstrumentField = Annotated[Instrument, BeforeValidator(coerce_instrument)]

__all__ = [
    "INSTRUMENT_FORMS", "INSTRUMENT_KINDS", "KNOWN_BREAKS", "EtfSteepenerInstrument", "Instrument",
    "InstrumentField", "InstrumentModel", "InstrumentSource", "InverseInstrument", "KnownBreak",
    "PricePath", "TBillInstrument", "TickerInstrument", "YieldSteepenerInstrument", "break_problem",
    "coerce_instrument", "instrument_kind", "money_market_yield", "par_modified_duration",
]
