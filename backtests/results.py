"""A backtest run as plain typed data: what it was asked to run (`RunSpec`), and what came out
(`RunResult`), which the pages of the reports room read.

`run_strategies` is the room's one entry point for a run: given the point-in-time panel and the
computed signals, it builds every strategy's weights, simulates them in vectorbt and summarises
them. Loading data, computing signals and writing pages are the application's job (`liqbt.run`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from backtests.config import (
    CostsSection, EventStudySection, ExecutionSection, RiskFreeSection, execution_costs,
)
from backtests.engine import BacktestResult, simulate
from backtests.metrics import TRADING_DAYS, daily_risk_free, summarise
from backtests.verdict.config import VerdictSection
from feeds.errors import DataError
from feeds.panel import PointInTimePanel
from signals import SignalSection
from strategies import StrategyContext, StrategySection, build_weights

Progress = Callable[[str], None]
logger = logging.getLogger("liqbt.backtest")


@dataclass(frozen=True)
class RunSpec:
    """The sections a run's backtests consume, already validated."""

    name: str
    strategies: tuple[StrategySection, ...]
    signals: Mapping[str, SignalSection] = field(default_factory=dict)
    benchmark: str | None = None
    costs: CostsSection = CostsSection()
    execution: ExecutionSection = ExecutionSection()
    risk_free: RiskFreeSection = RiskFreeSection()
    verdict: VerdictSection | None = None
    event_study: EventStudySection | None = None

    def strategy(self, name: str) -> StrategySection:
        return next(s for s in self.strategies if s.name == name)

    def benchmark_of(self, strategy: StrategySection) -> str | None:
        """The strategy or sleeve a strategy is compared with (its own, else the run's)."""
        return strategy.benchmark or self.benchmark


@dataclass
class RunResult:
    """Everything a report needs about one run."""

    spec: RunSpec
    panel: PointInTimePanel
    signals: pd.DataFrame
    strategies: dict[str, BacktestResult]
    benchmarks: dict[str, pd.Series] = field(default_factory=dict)
    summary: dict[str, dict] = field(default_factory=dict)
    benchmark_summary: dict[str, dict] = field(default_factory=dict)
    context: StrategyContext | None = None
    verdict: list[dict] | None = None
    notes: list[str] = field(default_factory=list)  # what a reader must know (never_held)

    def verdict_rows(self, progress: Progress = lambda message: None) -> list[dict] | None:
        """The claims of the spec's `verdict:` section, evaluated once on first request (the
        application asks while the tearsheets render, so the verdict does not delay them)."""
        if self.verdict is None and self.spec.verdict is not None:
            from backtests.verdict import evaluate_claims  # heavy (numba kernels): only when asked

            self.verdict = evaluate_claims(self, self.spec.verdict, progress)
        return self.verdict

    def risk_free_returns(self) -> pd.Series:
        """The daily risk-free return over the backtest sessions: what every Sharpe ratio of the
        run (summary.json, index, tearsheets, verdict) is measured in excess of, per the
        `risk_free:` section (a constant, or a sleeve's daily return such as T-bills)."""
        return risk_free_returns(self.spec.risk_free, self.panel)

    def risk_free_record(self) -> dict:
        """Which risk-free was used, for summary.json and the pages."""
        rf = self.risk_free_returns()
        return {**self.spec.risk_free.record(),
                "mean_annual": float((1.0 + rf).prod() ** (TRADING_DAYS / max(len(rf), 1)) - 1.0)}

    def benchmark_returns(self, strategy_name: str) -> tuple[str, pd.Series] | None:
        """(label, daily returns) of the benchmark a strategy is compared with."""
        label = self.spec.benchmark_of(self.spec.strategy(strategy_name))
        if label is None:
            return None
        if label in self.strategies:
            return label, self.strategies[label].returns
        return f"buy_and_hold_{label}", self.benchmarks[label]


