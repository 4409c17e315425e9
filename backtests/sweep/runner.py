"""`liqbt sweep`: a configured strategy over a parameter grid, streamed in chunks, checked against
vectorbt, with overfitting statistics and an optional walk-forward.

    setup     panel + signals -> context, the combinations table (built once), the execution plan
    chunks    `compute_chunks`: for each pending chunk: weights of its rows
              (`build_weight_grid(..., combos=rows)`), `run_sweep`, metrics (+ walk-forward
              train-window scores), checkpoint (backtests.sweep.executors, .cluster, .store);
              a shard computes only its share (backtests.sweep.sharding)
    after     `finish_sweep` on a complete checkpoint (computed here, resumed, or merged from
              shards): eligibility and the winner, one rerun of the few combinations whose daily
              returns are needed (winner, parity sample, PBO sample, walk-forward picks), DSR,
              PBO, walk-forward stitching, parity through vectorbt (backtests.sweep.selection),
              the gates and the baseline comparison (backtests.sweep.review)

Memory is bounded by the chunk size (weights k x R x S, and k x T returns only with a
walk-forward) and the PBO sample (M x T); nothing is K x T. The outputs are a pure function of
the config and data: an interrupted-then-resumed run writes the same files as an uninterrupted
one, the dask engines (a LocalCluster or an existing cluster) the same as the local one, and a
sweep merged from shards the same as one run in one piece (only the run facts in
`backtests.sweep.store.RUN_FACT_KEYS` differ).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
import pandas as pd

from backtests.config import execution_costs
from backtests.engine import ExecutionCosts
from backtests.metrics import METRIC_NAMES
from backtests.results import risk_free_returns
from backtests.sweep.chunks import ChunkResult, SweepJob, compute_chunk
from backtests.sweep.config import SweepSpec, constraint_bounds
from backtests.sweep.executors import run_chunks
from backtests.sweep.review import (
    Baseline, check_gates, compare_with_baseline, unchecked_gates,
)
from backtests.sweep.selection import (
    SweepParityError, check_parity, eligible_mask, overfitting_stats, parity_sample, pbo_sample,
    select_best,
)
from backtests.sweep.simulate import prepare_plan, run_sweep
from backtests.sweep.store import (
    SweepCheckpoint, checkpoint_key, data_digest, write_sweep_table,
)
from backtests.sweep.summary import build_summary, stitch_walk_forward, walk_forward_files
from backtests.walk_forward import WalkForwardResult, plan_windows
from feeds.atomic import write_json
from feeds.errors import InputError
from feeds.panel import PointInTimePanel
from strategies import StrategyContext, build_weight_grid, get_rule
from strategies.schedule import rebalance_mask


class SweepProgress(Protocol):
    def start(self, total: int, completed: int) -> None: ...
    def advance(self, combos: int) -> None: ...
    def stop(self) -> None: ...


class NoProgress:
    def start(self, total: int, completed: int) -> None:
        pass

    def advance(self, combos: int) -> None:
        pass

    def stop(self) -> None:
        pass


@dataclass
class SweepSetup:
    """The sweep's fixed inputs, built once from its spec and the panel."""

    spec: SweepSpec
    job: SweepJob
    combos: pd.DataFrame
    windows: list[tuple[int, int, int, int]]
    sessions: pd.DatetimeIndex      # the backtest window
    costs: ExecutionCosts
    key_parts: dict


@dataclass
class SweepOutcome:
    summary: dict
    table: pd.DataFrame
    pbo_logits: np.ndarray | None
    walk_forward: WalkForwardResult | None
    walk_forward_table: pd.DataFrame | None
    out_dir: Path
    extra: dict = field(default_factory=dict)
    # Daily returns (sessions x "winner", "median") for the sweep page's equity chart, and the
    # median combination's index (issue 15).
    curves: pd.DataFrame | None = None
    median_combo: int | None = None


