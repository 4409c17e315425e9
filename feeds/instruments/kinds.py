"""The config forms of an instrument: which kind a `universe:` entry is, from its identifying key.

The union is built once for the single-product kinds (the links a chain may use) and once more with
the chain itself (`feeds.instruments.Instrument`), so a chain cannot nest another chain.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, Discriminator, Tag

from feeds.instruments.base import InstrumentModel
from feeds.instruments.cash import TBillInstrument
from feeds.instruments.inverse import InverseInstrument
from feeds.instruments.steepeners import EtfSteepenerInstrument, YieldSteepenerInstrument
from feeds.instruments.ticker import TickerInstrument

#: Union tag (the class name, as pydantic reports it in error locations) -> instrument class.
PRODUCT_KINDS: dict[str, type[InstrumentModel]] = {
    cls.__name__: cls for cls in (TickerInstrument, InverseInstrument, EtfSteepenerInstrument,
                                  YieldSteepenerInstrument, TBillInstrument)
}
_STEEPENERS = {"etf": "EtfSteepenerInstrument", "yields": "YieldSteepenerInstrument"}
INSTRUMENT_FORMS = ("a ticker (GLD or {ticker: GLD, since: ..., until: ...}), {inverse_of: VIXY}, "
                    "{steepener: etf, front: SHY, back: IEF}, {steepener: yields, front: DGS2, "
                    "back: DGS10}, {tbill: DTB3} or {chain: [instrument, {ticker: ..., since: "
                    "...}]}")


def instrument_kind(value: Any) -> str | None:
    """Which instrument a config mapping describes, from its identifying key."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, kind in (("ticker", "TickerInstrument"), ("inverse_of", "InverseInstrument"),
                      ("tbill", "TBillInstrument"), ("chain", "ChainInstrument")):
        if key in value:
            return kind
    if "steepener" in value:
        return _STEEPENERS.get(str(value["steepener"]))
    return None


def coerce_instrument(value: object) -> object:
    """Let a config say `gold: GLD` as shorthand for `gold: {ticker: GLD}`."""
    return {"ticker": value} if isinstance(value, str) else value


def instrument_union(kinds: dict[str, type[InstrumentModel]]) -> Any:
    """A config field accepting any of `kinds` (string shorthand allowed), one clear error else."""
    union = Annotated[
        Union[tuple(Annotated[cls, Tag(name)] for name, cls in kinds.items())],
        Discriminator(instrument_kind, custom_error_type="instrument_kind",
                      custom_error_message=f"not an instrument; use {INSTRUMENT_FORMS}"),
    ]
    return Annotated[union, BeforeValidator(coerce_instrument)]


#: A single product (anything but a chain): what a chain's links are.
ProductField = instrument_union(PRODUCT_KINDS)
