"""Orchestration: a composed `RunConfig` -> the panel -> signals -> weights -> backtests -> pages.

The application is the only place that knows the whole config; here each room gets its own typed
section: feeds the data section and universe (`build_panel`), signals their specs
(`signals.compute_signals`), backtests a `RunSpec` / `SweepSpec`, reports a `ReportSection` and a
`ConfigRecord` for the manifest. Results come back as plain typed data (`backtests.results`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import pandas as pd

from backtests.results import RunResult, RunSpec, run_strategies
from backtests.sweep.config import SweepSpec
from feeds.online import resolve_timeout
from feeds.panel import PointInTimePanel, Source
from feeds.resolve import open_source
from feeds.snapshot import SnapshotSource
from liqbt.config import RunConfig
from liqbt.data_needs import config_needs
from reports.manifest import ConfigRecord
from signals import compute_signals

Progress = Callable[[str], None]


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
    """The run's data, decided once and said once on `progress` (feeds/resolve.py): a snapshot;
    else the cache, fetching what is missing only when `online`; else, when the cache lacks
    something the config reads, the bundled snapshot."""
    return open_source(resolve_snapshot(cli_snapshot, config, config_path), cache_dir,
                       config.data.vintage, online,
                       resolve_timeout(timeout_s, config.data.timeout_s), progress,
                       config=str(config_path), needs=config_needs(config))


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def config_record(config: RunConfig, config_path: Path) -> ConfigRecord:
    """What the manifest of every page says about the config."""
    return ConfigRecord(config.name, config_path, sha256_file(config_path),
                        config.model_dump(mode="json"))


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
    return compute_signals(panel, config.signals)


def run_spec(config: RunConfig) -> RunSpec:
    """The sections of `config` the backtests room consumes for a run."""
    return RunSpec(config.name, tuple(config.strategies), dict(config.signals), config.benchmark,
                   config.costs, config.execution, config.risk_free, config.verdict,
                   config.event_study)


def sweep_spec(config: RunConfig) -> SweepSpec:
    """The sections of `config` the sweep consumes (the config must have a `sweep:` section);
    `identity` keys its checkpoints to the run inputs the chunks' numbers depend on."""
    section = config.sweep
    identity = config.model_dump(mode="json", include={"universe", "data", "signals"})
    return SweepSpec(config.name, section, config.strategy(section.strategy), config.costs,
                     config.execution, config.walk_forward, config.risk_free, identity)


def run_backtest(config: RunConfig, source: Source | Path,
                 progress: Progress = lambda message: None) -> RunResult:
    """Build the point-in-time panel, compute signals, build weights and simulate each strategy.
    `source` is a data source (see `open_run_source`) or a snapshot directory."""
    progress("loading data")
    panel = build_panel(config, source)
    progress("computing signals")
    signals = compute_configured_signals(config, panel)
    return run_strategies(run_spec(config), panel, signals, progress)


def run_and_report(config: RunConfig, config_path: Path, source: Source | Path, out_dir: Path,
                   progress: Progress = lambda message: None) -> RunResult:
    """`liqbt run`: the backtest, then every page and file of the output contract in `out_dir`.
    Tearsheet workers start first, so their imports overlap loading data and simulating."""
    from reports.outputs import write_run_outputs
    from reports.pages import RunReport
    from reports.tearsheet_pool import TearsheetWorkers, default_workers

    pages = len(config.strategies) if config.report.tearsheets else 0
    workers = 1 if not pages else min(config.report.workers or default_workers(), max(pages, 2))
    with TearsheetWorkers(workers) as workers:  # at most one worker (~200 MB) per page
        result = run_backtest(config, source, progress)
        report = RunReport(result, config.report, config_record(config, config_path))
        write_run_outputs(report, out_dir, progress, workers)
    return result
