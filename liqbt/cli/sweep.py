"""`liqbt sweep`: a configured strategy over its `sweep:` grid, streamed, checkpointed, checked
against vectorbt, with DSR, PBO and the optional walk-forward.

    liqbt sweep CONFIG [--snapshot DIR] [--out DIR] [--resume] [--chunk N] [--workers N] [--dask]

Writes OUT/sweep.parquet, sweep.csv, sweep_summary.json, sweep.html (and walk_forward.csv,
walk_forward_returns.csv with a `walk_forward:` section); OUT defaults to runs/<name>/sweep/.
Exit 2 for a bad config, 1 when the parity check against vectorbt fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backtests.sweep.config import SweepSection
from liqbt.cli.options import SnapshotOpt, config_bounded, data_folders, status


class RichSweepProgress:
    """A progress bar on stderr: chunks done, combinations per second, time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text("" if speed is None else f"{speed:,.0f} combos/s")

        self._progress = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                  RateColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=False)
        self._task = None

    def start(self, total: int, completed: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("sweep", total=total, completed=completed)

    def advance(self, combos: int) -> None:
        self._progress.advance(self._task, combos)

    def stop(self) -> None:
        self._progress.stop()


def sweep(
    config: Path = typer.Argument(..., help="YAML run config with a sweep: section",
                                  show_default=False, metavar="CONFIG"),
    snapshot: Optional[Path] = SnapshotOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="output folder [runs/<name>/sweep/]"),
    resume: bool = typer.Option(False, "--resume", help="skip chunks an interrupted run of the "
                                                        "same config finished"),
    chunk: Optional[int] = config_bounded(SweepSection, "chunk", "--chunk",
                                          help="combinations per chunk [sweep.chunk]"),
    workers: Optional[int] = config_bounded(SweepSection, "workers", "--workers",
                                            help="dask workers, or numba threads locally "
                                            "[sweep.workers]"),
    dask: bool = typer.Option(False, "--dask", help="run chunks on a local dask.distributed "
                                                    "cluster (pip install 'liqbt[dist]')"),
) -> None:
    """Sweep CONFIG's `sweep:` grid: every combination simulated and summarised, the winner by
    `sweep.metric` under `sweep.constraints`, deflated Sharpe, PBO, parity with vectorbt, and the
    walk-forward of a `walk_forward:` section."""
    from backtests.sweep import prepare_sweep, run_configured_sweep
    from feeds.errors import InputError
    from liqbt.config import load_config
    from liqbt.outputs import output_folder
    from liqbt.run import (
        build_panel, compute_configured_signals, config_record, open_run_source, sweep_spec,
    )
    from reports.sweep_page import write_sweep_page

    loaded = load_config(config)
    if loaded.sweep is None:
        raise InputError(f"{config}: no sweep: section; add one with strategy, grid and metric "
                         "(example in liqbt/configs/article.yaml)")
    out_dir = Path("runs") / loaded.name / "sweep" if out is None else out
    with output_folder(out_dir, "sweep", data_folders(snapshot, loaded, config, None),
                       stage=False):  # checked and locked; the sweep checkpoints into it
        source = open_run_source(snapshot, loaded, config, progress=status)
        status("loading data")
        panel = build_panel(loaded, source)
        status("computing signals")
        signals = compute_configured_signals(loaded, panel)
        setup = prepare_sweep(sweep_spec(loaded), panel, signals)
        status(f"{len(setup.combos):,} combinations of {loaded.sweep.strategy} "
                f"({', '.join(loaded.sweep.grid)})")
        try:
            outcome = run_configured_sweep(setup, out_dir, resume=resume, chunk=chunk,
                                           engine="dask" if dask else None, workers=workers,
                                           progress=RichSweepProgress(), status=status)
        except KeyboardInterrupt:
            status(f"finished chunks are kept in {out_dir / 'checkpoint'}: add --resume to "
                   "continue")
            raise
        write_sweep_page(outcome, loaded.title, config_record(loaded, config), panel, out_dir)
    summary = outcome.summary
    best = summary["best"]
    params = ", ".join(f"{k}={v:g}" for k, v in best["params"].items())
    rate = summary["combos_per_s"]
    typer.echo(f"{summary['combos']:,} combinations ({summary['n_eligible']:,} eligible)"
               + (f", {rate:,.0f} combos/s" if rate else ""))
    metric = summary["metric"]
    sharpe = "" if metric == "sharpe" else f", Sharpe {best['metrics']['sharpe']:.2f}"
    typer.echo(f"best by {metric}: {params}: {metric} {best['metrics'][metric]:.4g}{sharpe}")
    pbo = summary["pbo"]
    typer.echo(f"deflated Sharpe {summary['deflated_sharpe']:.3f}, PBO "
               f"{'n/a' if pbo is None else f'{pbo:.2f}'}, parity with vectorbt "
               f"{summary['parity_max_rel']:.1e}")
    if summary["walk_forward"]:
        wf = summary["walk_forward"]
        typer.echo(f"walk-forward Sharpe: in-sample {wf['in_sample']['sharpe']:.2f}, "
                   f"out-of-sample {wf['out_of_sample']['sharpe']:.2f} ({wf['windows']} windows)")
    typer.echo(f"wrote {out_dir}/sweep.html, sweep_summary.json, sweep.parquet, sweep.csv")


def register(app: typer.Typer) -> None:
    app.command(name="sweep")(sweep)
