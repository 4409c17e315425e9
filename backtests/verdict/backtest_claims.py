"""A claim tested as a rule against its benchmark, out of sample, across its specification set.

For every specification (the primary = the claim as configured, then each declared alternative):
1. Build the rule's weights over the claim's small parameter grid and simulate every combination
   with the sweep kernel (bit-identical with the vectorbt run).
2. Excess returns: every return minus the run's risk-free (`RunResult.risk_free_returns()`: the
   T-bill sleeve in article.yaml), so a rule sitting in bills has Sharpe 0.
3. Walk-forward: on each train window pick the combination with the best train-window metric,
   hold it over the next test window, stitch the test windows. Without any grid nothing is fitted
   and the whole backtest is out of sample.
4. Compare the stitched out-of-sample excess returns with the benchmark's on the same sessions:
   annualised Sharpe difference with a paired stationary-bootstrap CI and one-sided p-value (all
   specifications on common resamples), the HAC t-stat of the mean excess.

Then, for what is claimed (rule minus benchmark):
- DSR of the primary's out-of-sample difference, trials = every grid combination of every
  specification (their full-sample rule-minus-benchmark Sharpes give the trial variance);
- PBO by CSCV on the primary's grid (rule minus benchmark daily returns);
- the result on the real-product window when a sleeve is synthetic for part of the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from backtests.metrics import TRADING_DAYS, summary_metrics
from backtests.overfitting import deflated_sharpe_of_returns, pbo_cscv, trial_sharpe_variance
from backtests.results import RunResult
from backtests.verdict.config import BacktestClaim, VerdictSection
from backtests.verdict.inference import (
    annualised_sharpe, bootstrap_sharpe_differences, excess_return_tstat,
)
from backtests.verdict.specs import (
    FROM_START, SpecInputs, Variant, benchmark_returns, grid_returns, real_product_start,
    sleeves_of, variants_of,
)
from backtests.walk_forward import plan_windows, score_columns
from feeds.errors import DataError


@dataclass
class _Evaluated:
    """One specification: its grid's daily returns (K, n) and excess (K, n), the benchmark's
    excess (n,), then its stitched out-of-sample excess and their session positions."""

    variant: Variant
    returns: np.ndarray
    combos: pd.DataFrame
    excess: np.ndarray
    bench_excess: np.ndarray
    benchmark: str
    oos: np.ndarray | None = None
    positions: np.ndarray | None = None
    walk: dict = field(default_factory=dict)


def _walk_all(evaluated: list[_Evaluated], claim: BacktestClaim, section: VerdictSection,
              lag: int) -> None:
    """Walk-forward of every specification at once (module docstring, step 3): each train window
    scores all specifications' combinations in one kernel call, each specification picks its
    own best, and all share the same out-of-sample sessions. Without any grid, the whole
    backtest is out of sample."""
    n = evaluated[0].excess.shape[1]
    if all(len(item.combos) == 1 for item in evaluated):
        for item in evaluated:
            item.oos, item.positions = item.excess[0], np.arange(n)
        return
    spec = section.walk_forward
    windows = plan_windows(n, spec.train, spec.test, spec.step, spec.embargo, lag=lag)
    if not windows:
        raise DataError(f"verdict claim {claim.id}: no walk-forward window fits {n} sessions "
                        f"(train {spec.train}, embargo {spec.embargo}); shorten "
                        "verdict.walk_forward or widen data.start/data.end")
    stacked = np.concatenate([item.excess for item in evaluated]).T   # (n, sum K)
    bounds = np.cumsum([0] + [len(item.combos) for item in evaluated])
    picks = np.empty((len(windows), len(evaluated)), dtype=np.int64)
    in_sample = np.empty((len(windows), len(evaluated)))
    for w, (a, b, _, _) in enumerate(windows):
        scores = score_columns(stacked[a:b], spec.metric)
        sharpes = scores if spec.metric == "sharpe" else score_columns(stacked[a:b], "sharpe")
        for j in range(len(evaluated)):
            own = scores[bounds[j]:bounds[j + 1]]
            if not np.isfinite(own).any():
                raise DataError(f"verdict claim {claim.id}, specification "
                                f"{evaluated[j].variant.name}: no combination has a finite "
                                f"{spec.metric} on the train window of sessions {a}..{b - 1}")
            picks[w, j] = int(np.nanargmax(np.where(np.isfinite(own), own, np.nan)))
            in_sample[w, j] = sharpes[bounds[j] + picks[w, j]]
    positions = np.concatenate([np.arange(c, d) for _, _, c, d in windows])
    for j, item in enumerate(evaluated):
        item.positions = positions
        item.oos = np.concatenate([item.excess[picks[w, j], c:d]
                                   for w, (_, _, c, d) in enumerate(windows)])
        item.walk = {"windows": len(windows), "train": spec.train, "test": spec.test,
                     "embargo": spec.embargo, "chosen": picks[:, j].tolist(),
                     "test_starts": [int(c) for _, _, c, _ in windows],
                     "in_sample_sharpe_mean": float(np.nanmean(in_sample[:, j]))}


def comparisons(rule: np.ndarray, bench: np.ndarray, section: VerdictSection) -> list[dict]:
    """Per column of (n, m) excess returns: Sharpes, difference with CI and p, HAC t-stat."""
    differences = bootstrap_sharpe_differences(rule, bench, section.n_boot, section.mean_block,
                                               section.confidence, section.seed)
    return [{"sessions": int(rule.shape[0]),
             "sharpe_rule": float(annualised_sharpe(rule[:, j])),
             "sharpe_benchmark": float(annualised_sharpe(bench[:, j])),
             **difference.as_dict(),
             "t_stat_excess": excess_return_tstat(rule[:, j], bench[:, j]),
             "ann_excess_return": float(np.mean(rule[:, j] - bench[:, j]) * TRADING_DAYS)}
            for j, difference in enumerate(differences)]


def _evaluate_variants(inputs: SpecInputs, claim: BacktestClaim, section: VerdictSection,
                       rf: pd.Series) -> list[_Evaluated]:
    run = inputs.run
    evaluated = []
    for variant in variants_of(claim.specifications):
        returns, combos = grid_returns(inputs, claim.strategy, claim.grid, variant)
        benchmark = variant.spec.benchmark or claim.benchmark
        bench = benchmark_returns(run, benchmark, rf).to_numpy() - rf.to_numpy()
        evaluated.append(_Evaluated(variant, returns, combos, returns - rf.to_numpy()[None, :],
                                    bench, benchmark))
    _walk_all(evaluated, claim, section, run.spec.execution.lag_days)
    return evaluated


def _spec_rows(evaluated: list[_Evaluated], section: VerdictSection, sessions: pd.DatetimeIndex
               ) -> list[dict]:
    """Every specification's out-of-sample comparison; those on the same sessions share their
    bootstrap resamples (common random numbers)."""
    rows: list[dict | None] = [None] * len(evaluated)
    groups: dict[bytes, list[int]] = {}
    for i, item in enumerate(evaluated):
        groups.setdefault(item.positions.tobytes(), []).append(i)
    for members in groups.values():
        positions = evaluated[members[0]].positions
        rule = np.column_stack([evaluated[i].oos for i in members])
        bench = np.column_stack([evaluated[i].bench_excess[positions] for i in members])
        for i, numbers in zip(members, comparisons(rule, bench, section)):
            item = evaluated[i]
            rows[i] = {"name": item.variant.name, "about": item.variant.about,
                       "primary": item.variant.primary, "grid_size": int(len(item.combos)),
                       "benchmark": item.benchmark, "first": str(sessions[positions[0]].date()),
                       "last": str(sessions[positions[-1]].date()), **numbers}
    return rows


def _dsr(evaluated: list[_Evaluated], primary: _Evaluated) -> dict:
    """DSR of the primary's OOS rule-minus-benchmark returns; trials = all grid combinations of
    all specifications, their variance from full-sample rule-minus-benchmark Sharpes."""
    trial_sharpes = np.concatenate([
        annualised_sharpe(item.excess - item.bench_excess[None, :], axis=1) for item in evaluated])
    variance = trial_sharpe_variance(trial_sharpes)
    difference = primary.oos - primary.bench_excess[primary.positions]
    deflated = deflated_sharpe_of_returns(difference, len(trial_sharpes), variance)
    return {"dsr": deflated.dsr, "psr": deflated.psr, "n_trials": deflated.n_trials,
            "grid_size": int(len(primary.combos)), "specifications": len(evaluated),
            "sharpe_per_period": deflated.sharpe,
            "expected_max_sharpe_per_period": deflated.expected_max_sharpe,
            "trial_sharpe_variance": variance, "n_obs": deflated.n_obs,
            "of": "primary out-of-sample rule minus benchmark"}


def _pbo(primary: _Evaluated, section: VerdictSection) -> dict:
    """PBO by CSCV of the primary's grid on rule-minus-benchmark daily returns."""
    size = len(primary.combos)
    if size < 2:
        return {"pbo": None, "grid_size": size, "note": "no grid: nothing is selected"}
    differences = (primary.excess - primary.bench_excess[None, :]).T
    result = pbo_cscv(differences, section.pbo_splits, "sharpe", seed=section.seed)
    return {"pbo": result.pbo, "grid_size": size, "n_splits": result.n_splits,
            "cscv_combinations": result.n_combinations, "statistic": "sharpe",
            "of": "rule minus benchmark"}


