"""`liqbt sweep`: a configured strategy over its `sweep:` grid, streamed, checkpointed, checked
against vectorbt, with DSR, PBO and the optional walk-forward.

    liqbt sweep CONFIG [--snapshot DIR] [--out DIR] [--resume] [--chunk N]
                       [--workers N] [--dask | --scheduler ADDRESS] [--no-gates] [--baseline FILE]
    liqbt sweep CONFIG --plan --shards N              # one JSON line: the CI matrix
    liqbt sweep CONFIG --shard I/N --out DIR          # that shard's chunks only
    liqbt sweep CONFIG --merge-from DIR --out OUT     # every shard below DIR -> the whole sweep

Writes OUT/sweep.parquet, sweep.csv, sweep_summary.json, sweep_summary.md (also appended to
$GITHUB_STEP_SUMMARY in a CI job), sweep.html (and walk_forward.csv, walk_forward_returns.csv with a
`walk_forward:` section); OUT defaults to runs/<name>/sweep/. Exit 2 for a bad config or bad shard
outputs, 3 when a sweep.gates threshold fails (after writing everything), 1 when the parity check
against vectorbt fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer

from backtests.sweep.config import SweepSection
from liqbt.cli.exits import exit_fast_when_done
from liqbt.cli.options import SnapshotOpt, config_bounded, data_folders, status
from liqbt.cli.step_summary import append_step_summary


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
                                            help="LocalCluster workers, or numba threads locally "
                                            "[sweep.workers]"),
    dask: bool = typer.Option(False, "--dask", help="run chunks on a local dask.distributed "
                                                    "cluster (pip install 'liqbt[dist]')"),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS", help="run chunks on the existing dask cluster "
        "of this scheduler, e.g. tcp://10.0.0.5:8786 [env DASK_SCHEDULER_ADDRESS]"),
    plan: bool = typer.Option(False, "--plan", help="print the shards as one JSON line (a CI "
                              "matrix) and exit; with --shards N"),
    shards: Optional[int] = typer.Option(None, "--shards", min=1, max=256,
                                         help="number of shards for --plan"),
    shard: Optional[str] = typer.Option(None, "--shard", metavar="I/N", help="compute only "
                                        "shard I of N (checkpoint chunks + shard manifest)"),
    merge_from: Optional[Path] = typer.Option(None, "--merge-from", metavar="DIR", help="merge "
                                              "the shard outputs gathered below DIR"),
    gates: bool = typer.Option(True, "--gates/--no-gates", help="check sweep.gates (a failed "
                               "gate exits 3 after every output is written)"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", help="a "
                                            "previous sweep_summary.json to compare with"),
) -> None:
    """Sweep CONFIG's `sweep:` grid: every combination simulated and summarised, the winner by
    `sweep.metric` under `sweep.constraints`, deflated Sharpe, PBO, parity with vectorbt, the
    walk-forward of a `walk_forward:` section, and `sweep.gates` (exit 3 when one fails). Split
    it across CI jobs with --plan, --shard I/N and --merge-from DIR."""
    from feeds.errors import InputError
    from liqbt.config import load_config
    from liqbt.outputs import output_folder

    loaded = load_config(config)
    if loaded.sweep is None:
        raise InputError(f"{config}: no sweep: section; add one with strategy, grid and metric "
                         "(example in liqbt/configs/article.yaml)")
    _check_modes(plan=plan, shards=shards, shard=shard, merge_from=merge_from, resume=resume,
                 dask=dask, scheduler=scheduler, workers=workers, chunk=chunk,
                 writes={"--out": out is not None, "--baseline": baseline is not None,
                         "--no-gates": not gates})
    if plan:
        return _print_plan(loaded, shards or 1, chunk)
    scheduler = _scheduler_address(scheduler, dask or merge_from is not None)
    if shard is not None:
        from backtests.sweep.sharding import Shard

        Shard.parse(shard)  # said before any data is loaded or any folder locked
    if merge_from is not None:
        from backtests.sweep.sharding import manifest_paths

        manifest_paths(merge_from)  # a wrong folder is said before any data is loaded
    from backtests.sweep.review import load_baseline

    previous = load_baseline(baseline) if baseline is not None else None  # no folder made yet
    out_dir = Path("runs") / loaded.name / "sweep" if out is None else out
    avoid = data_folders(snapshot, loaded, config, None)
    if merge_from is not None:
        avoid["the shard outputs (--merge-from)"] = merge_from
    with output_folder(out_dir, "sweep", avoid, stage=False):  # checked and locked before any
        failed = _run_sweep(loaded, config, snapshot, out_dir,  # work; it checkpoints into it
                            resume=resume, chunk=chunk, workers=workers, dask=dask,
                            scheduler=scheduler, shard=shard, merge_from=merge_from, gates=gates,
                            baseline=previous)
    exit_fast_when_done()  # every file is written, every dask client closed, the lock released
    if failed:
        for line in failed:
            typer.echo(f"liqbt: {line}", err=True)
        raise typer.Exit(3)


def _scheduler_address(scheduler: str | None, dask: bool) -> str | None:
    """The --scheduler address, else DASK_SCHEDULER_ADDRESS (not with --dask), checked."""
    from backtests.sweep.cluster import check_address

    if scheduler is not None:
        return check_address(scheduler, "--scheduler")
    from_env = os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    if dask or not from_env.strip():
        return None
    return check_address(from_env, "DASK_SCHEDULER_ADDRESS")


def _check_modes(*, plan: bool, shards, shard, merge_from, resume, dask, scheduler, workers,
                 chunk, writes: dict[str, bool]) -> None:
    """Options that cannot go together, or that a mode would silently ignore: one line, exit 2."""
    from feeds.errors import InputError

    given = {"--plan": plan, "--shard": shard is not None, "--merge-from": merge_from is not None}
    modes = [name for name, on in given.items() if on]
    if len(modes) > 1:
        raise InputError(f"{' and '.join(modes)} cannot go together: plan the shards, run one "
                         "shard, or merge them, one at a time")
    if shards is not None and not plan:
        raise InputError("--shards N goes with --plan (a shard run takes --shard I/N)")
    others = {"--resume": resume, "--dask": dask, "--scheduler": scheduler is not None,
              "--workers": workers is not None}
    if plan or merge_from is not None:
        extra = [name for name, on in {**others, "--chunk": merge_from is not None
                                       and chunk is not None}.items() if on]
        if extra:
            raise InputError(f"{modes[0]} does not compute chunks: drop {', '.join(extra)}")
    ignored = [name for name, on in writes.items() if on and (plan or name != "--out")]
    if (plan or shard is not None) and ignored:
        what = ("prints the shard matrix and writes nothing" if plan else "computes chunks "
                "only; gates and baselines are checked by --merge-from")
        raise InputError(f"{modes[0]} {what}: drop {', '.join(ignored)}")
    if dask and scheduler is not None:
        raise InputError("--dask starts a local cluster and --scheduler uses an existing one: "
                         "pass one of them")
    if scheduler is not None and workers is not None:
        raise InputError("--workers sizes a local run or --dask cluster; the cluster at "
                         "--scheduler has its own workers: drop --workers")


def _print_plan(loaded, shards: int, chunk: int | None) -> None:
    from backtests.sweep.sharding import plan, shard_chunk_size
    from liqbt.run import sweep_spec

    spec = sweep_spec(loaded)
    n_combos = len(spec.combos())
    size = chunk or shard_chunk_size(n_combos, shards, spec.sweep.chunk)
    typer.echo(json.dumps(plan(n_combos, shards, size), separators=(",", ":")))


def _run_sweep(loaded, config: Path, snapshot, out_dir: Path, *, resume, chunk, workers, dask,
               scheduler, shard, merge_from, gates, baseline) -> list[str]:
    """Compute (a shard, the merge of shards, or the whole sweep) and write its outputs into
    `out_dir`; returns one line per failed gate."""
    from backtests.sweep import prepare_sweep, run_configured_sweep
    from backtests.sweep.review import failed_gate_lines
    from backtests.sweep.sharding import Shard, merge_shards, run_shard
    from liqbt.run import build_panel, compute_configured_signals, open_run_source, sweep_spec

    part = Shard.parse(shard) if shard is not None else None
    status("loading data")
    panel = build_panel(loaded, open_run_source(snapshot, loaded, config, progress=status))
    status("computing signals")
    signals = compute_configured_signals(loaded, panel)
    setup = prepare_sweep(sweep_spec(loaded), panel, signals)
    status(f"{len(setup.combos):,} combinations of {loaded.sweep.strategy} "
            f"({', '.join(loaded.sweep.grid)})" + (f" on {scheduler}" if scheduler else ""))
    engine = {"engine": "dask" if dask else loaded.sweep.engine,
              "workers": workers or loaded.sweep.workers, "scheduler": scheduler}
    try:
        if part is not None:
            checkpoint = run_shard(setup, out_dir, part, resume=resume, chunk=chunk,
                                   progress=RichSweepProgress(), status=status, **engine)
            typer.echo(f"shard {part.label}: {len(checkpoint.assigned)} of "
                       f"{checkpoint.n_chunks} chunks in {checkpoint.folder} "
                       f"({checkpoint.manifest_name}); merge all shards with --merge-from")
            return []
        if merge_from is not None:
            outcome = merge_shards(setup, merge_from, out_dir, gates=gates, baseline=baseline,
                                   status=status)
        else:
            outcome = run_configured_sweep(setup, out_dir, resume=resume, chunk=chunk,
                                           gates=gates, baseline=baseline,
                                           progress=RichSweepProgress(), status=status,
                                           **engine)
    except KeyboardInterrupt:
        status(f"finished chunks are kept in {out_dir / 'checkpoint'}: add --resume to continue")
        raise
    _write_reports(outcome, loaded, config, panel, out_dir)
    _echo_results(outcome.summary, out_dir)
    return failed_gate_lines(outcome.summary["gates"])


def _write_reports(outcome, loaded, config: Path, panel, out_dir: Path) -> None:
    """sweep.html, sweep_summary.md, and the job summary in CI."""
    from feeds.atomic import write_text_atomic
    from liqbt.run import config_record
    from reports.sweep_markdown import sweep_summary_markdown
    from reports.sweep_page import write_sweep_page

    write_sweep_page(outcome, loaded.title, config_record(loaded, config), panel, out_dir)
    markdown = sweep_summary_markdown(outcome.summary, outcome.table)
    write_text_atomic(out_dir / "sweep_summary.md", markdown)
    append_step_summary(markdown, out_dir / "sweep_summary.md", status)


def _echo_results(summary: dict, out_dir: Path) -> None:
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
    typer.echo(f"wrote {out_dir}/sweep.html, sweep_summary.md, sweep_summary.json, "
               "sweep.parquet, sweep.csv")


def register(app: typer.Typer) -> None:
    app.command(name="sweep")(sweep)
