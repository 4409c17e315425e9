"""A claim tested as a rule against its benchmark, out of sample.

1. Build the rule's weights over the claim's small parameter grid (the configured parameters are
   the base; K = 1 without a grid) and simulate every combination with the fast sweep, which is
   bit-identical to the vectorbt run.
2. Excess returns: every return minus the risk-free sleeve's daily return (T-bills), so a rule
   that sits in cash has Sharpe 0 and the Sharpe difference measures what the claim adds.
3. Walk-forward: on each train window pick the combination with the best train-window metric,
   hold it over the next test window, stitch those test windows. Without a grid nothing is fitted
   and the whole backtest is out of sample.
4. Compare the stitched out-of-sample excess returns with the benchmark's over the same sessions:
   annualised Sharpe difference with a paired stationary-bootstrap CI and one-sided p-value, the
   HAC t-stat of the mean excess, and the deflated Sharpe ratio of the full-sample best
   combination (trials = grid size).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from backtests.metrics import TRADING_DAYS, summary_metrics
from backtests.overfitting import deflated_sharpe_of_returns, trial_sharpe_variance
from backtests.results import RunResult
from backtests.sweep.simulate import prepare_plan, run_sweep
from backtests.verdict.config import BacktestClaim, VerdictSection
from backtests.verdict.inference import (
    annualised_sharpe, bootstrap_sharpe_difference, excess_return_tstat,
)
from backtests.walk_forward import walk_forward
from feeds.errors import DataError
from strategies import build_weight_grid

RISK_FREE = "risk_free"


def risk_free_returns(run: RunResult, section: VerdictSection) -> pd.Series:
    """Daily return of the risk-free sleeve over the backtest window (0 without one)."""
    panel = run.panel
    window = panel.sessions[panel.start_position:]
    if section.risk_free_sleeve is None:
        return pd.Series(0.0, index=window)
    prices = panel.sleeve_prices[section.risk_free_sleeve].iloc[panel.start_position:]
    return prices.pct_change(fill_method=None).fillna(0.0)


def grid_returns(run: RunResult, strategy_name: str, grid: dict[str, list[float]]
                 ) -> tuple[np.ndarray, pd.DataFrame]:
    """Daily returns (K, sessions) of every grid combination of a configured strategy; without a
    grid, the run's own (vectorbt) returns of that strategy."""
    if not grid:
        return run.strategies[strategy_name].returns.to_numpy()[None, :], pd.DataFrame(index=[0])
    spec, context, panel = run.spec, run.context, run.panel
    strategy = spec.strategy(strategy_name)
    built = build_weight_grid(context, strategy.rule, strategy.params, strategy.rebalance, grid)
    plan = prepare_plan(panel.sleeve_prices.to_numpy(dtype=float), built.decision_idx,
                        spec.execution.lag_days, panel.start_position)
    result = run_sweep(plan, built.weights, spec.costs.fees_bps / 1e4,
                       spec.costs.slippage_bps / 1e4, keep=np.arange(built.size))
    return result.returns, built.combos


def benchmark_excess(run: RunResult, claim: BacktestClaim, rf: pd.Series) -> pd.Series:
    if claim.benchmark == RISK_FREE:
        return pd.Series(0.0, index=rf.index)
    return run.strategies[claim.benchmark].returns - rf


def comparison(rule_excess: np.ndarray, bench_excess: np.ndarray, section: VerdictSection) -> dict:
    """Sharpe of each, their difference with bootstrap CI and p-value, HAC t-stat of the excess."""
    diff = bootstrap_sharpe_difference(rule_excess, bench_excess, section.n_boot,
                                       section.mean_block, section.confidence, section.seed)
    return {
        "sessions": int(len(rule_excess)),
        "sharpe_rule": float(annualised_sharpe(rule_excess)),
        "sharpe_benchmark": float(annualised_sharpe(bench_excess)),
        **diff.as_dict(),
        "t_stat_excess": excess_return_tstat(rule_excess, bench_excess),
        "ann_excess_return": float(np.mean(rule_excess - bench_excess) * TRADING_DAYS),
    }


def since_window(run: RunResult, claim: BacktestClaim, rf: pd.Series, section: VerdictSection
                 ) -> dict:
    """The configured rule vs its benchmark since the articles (informational: too short to test)."""
    if section.since is None:
        return {}
    start = pd.Timestamp(section.since)
    rule = run.strategies[claim.strategy].returns.loc[start:]
    bench = (rf.loc[start:] if claim.benchmark == RISK_FREE
             else run.strategies[claim.benchmark].returns.loc[start:])
    if len(rule) < 2:
        return {"since": str(start.date()), "sessions": int(len(rule))}
    return {"since": str(start.date()), "sessions": int(len(rule)),
            "total_return_rule": float(np.prod(1 + rule) - 1),
            "total_return_benchmark": float(np.prod(1 + bench) - 1)}


def evaluate_backtest_claim(run: RunResult, claim: BacktestClaim, section: VerdictSection
                            ) -> dict:
    """Metrics of a `backtest` claim (see the module docstring); the verdict is decided later."""
    rf = risk_free_returns(run, section)
    returns, combos = grid_returns(run, claim.strategy, claim.grid)
    excess = returns - rf.to_numpy()[None, :]
    bench = benchmark_excess(run, claim, rf).to_numpy()
    sharpes = annualised_sharpe(excess, axis=1)
    best = int(np.nanargmax(np.where(np.isfinite(sharpes), sharpes, -np.inf)))
    dsr = deflated_sharpe_of_returns(excess[best], len(combos), trial_sharpe_variance(sharpes))
    metrics: dict = {"grid_size": int(len(combos)), "dsr_full_sample_best": dsr.dsr,
                     "full_sample_best": {k: float(v) for k, v in combos.iloc[best].items()}}
    if len(combos) > 1:
        spec = section.walk_forward
        try:
            wf = walk_forward(excess.T, spec.train, spec.test, spec.step, spec.embargo,
                              spec.metric, lag=run.spec.execution.lag_days)
        except ValueError as exc:
            raise DataError(f"verdict claim {claim.id}: {exc}; shorten verdict.walk_forward or "
                            "widen data.start/data.end") from None
        rule_oos, positions = wf.oos_returns, wf.oos_positions
        metrics["walk_forward"] = {"windows": len(wf.windows), "train": spec.train,
                                   "test": spec.test, "embargo": spec.embargo,
                                   "chosen": [int(w.chosen) for w in wf.windows]}
        metrics["in_sample_sharpe_mean"] = float(wf.in_sample["sharpe"])
    else:
        rule_oos, positions = excess[0], np.arange(excess.shape[1])
    sessions = rf.index[positions]
    metrics["out_of_sample"] = {"first": str(sessions[0].date()), "last": str(sessions[-1].date()),
                                **comparison(rule_oos, bench[positions], section)}
    # Ratios on excess returns (as everywhere on the verdict page); total return and CAGR on the
    # rule's own returns.
    metrics["oos_rule_excess_metrics"] = summary_metrics(rule_oos)
    metrics["since_articles"] = since_window(run, claim, rf, section)
    return metrics