def _real_window(run: RunResult, claim: BacktestClaim, primary: _Evaluated,
                 section: VerdictSection, sessions: pd.DatetimeIndex) -> dict:
    """The primary's comparison on the sessions where every sleeve it can hold is real."""
    sleeves = sleeves_of(run, claim.strategy) | sleeves_of(run, claim.benchmark)
    start, never = real_product_start(run, sleeves)
    if never:
        return {"all_real": False, "synthetic_throughout": never}
    if start is FROM_START:
        return {"all_real": True}
    inside = sessions[primary.positions] >= start
    base = {"all_real": False, "from": str(start.date()), "sessions": int(inside.sum())}
    if inside.sum() < 30:
        return {**base, "note": "fewer than 30 out-of-sample sessions on real products"}
    bench = primary.bench_excess[primary.positions][inside]
    numbers = comparisons(primary.oos[inside][:, None], bench[:, None], section)[0]
    return {**base, **numbers}


def _chart(primary: _Evaluated, rf: pd.Series, section: VerdictSection) -> dict:
    """Out-of-sample cumulative return of rule over benchmark, with the walk-forward windows."""
    sessions = rf.index
    dates = sessions[primary.positions]
    rule = primary.oos + rf.to_numpy()[primary.positions]
    bench = primary.bench_excess[primary.positions] + rf.to_numpy()[primary.positions]
    relative = np.cumprod(1.0 + rule) / np.cumprod(1.0 + bench) - 1.0
    starts = [str(sessions[p].date()) for p in primary.walk.get("test_starts", [])]
    return {"dates": [str(d.date()) for d in dates], "cumulative_excess": relative.tolist(),
            "window_starts": starts,
            "since": None if section.since is None else str(section.since)}


