"""One backtest run, end to end on the left four rooms: data -> signals -> weights -> P&L.

`run_backtest` returns plain results; writing pages and files is the reports room's job, and the
CLI wires the two together.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from backtests.config import RunConfig
from backtests.engine import BacktestResult, ExecutionCosts, simulate
from backtests.metrics import summarise
from feeds.online import resolve_timeout
from feeds.panel import PointInTimePanel, Source
from feeds.resolve import open_source
from feeds.snapshot import SnapshotSource
from signals import compute_signal
from strategies import StrategyContext, build_weights

Progress = Callable[[str], None]


@dataclass
class RunResult:
    """Everything a report needs about one run."""

    config: RunConfig
    config_path: Path
    config_sha256: str
    panel: PointInTimePanel
    signals: pd.DataFrame
    strategies: dict[str, BacktestResult]
    benchmarks: dict[str, pd.Series] = field(default_factory=dict)
    summary: dict[str, dict] = field(default_factory=dict)
    benchmark_summary: dict[str, dict] = field(default_factory=dict)
    context: StrategyContext | None = None
    verdict: list[dict] | None = None

    def verdict_rows(self, progress: Progress = lambda message: None) -> list[dict] | None:
        """The claims of the config's `verdict:` section, evaluated once on first request (the
        CLI asks while the tearsheets render, so the verdict does not delay them)."""
        if self.verdict is None and self.config.verdict is not None:
            from backtests.verdict import evaluate_claims  # heavy (numba kernels): only when asked

            self.verdict = evaluate_claims(self, self.config.verdict, progress)
        return self.verdict

    def benchmark_returns(self, strategy_name: str) -> tuple[str, pd.Series] | None:
        """(label, daily returns) of the benchmark a strategy is compared with."""
        label = self.config.benchmark_of(self.config.strategy(strategy_name))
        if label is None:
            return None
        if label in self.strategies:
            return label, self.strategies[label].returns
        return f"buy_and_hold_{label}", self.benchmarks[label]


def resolve_snapshot(cli_snapshot: str | Path | None, config: RunConfig, config_path: Path
                     ) -> Path | None:
    """--snapshot, then LIQBT_SNAPSHOT, then data.snapshot (relative to the config file);
    None means: no snapshot, read the cache."""
    for candidate in (cli_snapshot, os.environ.get("LIQBT_SNAPSHOT") or None):
        if candidate:
            return Path(candidate).expanduser()
    if config.data.snapshot is not None:
        snapshot = config.data.snapshot.expanduser()
        return snapshot if snapshot.is_absolute() else config_path.parent / snapshot
    return None


def open_run_source(cli_snapshot: str | Path | None, config: RunConfig, config_path: Path,
                    cache_dir: str | Path | None = None, online: bool = False,
                    timeout_s: float | None = None, progress: Progress = lambda message: None
                    ) -> Source:
    """The run's data: snapshot, else the cache (fetching what is missing only when `online`)."""
    return open_source(resolve_snapshot(cli_snapshot, config, config_path), cache_dir,
                       config.data.vintage, online,
                       resolve_timeout(timeout_s, config.data.timeout_s), progress,
                       config=str(config_path))


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sleeve_buy_and_hold(prices: pd.Series) -> pd.Series:
    """Daily returns of holding a sleeve's total-return price path (0 on the first session)."""
    return prices.pct_change().fillna(0.0)


def build_panel(config: RunConfig, source: Source | Path) -> PointInTimePanel:
    """The point-in-time panel of a config: its universe's sessions over data.start..data.end.
    `source` is a data source (see `open_run_source`) or a snapshot directory."""
    if isinstance(source, (str, Path)):
        source = SnapshotSource(source)
    start = pd.Timestamp(config.data.start) if config.data.start else None
    end = pd.Timestamp(config.data.end) if config.data.end else None
    return PointInTimePanel(source, config.universe, start, end, quality=config.data.quality)


def compute_configured_signals(config: RunConfig, panel: PointInTimePanel) -> dict[str, pd.Series]:
    """Every signal of the config by its config name, over all of the panel's sessions."""
    return {name: compute_signal(panel, section.fn, section.params)
            for name, section in config.signals.items()}


def run_backtest(config: RunConfig, config_path: Path, source: Source | Path,
                 progress: Progress = lambda message: None) -> RunResult:
    """Build the point-in-time panel, compute signals, build weights and simulate each strategy.
    `source` is a data source (see `open_run_source`) or a snapshot directory."""
    progress("loading data")
    panel = build_panel(config, source)
    progress("computing signals")
    signals = compute_configured_signals(config, panel)
    context = StrategyContext.of_panel(panel, signals)
    costs = ExecutionCosts(config.costs.fees_bps, config.costs.slippage_bps,
                           config.execution.lag_days)
    results: dict[str, BacktestResult] = {}
    for strategy in config.strategies:
        progress(f"simulating {strategy.name}")
        weights = build_weights(context, strategy.rule, strategy.params, strategy.rebalance)
        results[strategy.name] = simulate(panel.sleeve_prices, weights, costs, panel.start_position)
    window = panel.sleeve_prices.iloc[panel.start_position:]
    benchmark_sleeves = {config.benchmark_of(s) for s in config.strategies} & set(config.universe)
    benchmarks = {sleeve: sleeve_buy_and_hold(window[sleeve]) for sleeve in sorted(benchmark_sleeves)}
    rf = config.report.risk_free_annual
    summary = {name: summarise(result.returns, result.traded_fraction, rf)
               for name, result in results.items()}
    benchmark_summary = {f"buy_and_hold_{sleeve}": summarise(series, None, rf)
                         for sleeve, series in benchmarks.items()}
    signal_frame = pd.DataFrame(signals, index=panel.sessions).iloc[panel.start_position:]
    return RunResult(config, config_path, sha256_file(config_path), panel, signal_frame, results,
                     benchmarks, summary, benchmark_summary, context)
