"""The sweep's summary (`sweep_summary.json`) and its walk-forward results.

Walk-forward in a sweep: the chunks scored every combination on every train window; the pick of
each window is the best of those scores. Only the picked combinations' daily returns are then
regenerated, and `backtests.walk_forward.walk_forward` runs on them with the same scoring, which
must reproduce the same picks (it selects from train rows only) and stitches the out-of-sample
returns. Files: `walk_forward.csv` (one row per window: train/test dates, the pick and its
parameters, its train-window score) and `walk_forward_returns.csv` (`date`, `oos_return`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from backtests.config import metric_sense
from backtests.metrics import METRIC_NAMES
from backtests.sweep.chunks import window_scores
from backtests.sweep.selection import PARITY_TOLERANCE, Overfitting, Parity, pbo_statistic
from backtests.walk_forward import WalkForwardResult, walk_forward
from feeds.atomic import write_text_atomic
from strategies import get_rule


def native_params(rule: str, row: pd.Series) -> dict:
    """A combinations-table row as {parameter: value}, ints where the rule declares ints."""
    fields = get_rule(rule).params.model_fields
    return {name: (int(value) if fields[name].annotation is int else float(value))
            for name, value in row.items()}


def stitch_walk_forward(setup, candidate_returns: np.ndarray, candidates: np.ndarray,
                        picks: np.ndarray) -> WalkForwardResult:
    """Walk-forward over the picked combinations' returns (C, n); windows report combo indices."""
    job, wf = setup.job, setup.spec.walk_forward
    # walk_forward calls `select` once per window, in order: the windows' train ranges say which
    # sessions' risk-free returns each train matrix is scored against.
    train_ranges = iter([(a, b) for a, b, _, _ in setup.windows])

    def select(train: np.ndarray) -> np.ndarray:
        a, b = next(train_ranges)
        return window_scores(np.asarray(train).T, ((0, b - a),), job.metric,
                             job.window_bounds, job.risk_free_daily[a:b])[:, 0]

    frame = pd.DataFrame(candidate_returns.T, index=setup.sessions)
    result = walk_forward(frame, wf.train, wf.test, wf.step, wf.embargo, select=select,
                          lag=setup.spec.execution.lag_days, risk_free_daily=job.risk_free_daily)
    windows = [replace(w, chosen=int(candidates[w.chosen])) for w in result.windows]
    if [w.chosen for w in windows] != [int(p) for p in picks]:
        raise RuntimeError("walk-forward picks differ from the chunks' train-window scores")
    return replace(result, windows=windows)


def walk_forward_files(setup, result: WalkForwardResult, out_dir: Path) -> pd.DataFrame:
    """Write walk_forward.csv and walk_forward_returns.csv; return the windows table."""
    table = result.table()
    table["train_to"] = setup.sessions[table["train_stop"] - 1]
    params = pd.DataFrame([native_params(setup.job.rule, setup.combos.iloc[c])
                           for c in table["chosen"]], index=table.index)
    table = pd.concat([table, params], axis=1).rename(columns={"chosen": "combo"})
    first = ["train_from", "train_to", "test_from", "test_to", "combo", *params.columns,
             "in_sample_score"]
    table = table[first + [c for c in table.columns if c not in first]]
    write_text_atomic(out_dir / "walk_forward.csv", table.to_csv(index=False))
    returns = result.oos_series().rename("oos_return")
    returns.index.name = "date"
    write_text_atomic(out_dir / "walk_forward_returns.csv", returns.to_csv())
    return table


def _histogram(logits: np.ndarray) -> dict:
    finite = logits[np.isfinite(logits)]
    if not len(finite):
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(finite, bins=30)
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def build_summary(setup, table: pd.DataFrame, best: int, eligible: np.ndarray,
                  stats: Overfitting, parity: Parity, walk: WalkForwardResult | None,
                  pbo_rows: np.ndarray) -> dict:
    """sweep_summary.json without the run facts (timing, chunks, engine) the caller adds."""
    spec, section, job = setup.spec, setup.spec.sweep, setup.job
    row = table.iloc[best]
    deflated, pbo = stats.deflated, stats.pbo
    summary = {
        "config": spec.name, "strategy": section.strategy, "rule": job.rule,
        "rebalance": job.rebalance, "grid": section.grid, "metric": section.metric,
        "metric_sense": metric_sense(section.metric),
        "constraints": {k: v for k, v in section.constraints.model_dump().items()
                        if v is not None},
        "combos": int(len(table)), "n_eligible": int(eligible.sum()), "seed": section.seed,
        "sessions": {"first": str(setup.sessions[0].date()), "last": str(setup.sessions[-1].date()),
                     "count": int(len(setup.sessions))},
        "fees_bps": spec.costs.fees_bps, "slippage_bps": spec.costs.slippage_bps,
        "lag_days": spec.execution.lag_days,
        "risk_free": spec.risk_free.record(),
        "heatmap": section.heatmap_axes(),
        "best": {"combo": int(best),
                 "params": native_params(job.rule, setup.combos.iloc[best]),
                 "metrics": {name: float(row[name]) for name in METRIC_NAMES},
                 "final_value": float(row["final_value"])},
        "deflated_sharpe": deflated.dsr,
        "deflated_sharpe_detail": {
            "psr": deflated.psr, "sharpe_per_period": deflated.sharpe,
            "expected_max_sharpe_per_period": deflated.expected_max_sharpe,
            "n_trials": deflated.n_trials, "trial_sharpe_variance": deflated.trial_sharpe_variance,
            "skew": deflated.skew, "kurtosis": deflated.kurtosis, "n_obs": deflated.n_obs},
        "pbo": None if pbo is None else pbo.pbo,
        "pbo_detail": {
            "statistic": pbo_statistic(section.metric), "n_splits": section.pbo_splits,
            "sample_size": int(len(pbo_rows)), "max_sample": section.pbo_max_combos,
            "subsampled": bool(len(pbo_rows) < eligible.sum()), "note": stats.pbo_note,
            "n_combinations": None if pbo is None else pbo.n_combinations,
            "exhaustive": None if pbo is None else pbo.exhaustive,
            "logit_median": None if pbo is None else float(np.median(pbo.logits)),
            "logit_histogram": None if pbo is None else _histogram(pbo.logits)},
        "parity_max_rel": parity.max_rel,
        "parity": {"combos": parity.combos, "tolerance": PARITY_TOLERANCE, "ok": parity.ok,
                   "worst_combo": parity.worst_combo, "metrics_max_rel": parity.metrics_max_rel},
        "walk_forward": None,
    }
    if walk is not None:
        wf = spec.walk_forward
        oos = walk.oos_series()
        summary["walk_forward"] = {
            "train": wf.train, "test": wf.test, "step": wf.step or wf.test,
            "embargo": wf.embargo, "windows": len(walk.windows),
            "distinct_picks": len({w.chosen for w in walk.windows}),
            "oos_first": str(oos.index[0].date()), "oos_last": str(oos.index[-1].date()),
            "oos_sessions": int(len(oos)),
            "in_sample": walk.in_sample, "out_of_sample": walk.out_of_sample,
            "constraints_on_train_windows": [b[0] for b in job.window_bounds]}
    return summary