def prepare_sweep(spec: SweepSpec, panel: PointInTimePanel, signals: dict[str, pd.Series]
                  ) -> SweepSetup:
    """The fixed inputs of `spec`'s sweep over `panel`: the combinations table, the execution
    plan, the walk-forward windows and the checkpoint key."""
    section, strategy, lag = spec.sweep, spec.strategy, spec.execution.lag_days
    combos = spec.combos()
    # the rule's own signals only: chunks read nothing else, and on dask this is what travels
    read = get_rule(strategy.rule).params.model_validate(strategy.params).signals_referenced()
    context = StrategyContext.of_panel(panel, {k: v for k, v in signals.items() if k in read})
    decisions = np.flatnonzero(rebalance_mask(panel.sessions, strategy.rebalance,
                                              panel.start_position))
    plan = prepare_plan(panel.sleeve_prices.to_numpy(), decisions, lag, panel.start_position)
    windows: list[tuple[int, int, int, int]] = []
    if spec.walk_forward is not None:
        wf = spec.walk_forward
        windows = plan_windows(plan.n_sessions, wf.train, wf.test, wf.step, wf.embargo, lag=lag)
        if not windows:
            raise InputError(f"walk_forward: no window fits the {plan.n_sessions} backtest "
                             f"sessions (train {wf.train} + embargo {wf.embargo} + test); "
                             "shorten walk_forward.train or start the data earlier")
    bounds = tuple(constraint_bounds(section.constraints))
    job = SweepJob(context, strategy.rule, dict(strategy.params), strategy.rebalance, plan,
                   spec.costs.fees_bps / 1e4, spec.costs.slippage_bps / 1e4,
                   risk_free_returns(spec.risk_free, panel).to_numpy(dtype=float), section.metric,
                   tuple(b for b in bounds if b[0] != "turnover"),
                   tuple((a, b) for a, b, _, _ in windows))
    key_parts = {
        "config": spec.identity,
        "costs": spec.costs.model_dump(mode="json"),
        "execution": spec.execution.model_dump(mode="json"),
        "walk_forward": None if spec.walk_forward is None
        else spec.walk_forward.model_dump(mode="json"),
        "strategy": strategy.model_dump(mode="json"),
        "risk_free": spec.risk_free.model_dump(mode="json"),
        "sweep": section.model_dump(mode="json", include={"strategy", "grid", "metric",
                                                          "constraints"}),
        "data": data_digest(panel.sessions, panel.sleeve_prices, panel.sleeve_tradable, signals,
                            panel.start_position),
    }
    return SweepSetup(spec, job, combos, windows, panel.sessions[panel.start_position:],
                      execution_costs(spec.costs, spec.execution), key_parts)


def _assemble(checkpoint: SweepCheckpoint) -> ChunkResult:
    parts = [checkpoint.load(i) for i in range(checkpoint.n_chunks)]
    return ChunkResult(-1, np.concatenate([p.metrics for p in parts]),
                       np.concatenate([p.final_value for p in parts]),
                       np.concatenate([p.window_scores for p in parts]))


def chunk_key(setup: SweepSetup, chunk_size: int) -> str:
    """The checkpoint key of `setup`'s chunks of `chunk_size` combinations."""
    return checkpoint_key({**setup.key_parts, "chunk": chunk_size})


def compute_chunks(setup: SweepSetup, checkpoint: SweepCheckpoint, *, engine: str = "local",
                   workers: int | None = None, scheduler: str | None = None,
                   progress: SweepProgress | None = None,
                   status: Callable[[str], None] = lambda message: None,
                   on_chunk: Callable[[ChunkResult], None] = lambda result: None) -> dict:
    """Compute the checkpoint's pending chunks on `engine`; return the run facts (timings,
    chunks computed and resumed, the engine and what went over the wire)."""
    progress = progress or NoProgress()
    job, combos = setup.job, setup.combos
    began = time.perf_counter()
    todo = checkpoint.todo()
    resumed = len(checkpoint.assigned) - len(todo)
    if resumed:
        status(f"resuming: {resumed} of {len(checkpoint.assigned)} chunks already done")
    compute_chunk(job, -1, combos.iloc[:1])  # numba compile / cache load, outside the timing
    warmed = time.perf_counter()
    done_combos = sum(checkpoint.rows(i).stop - checkpoint.rows(i).start
                      for i in checkpoint.done)
    assigned_combos = sum(checkpoint.rows(i).stop - checkpoint.rows(i).start
                          for i in checkpoint.assigned)
    progress.start(assigned_combos, done_combos)

    def finished(result: ChunkResult) -> None:
        progress.advance(len(result.final_value))
        on_chunk(result)

    try:  # nothing to do (resumed, or a shard without chunks): no cluster to start or reach
        cluster = run_chunks(job, combos, checkpoint, todo, finished, engine=engine,
                             workers=workers, scheduler=scheduler,
                             timeout_s=setup.spec.sweep.cluster_timeout_s) if todo else None
    finally:
        progress.stop()
    swept = time.perf_counter()
    computed = assigned_combos - done_combos
    return {
        "combos_per_s": computed / (swept - warmed) if computed and swept > warmed else None,
        "chunks": checkpoint.n_chunks, "chunk_size": checkpoint.chunk_size,
        "chunks_computed": len(todo), "chunks_resumed": resumed,
        "engine": "dask" if scheduler else engine, "workers": workers, "cluster": cluster,
        "elapsed_s": {"warmup": warmed - began, "chunks": swept - warmed},
    }


