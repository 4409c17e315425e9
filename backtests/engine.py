"""The system of record for P&L: vectorbt's order simulator.

Weights decided at the close of session t are sent as target-percent orders at the close of
session t + lag (lag >= 1), so no trade ever happens at the bar that produced its signal. Fees and
slippage are charged on every order; the group shares one cash account and `call_seq="auto"`
sells before it buys, as a real rebalance would. vectorbt annualises on 365 days unless told
otherwise; liqbt sets 252 everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INIT_CASH = 1_000_000.0


def configure_vectorbt() -> None:
    """252-day years in vectorbt's returns accessor (its default of 365 inflates Sharpe ~20%)."""
    import vectorbt as vbt

    vbt.settings.returns["year_freq"] = "252 days"


@dataclass(frozen=True)
class ExecutionCosts:
    fees_bps: float = 0.0
    slippage_bps: float = 0.0
    lag_days: int = 1


@dataclass(frozen=True)
class BacktestResult:
    """A simulated strategy: its vectorbt portfolio and the series reports read."""

    portfolio: object
    returns: pd.Series
    traded_fraction: pd.Series
    target_weights: pd.DataFrame


def orders_for(target_weights: pd.DataFrame, lag_days: int, start_position: int) -> pd.DataFrame:
    """Decisions shifted to their execution session and cut to the backtest window."""
    if lag_days < 1:
        raise ValueError("lag_days must be >= 1: a decision at close t cannot trade at close t")
    return target_weights.shift(lag_days).iloc[start_position:]


def simulate(prices: pd.DataFrame, target_weights: pd.DataFrame, costs: ExecutionCosts,
             start_position: int = 0) -> BacktestResult:
    """Run one strategy's target weights through `vectorbt.Portfolio.from_orders`."""
    import vectorbt as vbt

    configure_vectorbt()
    close = prices.iloc[start_position:]
    size = orders_for(target_weights, costs.lag_days, start_position)
    portfolio = vbt.Portfolio.from_orders(
        close=close, size=size, size_type="targetpercent", group_by=True, cash_sharing=True,
        call_seq="auto", fees=costs.fees_bps / 1e4, slippage=costs.slippage_bps / 1e4,
        init_cash=INIT_CASH, freq="1D")
    returns = portfolio.returns()
    returns.name = None
    return BacktestResult(portfolio, returns, traded_fraction(portfolio, close.index),
                          target_weights.iloc[start_position:])


def traded_fraction(portfolio, sessions: pd.DatetimeIndex) -> pd.Series:
    """Per session, traded notional divided by portfolio value (for turnover)."""
    records = portfolio.orders.values
    notional = np.zeros(len(sessions))
    np.add.at(notional, records["idx"], np.abs(records["size"] * records["price"]))
    value = portfolio.value().to_numpy()
    return pd.Series(np.divide(notional, value, out=np.zeros_like(notional), where=value > 0),
                     index=sessions)
