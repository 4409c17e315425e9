"""A sleeve that chains real products over time: a synthetic where no product existed, then the
listed product from the day it (or its current terms) began.

    short_vol:
      chain:
        - {inverse_of: VIXY, leverage: -1.0, collateral: DTB3, reference: {ticker: SVXY, until: 2018-02-27}}
        - {ticker: SVXY, since: 2018-02-28}   # -0.5x from the close of 2018-02-27

Link k (k >= 1) takes over at its start: the last close before its `since` when its ticker has one
(that close is the new product's base: SVXY's -0.5x exposure began after the close of 2018-02-27),
else its first date. Returns are link k-1's through that session and link k's afterwards, so from
the second session of a link the sleeve's returns are that product's own. The path is chained
forward (each level from earlier data only, so cutting the data never changes a past price).

When link k-1 ends before link k starts (terminated: -1x VIXY died on 2018-02-05 as XIV did; or
its data ends) the holder was cashed out: the price stays flat and the sleeve cannot be held from
that close until link k's first own date (a `Gap`). A link's own closing session (a ticker's
`until:`) cannot be bought either, as for any closed sleeve. `real_from` is the first session
from which every remaining link is a real product; the verdict reports that window on its own.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from feeds.errors import DataError
from feeds.instruments.base import FROM_START, Gap, InstrumentModel, InstrumentSource, PricePath
from feeds.instruments.kinds import ProductField
from feeds.instruments.ticker import TickerInstrument


def _anchor(link: InstrumentModel, source: InstrumentSource, first: pd.Timestamp
            ) -> tuple[pd.Timestamp, float] | None:
    """A ticker link's last close before its `since:` (the base of its first return)."""
    if not isinstance(link, TickerInstrument) or link.since is None:
        return None
    before = source.prices(link.ticker).dropna().loc[: first - pd.Timedelta(days=1)]
    return (before.index[-1], float(before.iloc[-1])) if len(before) else None


class ChainInstrument(InstrumentModel):
    """`{chain: [link, link, ...]}`: products held one after the other (module docstring)."""

    prices_on_run_sessions: ClassVar[bool] = False

    chain: list[ProductField] = Field(min_length=2, description="products in time order")

    @model_validator(mode="after")
    def _exchange_links(self) -> "ChainInstrument":
        for position, link in enumerate(self.chain):
            if link.prices_on_run_sessions:
                raise ValueError(f"chain link {position} ({type(link).__name__}) is priced from "
                                 "rates on the run's sessions; chain exchange products only")
        for position, (before, link) in enumerate(zip(self.chain, self.chain[1:]), start=1):
            since = getattr(link, "since", None)
            ends, starts = getattr(before, "until", None), getattr(before, "since", None)
            for bound, what in ((ends, "until"), (starts, "since")):
                if since is not None and bound is not None and since <= bound:
                    raise ValueError(f"chain link {position} (since {since}) does not start "
                                     f"after link {position - 1}'s {what} {bound}; list the "
                                     "links in time order, each since: after the previous until:")
        return self

    @property
    def price_public_sessions_later(self) -> int:  # type: ignore[override]
        """The latest any link publishes (a rule reads the whole chain the same way)."""
        return max(link.price_public_sessions_later for link in self.chain)

    def tickers(self) -> list[str]:
        return list(dict.fromkeys(t for link in self.chain for t in link.tickers()))

    def series_ids(self) -> list[str]:
        return list(dict.fromkeys(s for link in self.chain for s in link.series_ids()))

    def _links(self, source: InstrumentSource) -> list[PricePath]:
        """Each link's path; a later link without data yet at a cutoff ends the chain there."""
        paths = []
        for position, link in enumerate(self.chain):
            try:
                paths.append(link.build(source))
            except DataError as exc:
                if position and getattr(source, "cutoff", None) is not None:
                    break  # not listed yet at the panel's cutoff: the chain so far
                raise DataError(f"chain link {position}: {exc}") from None
        return paths

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        paths = self._links(source)
        levels = paths[0].prices.copy()
        gaps: list[Gap] = []
        closed_on, reason = paths[0].closed_on, paths[0].closed_reason
        first_returns: list[pd.Timestamp | None] = [None]
        for position, path in enumerate(paths[1:], start=1):
            own = path.prices
            anchor = _anchor(self.chain[position], source, own.index[0])
            start, base = anchor if anchor else (own.index[0], float(own.iloc[0]))
            if closed_on is not None and closed_on <= start:
                gaps.append(Gap(closed_on, own.index[0], reason))
            elif closed_on is None and levels.index[-1] < start:
                gaps.append(Gap(levels.index[-1] + pd.Timedelta(days=1), own.index[0],
                                f"no data of chain link {position - 1} after "
                                f"{levels.index[-1].date()}"))
            if start < levels.index[0]:
                raise DataError(f"chain link {position} takes over on {start.date()}, before "
                                f"link {position - 1}'s first price ({levels.index[0].date()}); "
                                "list the links in time order (give the later one a since:)")
            level = float(levels.loc[:start].iloc[-1])
            tail = own.loc[own.index > start]
            joined = pd.Series(np.r_[level, level * tail.to_numpy(dtype=float) / base],
                               index=pd.DatetimeIndex([start]).append(tail.index))
            levels = pd.concat([levels.loc[levels.index < start], joined])
            closed_on, reason = path.closed_on, path.closed_reason
            first_returns.append(tail.index[0] if len(tail) else None)
        levels.name = f"chain_{'_'.join(self.tickers())}"
        tracking = {f"link {k}": p.tracking for k, p in enumerate(paths) if p.tracking}
        return PricePath(levels, closed_on, reason, tuple(gaps),
                         _real_from(paths, first_returns), tracking or None)


def _real_from(paths: list[PricePath], first_returns: list[pd.Timestamp | None]
               ) -> pd.Timestamp | None:
    """First return date of the earliest link after which every link is a real product."""
    j = len(paths)
    while j > 0 and paths[j - 1].real_from is FROM_START:
        j -= 1
    if j == len(paths):
        return None
    return FROM_START if j == 0 else first_returns[j]