def run_configured_sweep(setup: SweepSetup, out_dir: Path, *, resume: bool = False,
                         chunk: int | None = None, engine: str | None = None,
                         workers: int | None = None, scheduler: str | None = None,
                         gates: bool = True, baseline: Baseline | None = None,
                         progress: SweepProgress | None = None,
                         status: Callable[[str], None] = lambda message: None,
                         on_chunk: Callable[[ChunkResult], None] = lambda result: None
                         ) -> SweepOutcome:
    """Run (or resume) the sweep of `setup` into `out_dir`; see the module docstring.
    `scheduler` is the address of an existing dask cluster; `gates=False` skips sweep.gates;
    `baseline` adds the change of every headline number. `on_chunk` is called after each chunk is
    checkpointed (tests use it to interrupt a run)."""
    section = setup.spec.sweep
    chunk_size = chunk or section.chunk
    checkpoint = SweepCheckpoint(out_dir / "checkpoint", chunk_key(setup, chunk_size),
                                 len(setup.combos), chunk_size)
    checkpoint.open(resume)
    facts = compute_chunks(setup, checkpoint, engine=engine or section.engine,
                           workers=workers or section.workers, scheduler=scheduler,
                           progress=progress, status=status, on_chunk=on_chunk)
    return finish_sweep(setup, checkpoint, out_dir, facts, gates=gates, baseline=baseline,
                        status=status)


def finish_sweep(setup: SweepSetup, checkpoint: SweepCheckpoint, out_dir: Path, facts: dict, *,
                 gates: bool = True, baseline: Baseline | None = None,
                 status: Callable[[str], None] = lambda message: None) -> SweepOutcome:
    """From a complete checkpoint to every output: selection, overfitting statistics, parity,
    walk-forward, sweep_summary.json with `facts`, the gates and the baseline comparison. A
    parity failure raises after the files are written; failed gates are in summary["gates"]."""
    status("selection, overfitting statistics, parity with vectorbt")
    began = time.perf_counter()
    outcome = _after_chunks(setup, _assemble(checkpoint), out_dir)
    elapsed = dict(facts.get("elapsed_s", {}))
    elapsed["after"] = time.perf_counter() - began
    elapsed["total"] = sum(elapsed.values())
    outcome.summary.update({**facts, "elapsed_s": elapsed})
    outcome.summary["gates"] = (check_gates(outcome.summary, setup.spec.sweep.gates) if gates
                                else unchecked_gates())
    if baseline is not None:
        outcome.summary["baseline"] = compare_with_baseline(outcome.summary, baseline)
    write_json(out_dir / "sweep_summary.json", outcome.summary)
    parity = outcome.extra["parity"]
    if not parity.ok:
        raise SweepParityError(
            f"sweep parity failed: combination {parity.worst_combo} ends at "
            f"{parity.fast_value!r} in the fast path but {parity.vectorbt_value!r} in vectorbt "
            f"(relative gap {parity.max_rel:.3g} > 1e-9); the fast simulator does not reproduce "
            f"this config: please report it (outputs kept in {out_dir})")
    return outcome


