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

from feeds.instruments.base import (
    FROM_START, Gap, InstrumentModel, InstrumentSource, PricePath,
)
from feeds.instruments.breaks import KNOWN_BREAKS, KnownBreak, break_problem
from feeds.instruments.cash import TBillInstrument, bill_accrual, money_market_yield
from feeds.instruments.chain import ChainInstrument
from feeds.instruments.inverse import InverseInstrument
from feeds.instruments.kinds import (
    INSTRUMENT_FORMS, PRODUCT_KINDS, coerce_instrument, instrument_kind, instrument_union,
)
from feeds.instruments.steepeners import (
    EtfSteepenerInstrument, YieldSteepenerInstrument, par_modified_duration,
)
from feeds.instruments.ticker import TickerInstrument

#: Union tag (the class name, as pydantic reports it in error locations) -> instrument class.
INSTRUMENT_KINDS: dict[str, type[InstrumentModel]] = {**PRODUCT_KINDS,
                                                      "ChainInstrument": ChainInstrument}
#: The type of one `universe:` entry in a config (string shorthand allowed).
InstrumentField = instrument_union(INSTRUMENT_KINDS)
Instrument = InstrumentModel

__all__ = [
    "FROM_START", "INSTRUMENT_FORMS", "INSTRUMENT_KINDS", "KNOWN_BREAKS", "ChainInstrument",
    "EtfSteepenerInstrument", "Gap", "Instrument", "InstrumentField", "InstrumentModel",
    "InstrumentSource", "InverseInstrument", "KnownBreak", "PricePath", "TBillInstrument",
    "TickerInstrument", "YieldSteepenerInstrument", "bill_accrual", "break_problem",
    "coerce_instrument", "instrument_kind", "money_market_yield", "par_modified_duration",
]