def since_window(run: RunResult, claim: BacktestClaim, rf: pd.Series, section: VerdictSection
                 ) -> dict:
    """The configured rule vs its benchmark since the articles (informational: too short to test)."""
    if section.since is None:
        return {}
    start = pd.Timestamp(section.since)
    rule = run.strategies[claim.strategy].returns.loc[start:]
    bench = benchmark_returns(run, claim.benchmark, rf).loc[start:]
    if len(rule) < 2:
        return {"since": str(start.date()), "sessions": int(len(rule))}
    return {"since": str(start.date()), "sessions": int(len(rule)),
            "total_return_rule": float(np.prod(1 + rule) - 1),
            "total_return_benchmark": float(np.prod(1 + bench) - 1)}


def evaluate_backtest_claim(inputs: SpecInputs, claim: BacktestClaim, section: VerdictSection
                            ) -> dict:
    """Metrics of a `backtest` claim across its specifications (module docstring); the label is
    decided later, with the other claims' p-values."""
    run = inputs.run
    rf = run.risk_free_returns()
    evaluated = _evaluate_variants(inputs, claim, section, rf)
    primary = evaluated[0]
    sessions = rf.index
    specifications = _spec_rows(evaluated, section, sessions)
    oos = {key: value for key, value in specifications[0].items()
           if key not in ("name", "about", "primary", "grid_size", "benchmark")}
    metrics: dict = {"grid_size": int(len(primary.combos)), "out_of_sample": oos,
                     "oos_rule_excess_metrics": summary_metrics(primary.oos),
                     "since_articles": since_window(run, claim, rf, section)}
    if primary.walk:
        metrics["walk_forward"] = {k: v for k, v in primary.walk.items() if k != "test_starts"}
        metrics["in_sample_sharpe_mean"] = primary.walk["in_sample_sharpe_mean"]
    return {"metrics": metrics, "specifications": specifications,
            "dsr": _dsr(evaluated, primary), "pbo": _pbo(primary, section),
            "real_product_window": _real_window(run, claim, primary, section, sessions),
            "chart": _chart(primary, rf, section)}
