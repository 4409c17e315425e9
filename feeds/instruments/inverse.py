"""A daily-reset inverse of a ticker: the constant-leverage short-vol sleeve no listed ETP still is.

SVXY changed its multiple in 2018 and XIV was terminated, so neither listed history is one honest
strategy. `{inverse_of: VIXY, expense_bps: 95, underlying_expense_bps: 85, collateral: DTB3}`
rebuilds -1x daily of the S&P 500 VIX Short-Term Futures Index from VIXY's total returns (VIXY
tracks it at 1x, net of its 0.85%/yr fee), with SVXY's 0.95%/yr expense ratio, the interest the
fund earns on its T-bill collateral and XIV's termination rule. `reference: {ticker: SVXY, until:
2018-02-27}` compares it with the listed product of the same terms where both exist (per-year
tracking in the run manifest); `drag_bps` is the calibration that comparison suggests. Chain it
with the real product where that exists: `feeds.instruments.chain`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import pandas as pd
from pydantic import Field, model_validator

from feeds.errors import DataError
from feeds.instruments.base import (
    SERIES_PATTERN, TICKER_PATTERN, TRADING_DAYS, InstrumentModel, InstrumentSource, PricePath,
    compound, percent_series_problem,
)
from feeds.instruments.breaks import break_problem
from feeds.instruments.cash import bill_accrual
from feeds.instruments.settlement import with_settlement_moves
from feeds.instruments.ticker import TickerInstrument
from feeds.instruments.tracking import tracking_report



class InverseInstrument(InstrumentModel):
    """Daily-reset `leverage` x (default -1x) the underlying's daily total return, less expenses.

    Per session t: r_t = leverage * (r_underlying,t + underlying_expense_bps / 1e4 / 252)
    - (expense_bps + drag_bps) / 1e4 / 252 + collateral interest. Adding the underlying's own fee
    back recovers its index's return (inverting a fund's net return would otherwise credit the
    short with the fund's fee). Collateral (`collateral: DTB3`): the fund holds its whole net
    assets in bills, so it earns the bill rate on 1x NAV whatever the leverage (see
    `cash.bill_accrual`; the path ends where no rate is known). The price is floored at 0. Termination (XIV-like): the first session on which the synthetic loses
    at least `terminate_at_loss` (default 80%: value <= 20% of the prior close) ends it; holders
    are cashed out at that close's value, and from that session on the sleeve is flat and
    non-tradable: it never comes back to life, and it does not end the run.

    Assumptions to know: the loss is measured close to close (the real ETNs used an intraday
    indicative value, so they could die on a day whose close-to-close loss was smaller). The
    underlying's 16:00 ETF close can miss the 16:15 futures settlement: on 2018-02-05 VIXY's close
    rose 34% while its index rose ~96%. With `settlement_moves` (default) the documented index move
    is booked on such days (see `settlement.py`), so -1x VIXY is terminated on 2018-02-05 as XIV
    was. The ETP's own rebalancing and roll slippage are not modelled: measured on the snapshot
    (with underlying_expense_bps: 85), -1x VIXY returned more than SVXY in every full year
    2012-2017 (2015: -10.5% vs -17.5%, 2016: +98.7% vs +80.3%; daily correlation 0.997), so the
    synthetic flatters short vol by several percent a year. `reference` measures that against
    the listed product per year (`PricePath.tracking`, in the manifest), and `drag_bps` charges
    the measured gap (a constant stated in the config, not fitted inside the run).
    """

    inverse_of: Annotated[str, Field(min_length=1, pattern=TICKER_PATTERN,
                                     description="the ticker whose daily return is inverted")]
    leverage: float = Field(-1.0, ge=-3.0, le=-0.1, description="daily multiple, e.g. -1 or -0.5")
    expense_bps: float = Field(95.0, ge=0.0, le=2000.0, description="annual expense, bp per year")
    underlying_expense_bps: float = Field(0.0, ge=0.0, le=2000.0,
                                          description="the underlying fund's own fee, added back")
    settlement_moves: bool = Field(True, description="book documented index moves on days the "
                                                     "underlying's close missed its settlement")
    terminate_at_loss: float = Field(0.8, gt=0.0, le=1.0,
                                     description="one-session loss that terminates the product")
    collateral: str | None = Field(None, pattern=SERIES_PATTERN, description="bill rate (discount "
                                   "basis, e.g. DTB3) earned on the fund's collateral")
    drag_bps: float = Field(0.0, ge=0.0, le=5000.0, description="annual drag of the real product "
                            "against its index (roll, rebalancing), from the reference")
    reference: TickerInstrument | None = Field(None, description="the listed product with the "
                                               "same terms, compared where both exist")

    @model_validator(mode="after")
    def _no_spliced_underlying(self) -> "InverseInstrument":
        if (problem := break_problem(self.inverse_of, field="inverse_of")) is not None:
            raise ValueError(problem)
        if self.collateral is not None:
            percent_series_problem(self.collateral)
        return self

    @property
    def price_public_sessions_later(self) -> int:  # type: ignore[override]
        """1 with collateral: its accrual into k uses DTB3 of k-1, published after k's close."""
        return 1 if self.collateral is not None else 0

    def tickers(self) -> list[str]:
        return [self.inverse_of] + ([self.reference.ticker] if self.reference else [])

    def series_ids(self) -> list[str]:
        return [self.collateral] if self.collateral else []

    def build(self, source: InstrumentSource, sessions: pd.DatetimeIndex | None = None
              ) -> PricePath:
        underlying = source.prices(self.inverse_of).dropna()
        if len(underlying) < 2:
            raise DataError(f"inverse_of {self.inverse_of}: fewer than two prices; fetch its "
                            "history")
        underlying_returns = underlying.pct_change()
        if self.settlement_moves:
            underlying_returns = with_settlement_moves(self.inverse_of, underlying_returns)
        index_returns = underlying_returns + self.underlying_expense_bps / 1e4 / TRADING_DAYS
        returns = (self.leverage * index_returns
                   - (self.expense_bps + self.drag_bps) / 1e4 / TRADING_DAYS)
        if self.collateral is not None:
            interest = bill_accrual(source, self.collateral, underlying.index)
            returns = (returns + interest).loc[interest.index[0]:interest.index[-1]]
            if len(returns) < 2:
                raise DataError(f"inverse_of {self.inverse_of}: the collateral rate "
                                f"{self.collateral} does not cover its dates")
        returns.name = f"inverse_of_{self.inverse_of}"
        path = compound(returns, terminate_at_loss=self.terminate_at_loss)
        if self.reference is None:
            return path
        try:
            real = self.reference.build(source).prices
        except DataError as exc:
            if getattr(source, "cutoff", None) is not None:  # not listed yet at a cutoff
                return path
            raise DataError(f"inverse_of {self.inverse_of}: its reference: {exc}") from None
        report = tracking_report(path.prices, real, self.reference.ticker)
        return replace(path, tracking=report)
