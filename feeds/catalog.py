"""The series catalog: what each series is, what its date stamp means, when it is published, and
how to turn its units into USD bn — decided once here so no signal has to remember it.

Facts come from `../shared/research/NOTES.md` (a)-(c) and the snapshot's PROVENANCE.md. Unit traps
worth repeating: WALCL, WRESBAL, WTREGEN, TREAST, WSHOMCB and the Daily Treasury Statement TGA are in
millions; RRPONTSYD, RPONTSYD, SRF usage and SOFR volume are in billions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from feeds.errors import InputError
from feeds.release import (
    CBOE_CLOSE, DTS_NEXT_AFTERNOON, H15_NEXT_AFTERNOON, H41_THURSDAY, IN_ADVANCE, LONDON_MORNING,
    NEXT_MORNING, SAME_DAY_AFTERNOON, TWO_DAY_LAG, WEEKLY_INDEX_LAG, ReleaseRule,
)

Folder = Literal["fred", "other", "prices"]
#: Who serves a series online (see feeds/online/): FRED (fredapi with FRED_API_KEY, else the keyless
#: fredgraph.csv), the NY Fed Markets API, Treasury FiscalData, the OFR's public CSV, Yahoo Finance.
#: None = snapshot only (no live source).
Provider = Literal["fred", "nyfed", "fiscaldata", "ofr", "yahoo"]
Stamp = Literal[
    "wednesday_level", "week_average_ending_wednesday", "trade_date", "set_in_advance",
    "week_ending_friday", "fix_date", "publication_day",
]


@dataclass(frozen=True)
class SeriesSpec:
    """One series: identity, units, stamp meaning and release rule.

    `usd_bn_per_unit` converts an amount to USD bn (None for rates and indices). `zero_when_missing`
    marks operation take-up series where a business day without a row means no take-up. `online`
    names the provider `liqbt fetch` downloads it from (None: snapshot only); `source` says where
    the snapshot copy came from.
    """

    id: str
    title: str
    folder: Folder
    units: str
    frequency: Literal["daily", "weekly"]
    stamp: Stamp
    release: ReleaseRule
    usd_bn_per_unit: float | None = None
    zero_when_missing: bool = False
    source: str = "FRED"
    online: Provider | None = "fred"

    @property
    def is_amount(self) -> bool:
        return self.usd_bn_per_unit is not None


_MILLIONS, _BILLIONS = 1e-3, 1.0


def _fred(id_, title, units, freq, stamp, release, **kw) -> SeriesSpec:
    return SeriesSpec(id_, title, "fred", units, freq, stamp, release, **kw)


_SPECS: tuple[SeriesSpec, ...] = (
    # --- H.4.1 balance sheet (weekly; Thursday 16:30 ET release) ---
    _fred("WALCL", "Fed total assets (Wednesday level)", "USD millions", "weekly",
          "wednesday_level", H41_THURSDAY, usd_bn_per_unit=_MILLIONS),
    _fred("WRESBAL", "Reserve balances with Federal Reserve Banks (week average ending Wednesday)",
          "USD millions", "weekly", "week_average_ending_wednesday", H41_THURSDAY,
          usd_bn_per_unit=_MILLIONS),
    _fred("WTREGEN", "Treasury General Account (week average ending Wednesday)", "USD millions",
          "weekly", "week_average_ending_wednesday", H41_THURSDAY, usd_bn_per_unit=_MILLIONS),
    _fred("TREAST", "Treasury securities held outright (Wednesday level)", "USD millions", "weekly",
          "wednesday_level", H41_THURSDAY, usd_bn_per_unit=_MILLIONS),
    _fred("WSHOMCB", "Mortgage-backed securities held outright (Wednesday level)", "USD millions",
          "weekly", "wednesday_level", H41_THURSDAY, usd_bn_per_unit=_MILLIONS),
    # --- facility take-up (same-day operation results) ---
    _fred("RRPONTSYD", "ON RRP facility take-up", "USD billions", "daily", "trade_date",
          SAME_DAY_AFTERNOON, usd_bn_per_unit=_BILLIONS, zero_when_missing=True),
    _fred("RPONTSYD", "Fed overnight repo, Treasury collateral", "USD billions", "daily",
          "trade_date", SAME_DAY_AFTERNOON, usd_bn_per_unit=_BILLIONS, zero_when_missing=True),
    SeriesSpec("SRF_USAGE", "Standing repo facility accepted amount (all collateral)", "other",
               "USD billions", "daily", "trade_date", SAME_DAY_AFTERNOON,
               usd_bn_per_unit=_BILLIONS, zero_when_missing=True, source="NY Fed Markets API",
               online="nyfed"),
    SeriesSpec("TGA_DTS_CLOSE", "TGA closing balance, Daily Treasury Statement", "other",
               "USD millions", "daily", "trade_date", DTS_NEXT_AFTERNOON,
               usd_bn_per_unit=_MILLIONS, source="Treasury FiscalData", online="fiscaldata"),
    # --- money-market rates (published next morning for the prior business day) ---
    _fred("SOFR", "Secured overnight financing rate", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("SOFR1", "SOFR 1st percentile", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("SOFR25", "SOFR 25th percentile", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("SOFR75", "SOFR 75th percentile", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("SOFR99", "SOFR 99th percentile", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("SOFRVOL", "SOFR volume", "USD billions", "daily", "trade_date", NEXT_MORNING,
          usd_bn_per_unit=_BILLIONS),
    _fred("TGCR", "Tri-party general collateral rate", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("BGCR", "Broad general collateral rate", "percent", "daily", "trade_date", NEXT_MORNING,
          online="nyfed"),
    _fred("EFFR", "Effective federal funds rate", "percent", "daily", "trade_date", NEXT_MORNING),
    _fred("DFF", "Federal funds effective rate (7-day)", "percent", "daily", "trade_date",
          NEXT_MORNING),
    _fred("OBFR", "Overnight bank funding rate", "percent", "daily", "trade_date", NEXT_MORNING),
    # --- administered rates (known in advance) ---
    _fred("IORB", "Interest on reserve balances (from 2021-07-29)", "percent", "daily",
          "set_in_advance", IN_ADVANCE),
    _fred("IOER", "Interest on excess reserves (to 2021-07-28)", "percent", "daily",
          "set_in_advance", IN_ADVANCE),
    _fred("DFEDTARU", "Fed funds target range, upper", "percent", "daily", "set_in_advance",
          IN_ADVANCE),
    _fred("DFEDTARL", "Fed funds target range, lower", "percent", "daily", "set_in_advance",
          IN_ADVANCE),
    _fred("RRPONTSYAWARD", "ON RRP award rate", "percent", "daily", "trade_date", SAME_DAY_AFTERNOON),
    # --- Treasury curve and bills (H.15 daily update, next business day ~16:15 ET) ---
    _fred("DGS2", "2-year Treasury constant maturity", "percent", "daily", "trade_date",
          H15_NEXT_AFTERNOON),
    _fred("DGS10", "10-year Treasury constant maturity", "percent", "daily", "trade_date",
          H15_NEXT_AFTERNOON),
    _fred("DGS3MO", "3-month Treasury constant maturity", "percent", "daily", "trade_date",
          H15_NEXT_AFTERNOON),
    _fred("T10Y2Y", "10-year minus 2-year Treasury", "percent", "daily", "trade_date",
          H15_NEXT_AFTERNOON),
    _fred("DTB3", "3-month T-bill secondary market (discount basis)", "percent", "daily",
          "trade_date", H15_NEXT_AFTERNOON),
    # --- volatility and stress ---
    _fred("VIXCLS", "Cboe VIX close", "index", "daily", "trade_date", CBOE_CLOSE),
    _fred("BAMLH0A0HYM2", "ICE BofA US high yield OAS", "percent", "daily", "trade_date",
          H15_NEXT_AFTERNOON),
    _fred("NFCI", "Chicago Fed national financial conditions index", "index", "weekly",
          "week_ending_friday", WEEKLY_INDEX_LAG),
    _fred("STLFSI4", "St. Louis Fed financial stress index", "index", "weekly",
          "week_ending_friday", WEEKLY_INDEX_LAG),
    SeriesSpec("OFR_FSI", "OFR financial stress index", "other", "index", "daily", "trade_date",
               TWO_DAY_LAG, source="OFR", online="ofr"),
    # FRED dropped the LBMA series in Jan 2022: snapshot only (gold after 2020: GLD, GC_F).
    _fred("GOLDAMGBD228NLBM", "LBMA gold AM fix", "USD per troy ounce", "daily", "fix_date",
          LONDON_MORNING, online=None),
    # --- index levels in the prices folder used as signals (not tradable) ---
    SeriesSpec("VIX", "Cboe VIX index close", "prices", "index", "daily", "trade_date", CBOE_CLOSE,
               source="Cboe/Yahoo", online="yahoo"),
    SeriesSpec("VIX3M", "Cboe 3-month VIX index close", "prices", "index", "daily", "trade_date",
               CBOE_CLOSE, source="Cboe/Yahoo", online="yahoo"),
)

CATALOG: dict[str, SeriesSpec] = {spec.id: spec for spec in _SPECS}



def spec_for(series_id: str) -> SeriesSpec:
    """The catalog entry for `series_id`, or an error that lists what exists."""
    try:
        return CATALOG[series_id]
    except KeyError:
        known = ", ".join(sorted(CATALOG))
        raise InputError(f"unknown series '{series_id}': the catalog has {known}") from None