def sleeve_buy_and_hold(prices: pd.Series) -> pd.Series:
    """Daily returns of holding a sleeve's total-return price path (0 on the first session)."""
    return prices.pct_change().fillna(0.0)


def never_held(name: str, result: BacktestResult, lag_days: int) -> str | None:
    """A note when a strategy never held a position in the backtest window: its numbers are cash's,
    which a reader must be told (not left to guess from a Sharpe of NaN)."""
    if (result.traded_fraction > 0).any():
        return None
    window = result.returns.index
    what = f"strategy '{name}' never held a position in {window[0].date()}..{window[-1].date()}"
    decided = result.target_weights.dropna(how="all")
    if decided.empty or len(window) <= lag_days:
        return (f"{what}: no decision trades inside the window ({len(window)} sessions, "
                f"execution.lag_days {lag_days}); start the data earlier")
    if (decided.fillna(0.0) == 0).all().all():
        return (f"{what}: its weights are 0 at every decision (its sleeves are not tradable in "
                "the window, or the rule chose cash throughout); its numbers are those of cash")
    return f"{what}; its numbers are those of cash"


def risk_free_returns(section: RiskFreeSection, panel: PointInTimePanel) -> pd.Series:
    """Daily risk-free returns over the panel's backtest sessions (0 before a sleeve's first
    price)."""
    sessions = panel.sessions[panel.start_position:]
    if section.sleeve is None:
        return pd.Series(daily_risk_free(section.constant), index=sessions, name="risk_free")
    prices = panel.sleeve_prices[section.sleeve].iloc[panel.start_position:]
    if prices.count() < 2:  # all 0: every Sharpe would silently be in excess of nothing
        raise DataError(f"risk_free.sleeve {section.sleeve!r} has no returns in the backtest "
                        f"window {sessions[0].date()}..{sessions[-1].date()} (prices on "
                        f"{prices.count()} sessions); pick a sleeve priced then, or "
                        "risk_free: {annual: RATE}")
    return prices.pct_change(fill_method=None).fillna(0.0).rename("risk_free")


def run_strategies(spec: RunSpec, panel: PointInTimePanel, signals: dict[str, pd.Series],
                   progress: Progress = lambda message: None) -> RunResult:
    """Build each strategy's weights from the signals, simulate them and summarise the results;
    sleeves used as benchmarks are held as buy-and-hold."""
    context = StrategyContext.of_panel(panel, signals)
    costs = execution_costs(spec.costs, spec.execution)
    results: dict[str, BacktestResult] = {}
    notes: list[str] = []
    for strategy in spec.strategies:
        progress(f"simulating {strategy.name}")
        weights = build_weights(context, strategy.rule, strategy.params, strategy.rebalance)
        results[strategy.name] = simulate(panel.sleeve_prices, weights, costs, panel.start_position)
        note = never_held(strategy.name, results[strategy.name], costs.lag_days)
        if note is not None:
            notes.append(note)
            logger.warning("liqbt: warning: %s", note)
    window = panel.sleeve_prices.iloc[panel.start_position:]
    benchmark_sleeves = {spec.benchmark_of(s) for s in spec.strategies} & set(panel.instruments)
    benchmarks = {sleeve: sleeve_buy_and_hold(window[sleeve])
                  for sleeve in sorted(benchmark_sleeves)}
    rf = risk_free_returns(spec.risk_free, panel)
    summary = {name: summarise(result.returns, result.traded_fraction, risk_free_daily=rf)
               for name, result in results.items()}
    benchmark_summary = {f"buy_and_hold_{sleeve}": summarise(series, None, risk_free_daily=rf)
                         for sleeve, series in benchmarks.items()}
    signal_frame = pd.DataFrame(signals, index=panel.sessions).iloc[panel.start_position:]
    return RunResult(spec, panel, signal_frame, results, benchmarks, summary, benchmark_summary,
                     context, notes=notes)
