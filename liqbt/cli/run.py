"""`liqbt validate` and `liqbt run`: check a config, and backtest it into a report folder.

    liqbt validate CONFIG
    liqbt run CONFIG [--snapshot DIR] [--out DIR] [--cache-dir DIR] [--online] [--timeout S]
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from liqbt.cli.exits import exit_fast_when_done
from liqbt.cli.options import (
    CacheDirOpt, ConfigArg, SnapshotOpt, TimeoutOpt, data_folders, status,
)
from liqbt.cli.step_summary import append_step_summary
from liqbt.config import load_config


def validate(config: Path = ConfigArg) -> None:
    """Check a config without running it: every problem on its own line, exit code 2 if any."""
    loaded = load_config(config)
    typer.echo(f"{config}: ok ({len(loaded.universe)} sleeves, {len(loaded.signals)} signals, "
               f"{len(loaded.strategies)} strategies)")


def run(config: Path = ConfigArg, snapshot: Optional[Path] = SnapshotOpt,
        out: Optional[Path] = typer.Option(None, "--out", help="output folder [runs/<name>/]"),
        cache_dir: Optional[Path] = CacheDirOpt,
        online: bool = typer.Option(False, "--online", help="fetch series/tickers missing from "
                                    "the cache (without it a run never uses the network)"),
        timeout: Optional[float] = TimeoutOpt) -> None:
    """Backtest every strategy of CONFIG and write the report folder (index.html, tearsheets/,
    summary.json, summary.md, returns.csv, weights/, manifest.json; summary.md is also appended
    to $GITHUB_STEP_SUMMARY in a CI job). Data: --snapshot DIR if given, else the
    local cache (fill it with `liqbt fetch CONFIG`)."""
    from liqbt.outputs import output_folder
    from liqbt.run import open_run_source, run_and_report

    loaded = load_config(config)
    out_dir = Path("runs") / loaded.name if out is None else out
    avoid = data_folders(snapshot, loaded, config, cache_dir)
    with output_folder(out_dir, "run", avoid) as staging:  # checked and locked before the work
        source = open_run_source(snapshot, loaded, config, cache_dir, online, timeout, status)
        result = run_and_report(loaded, config, source, staging, status)
    for name, metrics in result.summary.items():
        typer.echo(f"{name:>24}  CAGR {metrics['cagr']:7.2%}  Sharpe {metrics['sharpe']:5.2f}  "
                   f"maxDD {metrics['max_drawdown']:7.2%}")
    typer.echo(f"wrote {out_dir}/index.html")
    summary_md = out_dir / "summary.md"
    append_step_summary(summary_md.read_text(encoding="utf-8"), summary_md, status)
    exit_fast_when_done()


def register(app: typer.Typer) -> None:
    """Add `validate` and `run` to the liqbt app."""
    app.command()(validate)
    app.command()(run)
