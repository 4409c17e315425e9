"""What every instrument shares: the data it reads, the path it returns, how returns compound.

An instrument turns raw data (adjusted closes, FRED series) into one daily price path for a sleeve.
Two kinds of calendar exist. *Exchange* instruments (tickers, and synthetics built from tickers)
price on their own trading dates, and those dates make up the run's sessions. *Accrual* instruments
(built from rates: T-bill cash, the yield steepener) have no exchange of their own; the panel prices
them on the sessions the exchange sleeves define, so a bond-market-only day (Good Friday in some
years) never becomes a session and a stock-market-only day (Columbus Day) earns carry, not a move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np
import pandas as pd

from feeds.catalog import SeriesSpec, spec_for
from feeds.errors import InputError
from feeds.schema import ConfigModel

TRADING_DAYS = 252

#: Value of a synthetic path on its first session (only returns matter).
SYNTHETIC_BASE = 100.0
TICKER_PATTERN = r"^[A-Za-z0-9.^=_-]+$"
SERIES_PATTERN = r"^[A-Za-z0-9_]+$"


class InstrumentSource(Protocol):
    """What an instrument reads: adjusted closes and stamped observations (native units)."""

    def prices(self, ticker: str) -> pd.Series: ...
    def observations(self, spec: SeriesSpec) -> pd.Series: ...


#: `PricePath.real_from` of a path made of real, listed products from its first date.
FROM_START = pd.Timestamp.min


@dataclass(frozen=True)
class Gap:
    """Sessions [start, end) inside a path's life on which the sleeve cannot be held (a chained
    product died before its successor listed); the price stays flat there."""

    start: pd.Timestamp
    end: pd.Timestamp
    reason: str


@dataclass(frozen=True)
class PricePath:
    """A sleeve's price path on the instrument's own dates, from inception, without NaN.

    `closed_on` is set when the path ends by design rather than because the data ends: the product
    was terminated (holders cashed out at the last price) or the config cut it with `until:`. From
    that date on the sleeve cannot be held; the panel keeps its price flat there, marks it
    non-tradable, and does not let it end the run's calendar. `gaps` are such closures that end
    (a chain's next product takes over). `real_from` is the first date from which the path is
    made of real products only (`FROM_START`: always; None: synthetic throughout), so a verdict
    can report its result on the real-product window. `tracking` compares a synthetic with the
    real product it stands in for, where both exist (reported in the run manifest).
    """

    prices: pd.Series
    closed_on: pd.Timestamp | None = None
    closed_reason: str = ""
    gaps: tuple[Gap, ...] = ()
    real_from: pd.Timestamp | None = FROM_START
    tracking: dict | None = None

    def tradable_on(self, sessions: pd.DatetimeIndex) -> np.ndarray:
        """True from the first price until (excluding) the closing session, outside the gaps."""
        if not len(self.prices):
            return np.zeros(len(sessions), bool)
        tradable = np.asarray(sessions >= self.prices.index[0])
        if self.closed_on is not None:
            tradable &= np.asarray(sessions < self.closed_on)
        for gap in self.gaps:
            tradable &= ~np.asarray((sessions >= gap.start) & (sessions < gap.end))
        return tradable

    def closures(self) -> list[dict[str, str]]:
        """Every closure by design, for the manifest: gaps, then the final one."""
        spans = [{"date": str(g.start.date()), "until": str(g.end.date()), "reason": g.reason}
                 for g in self.gaps]
        if self.closed_on is not None:
            spans.append({"date": str(self.closed_on.date()), "reason": self.closed_reason})
        return spans


class InstrumentModel(ConfigModel):
    """Base of every instrument config: frozen, unknown keys rejected, reports the data it needs."""

    #: True when the path is priced on the run's sessions (accrual instruments built from rates).
    prices_on_run_sessions: ClassVar[bool] = False
    #: Sessions after its close at which a session's price is public: 0 for exchange closes; 1 when
    #: the price is built from data published later (H.15 yields: 2).
    price_public_sessions_later: ClassVar[int] = 0

    def tickers(self) -> list[str]:
        """Tickers whose adjusted closes this instrument reads (for `liqbt fetch CONFIG`)."""
        return []

    def series_ids(self) -> list[str]:
        """Catalog series this instrument reads (for `liqbt fetch CONFIG`)."""
        return []

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        """The price path. Accrual instruments price on `sessions` (their own dates when None)."""
        raise NotImplementedError



def compound(returns: pd.Series, base: float = SYNTHETIC_BASE,
             terminate_at_loss: float | None = None, real_from: pd.Timestamp | None = None
             ) -> PricePath:
    """Price path from per-session simple returns; `returns.iloc[0]` is ignored (inception, `base`).

    The price is floored at 0 (a loss beyond 100% wipes the holder out, no negative prices). With
    `terminate_at_loss`, the first session whose return is <= -terminate_at_loss ends the path:
    holders are cashed out at that close's value and `closed_on` is that date. A path that reaches
    0 is closed there too. `real_from` as in `PricePath` (default None: a synthetic).
    """
    growth = (1.0 + returns.to_numpy(dtype=float)).clip(min=0.0)
    growth[0] = 1.0
    closes = np.flatnonzero(growth == 0.0)
    if terminate_at_loss is not None:
        closes = np.union1d(closes, np.flatnonzero(returns.to_numpy() <= -terminate_at_loss))
        closes = closes[closes > 0]
    end = int(closes[0]) if len(closes) else len(growth) - 1
    values = base * np.cumprod(growth[: end + 1])
    prices = pd.Series(values, index=returns.index[: end + 1], name=returns.name)
    if not len(closes):
        return PricePath(prices, real_from=real_from)
    loss = 1.0 - growth[end]
    reason = f"terminated after losing {loss:.1%} in one session"
    return PricePath(prices, returns.index[end], reason, real_from=real_from)


def value_in_force(observations: pd.Series, sessions: pd.DatetimeIndex, max_stale_days: int,
                   what: str, extend_days: int = 0) -> pd.Series:
    """Latest observation stamped on or before each session, over [first stamp, last stamp +
    `extend_days` calendar days].

    Sessions without an observation of their own (a bond-market holiday) carry the last one: the
    market did not move, so nothing is invented. A carried value older than `max_stale_days` means a
    hole in the data, which is an error rather than a silent flat stretch. `extend_days` lets a
    rate that is published with a lag (H.15: the next afternoon) carry its last known value onto
    the sessions after its last stamp, so the lag never cuts the run short.
    """
    from feeds.errors import DataError

    observations = observations.dropna().sort_index()
    if observations.empty:
        raise DataError(f"{what} has no observations: add the series to the snapshot or fetch it")
    last = observations.index[-1] + pd.Timedelta(days=extend_days)
    inside = sessions[(sessions >= observations.index[0]) & (sessions <= last)]
    position = observations.index.searchsorted(inside, side="right") - 1
    values = pd.Series(observations.to_numpy(dtype=float)[position], index=inside)
    age = (inside - observations.index[position]).days
    if len(age) and (stale := np.flatnonzero(age > max_stale_days)).size:
        at = inside[stale[0]]
        raise DataError(f"{what} has no observation for {int(age[stale[0]])} days before "
                        f"{at.date()}: fill the hole in the data (the instrument cannot price it)")
    return values


def percent_series_problem(series_id: str) -> None:
    """Raise ValueError (a config problem) unless `series_id` is a catalog rate in percent."""
    try:
        spec = spec_for(series_id)
    except InputError as exc:
        raise ValueError(str(exc)) from None
    if spec.units != "percent":
        raise ValueError(f"series {series_id} is in {spec.units}, not a yield in percent")