def _after_chunks(setup: SweepSetup, swept: ChunkResult, out_dir: Path) -> SweepOutcome:
    section, job, combos = setup.spec.sweep, setup.job, setup.combos
    metrics = swept.metrics
    eligible = eligible_mask(metrics, section.metric, tuple(constraint_bounds(section.constraints)))
    table = combos.copy()
    table.insert(0, "combo", np.arange(len(combos)))
    for j, name in enumerate(METRIC_NAMES):
        table[name] = metrics[:, j]
    table["final_value"] = swept.final_value
    table["eligible"] = eligible
    out_dir.mkdir(parents=True, exist_ok=True)
    write_sweep_table(out_dir, table)
    best = select_best(metrics, section.metric, eligible)
    if best < 0:
        raise InputError(f"sweep: none of the {len(combos)} combinations meets sweep.constraints "
                         f"with a finite {section.metric}; loosen the constraints (the metrics "
                         f"of every combination are in {out_dir / 'sweep.csv'})")
    chosen = _walk_forward_picks(swept.window_scores, setup.windows)
    parity_rows = parity_sample(len(combos), best, section.parity_samples, section.seed)
    pbo_rows = pbo_sample(eligible, best, section.pbo_max_combos, section.seed)
    median = _median_combo(metrics[:, METRIC_NAMES.index(section.metric)], eligible)
    rows = np.unique(np.r_[best, median, parity_rows, pbo_rows, chosen].astype(np.int64))
    built = build_weight_grid(job.context, job.rule, job.params, job.rebalance,
                              combos=combos.iloc[rows])
    rerun = run_sweep(job.plan, built.weights, job.fees, job.slippage, keep=np.arange(len(rows)),
                      risk_free_daily=job.risk_free_daily)
    if not np.array_equal(rerun.final_value, swept.final_value[rows]):
        raise RuntimeError("sweep rerun differs from its chunk results: non-deterministic kernel")
    position = {int(combo): i for i, combo in enumerate(rows)}
    stats = overfitting_stats(metrics, eligible, section.metric, rerun.returns[position[best]],
                              rerun.returns[[position[int(c)] for c in pbo_rows]],
                              section.pbo_splits, job.risk_free_daily, section.seed)
    frames = {int(c): built.frame(position[int(c)]) for c in np.r_[best, parity_rows]}
    parity = check_parity(job.context.prices, frames, setup.costs, job.plan.start,
                          swept.final_value, metrics, job.risk_free_daily)
    walk, walk_table = None, None
    if setup.windows:
        candidates = np.unique(chosen)
        walk = stitch_walk_forward(setup, rerun.returns[[position[int(c)] for c in candidates]],
                                   candidates, chosen)
        walk_table = walk_forward_files(setup, walk, out_dir)
    summary = build_summary(setup, table, best, eligible, stats, parity, walk, pbo_rows)
    curves = pd.DataFrame({"winner": rerun.returns[position[best]],
                           "median": rerun.returns[position[median]]}, index=setup.sessions)
    return SweepOutcome(summary, table, None if stats.pbo is None else stats.pbo.logits, walk,
                        walk_table, out_dir, {"parity": parity, "overfitting": stats},
                        curves, median)


def _median_combo(scores: np.ndarray, eligible: np.ndarray) -> int:
    """The eligible combination at the median of the selection metric (the lower middle one of
    an even count; ties by combination index): what a typical choice from the grid earned."""
    candidates = np.flatnonzero(eligible & np.isfinite(scores))
    ordered = candidates[np.argsort(scores[candidates], kind="stable")]
    return int(ordered[(len(ordered) - 1) // 2])


def _walk_forward_picks(scores: np.ndarray, windows: list) -> np.ndarray:
    """Per walk-forward window, the best-scoring combination on its train window (first on ties);
    computed from the chunks' train-window scores only."""
    picks = []
    for w, (a, b, _, _) in enumerate(windows):
        column = scores[:, w]
        if not np.isfinite(column).any():
            raise InputError(f"walk_forward: no combination meets sweep.constraints on the train "
                             f"window of sessions {a}..{b - 1}; loosen the constraints or "
                             "lengthen walk_forward.train")
        picks.append(int(np.argmax(np.where(np.isfinite(column), column, -np.inf))))
    return np.asarray(picks, dtype=np.int64)
