"""Sweep throughput on workload W1: liqbt end to end vs vectorbt's Portfolio vs bt.

W1: 6 sleeves (SPY, IWM, QQQ, GLD, IEF and T-bills from DTB3) over the last 5,000 sessions of the
snapshot, monthly rebalance, lag 1, 5 bp fees; the weights are the `gold` rule's grid
(base_weight x overweight x rising_above on the policy stance and the net-liquidity z-score), so
they differ per combination as in a real sweep.

(a) liqbt: `prepare_sweep` + `run_configured_sweep` (what `liqbt sweep` runs after loading data):
    weight building per chunk, the numba simulation, metrics, checkpoints; the rate is over the
    chunk loop (numba warm-up excluded); the fixed after-phase (selection, DSR, PBO, parity through
    vectorbt) is timed apart.
(b) vectorbt 1.2.0: `Portfolio.from_orders` on the same weights, batched (`--vectorbt-batch`
    combinations per call: columns tiled per combination, grouped with cash sharing), then
    `returns()`, order records and the same eight metrics; per-combination rate on a subsample.
(c) bt 1.4.1: a target-weight algo (weights at their execution dates) + `bt.algos.Rebalance`,
    commissions 5 bp of traded notional, fractional positions; per-combination rate on a
    subsample.

Prints a table and, last, one JSON line: {"combos", "liqbt_combos_per_s",
"vectorbt_combos_per_s", "bt_combos_per_s", "parity_max_rel", "peak_rss_mb"} (peak RSS measured
right after the liqbt phase). `--memory 100000` runs the liqbt path alone for 100,000 combinations.

    python benchmarks/sweep_throughput.py --combos 1000 [--snapshot DIR]
    python benchmarks/sweep_throughput.py --memory 100000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backtests.metrics import METRIC_NAMES, summary_metrics  # noqa: E402
from backtests.sweep import prepare_sweep, run_configured_sweep  # noqa: E402
from feeds.bundle import BUNDLED_DIR
from liqbt.config import RunConfig  # noqa: E402
from liqbt.run import build_panel, compute_configured_signals, sweep_spec  # noqa: E402
from strategies import build_weight_grid  # noqa: E402

SESSIONS = 5000
FEES_BPS = 5.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _axes(combos: int) -> tuple[int, int, int]:
    """a x b x c = combos with the three as even as the factors allow (else >= combos)."""
    for a in range(round(combos ** (1 / 3)), 1, -1):
        if combos % a == 0:
            rest = combos // a
            b = next(d for d in range(int(rest ** 0.5), 0, -1) if rest % d == 0)
            if b >= 2:
                return a, b, rest // b
    side = max(2, round(combos ** (1 / 3)))
    return side, side, math.ceil(combos / side ** 2)


def grid_for(combos: int) -> dict[str, list[float]]:
    """base_weight x overweight x rising_above with `combos` combinations (when it factors)."""
    a, b, c = _axes(combos)
    return {"base_weight": [round(v, 6) for v in np.linspace(0.0, 0.3, a)],
            "overweight": [round(v, 6) for v in np.linspace(0.31, 0.9, b)],
            "rising_above": [round(v, 6) for v in np.linspace(-1.5, 1.5, c)]}


def w1_config(start: str | None, grid: dict, chunk: int) -> RunConfig:
    return RunConfig.model_validate({
        "name": "w1", "data": {"start": start},
        "universe": {"equities": "SPY", "small_caps": "IWM", "tech": "QQQ", "gold": "GLD",
                     "treasuries": "IEF", "cash": {"tbill": "DTB3"}},
        "signals": {"stance": {"fn": "policy_stance"},
                    "net_liquidity_z": {"fn": "net_liquidity_z",
                                        "params": {"weeks": 4, "z_weeks": 52}}},
        "strategies": [{"name": "gold", "rule": "gold", "rebalance": "monthly", "params": {
            "gold_sleeve": "gold", "stance_signal": "stance",
            "liquidity_signal": "net_liquidity_z",
            "rest": {"equities": 0.35, "small_caps": 0.1, "tech": 0.15, "treasuries": 0.3,
                     "cash": 0.1}}}],
        "costs": {"fees_bps": FEES_BPS}, "execution": {"lag_days": 1},
        "sweep": {"strategy": "gold", "grid": grid, "metric": "sharpe", "chunk": chunk}})


def w1_inputs(snapshot: Path, grid: dict, chunk: int):
    """(config, panel, signals) with the backtest window = the last SESSIONS sessions."""
    probe = build_panel(w1_config(None, grid, chunk), snapshot)
    start = str(probe.sessions[-SESSIONS].date())
    config = w1_config(start, grid, chunk)
    panel = build_panel(config, snapshot)
    return config, panel, compute_configured_signals(config, panel)


def metrics_matrix(returns: np.ndarray, traded: np.ndarray) -> np.ndarray:
    """The eight metrics for each column of (T, B) returns, as backtests.metrics defines them."""
    return np.array([[summary_metrics(returns[:, b], traded[:, b])[m] for m in METRIC_NAMES]
                     for b in range(returns.shape[1])])


def vectorbt_batch(prices: pd.DataFrame, weights: np.ndarray, decisions: np.ndarray,
                   start: int) -> tuple[np.ndarray, np.ndarray]:
    """Final values and metrics of B combinations in one from_orders call."""
    import vectorbt as vbt

    vbt.settings.returns["year_freq"] = "252 days"
    n_combos, _, n_sleeves = weights.shape
    close = prices.iloc[start:]
    size = np.full((len(prices), n_combos * n_sleeves), np.nan)
    executions = decisions + 1
    inside = executions < len(prices)
    size[executions[inside]] = weights[:, inside, :].transpose(1, 0, 2).reshape(inside.sum(), -1)
    portfolio = vbt.Portfolio.from_orders(
        close=np.tile(close.to_numpy(), n_combos), size=size[start:],
        size_type="targetpercent", group_by=np.repeat(np.arange(n_combos), n_sleeves),
        cash_sharing=True, call_seq="auto", fees=FEES_BPS / 1e4, init_cash=1_000_000.0,
        freq="1D")
    value = portfolio.value().to_numpy()
    returns = portfolio.returns().to_numpy()
    records = portfolio.orders.values
    notional = np.zeros_like(value)
    np.add.at(notional, (records["idx"], records["col"] // n_sleeves),
              np.abs(records["size"] * records["price"]))
    traded = np.divide(notional, value, out=np.zeros_like(notional), where=value > 0)
    return value[-1], metrics_matrix(returns, traded)


def run_bt(prices: pd.DataFrame, weights: np.ndarray, decisions: np.ndarray, start: int
           ) -> float:
    """One combination through bt 1.4.1; returns its final value."""
    import bt

    class TargetWeights(bt.Algo):
        """Sets temp['weights'] on execution dates from a precomputed frame."""

        def __init__(self, frame: pd.DataFrame):
            super().__init__()
            self.frame = frame

        def __call__(self, target) -> bool:
            if target.now not in self.frame.index:
                return False
            target.temp["weights"] = self.frame.loc[target.now].to_dict()
            return True

    window = prices.iloc[start:]
    executions = decisions + 1
    inside = (executions >= start) & (executions < len(prices))
    frame = pd.DataFrame(weights[inside], index=prices.index[executions[inside]],
                         columns=prices.columns)
    strategy = bt.Strategy("w1", [TargetWeights(frame), bt.algos.Rebalance()])
    test = bt.Backtest(strategy, window, commissions=lambda q, p: abs(q) * p * FEES_BPS / 1e4,
                       integer_positions=False, initial_capital=1_000_000.0)
    result = bt.run(test)
    return float(result.prices.iloc[-1, 0] / 100.0 * 1_000_000.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--combos", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=None,
                        help="liqbt path only, report peak RSS for this many combinations")
    parser.add_argument("--snapshot", default=os.environ.get("LIQBT_SNAPSHOT", str(BUNDLED_DIR)))
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--vectorbt-combos", type=int, default=500)
    parser.add_argument("--vectorbt-batch", type=int, default=100)
    parser.add_argument("--bt-combos", type=int, default=10)
    args = parser.parse_args()
    memory_mode = args.memory is not None
    grid = grid_for(args.memory if memory_mode else args.combos)

    began = time.perf_counter()
    config, panel, signals = w1_inputs(Path(args.snapshot), grid, args.chunk)
    load_s = time.perf_counter() - began
    rss_loaded = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        setup = prepare_sweep(sweep_spec(config), panel, signals)
        outcome = run_configured_sweep(setup, Path(folder))
        liqbt_wall = time.perf_counter() - began
    summary = outcome.summary
    combos = summary["combos"]
    liqbt_rate = summary["combos_per_s"]
    liqbt_rss = peak_rss_mb()
    parity = summary["parity_max_rel"]
    timing = summary["elapsed_s"]
    window = setup.sessions
    lines = [f"W1: {panel.sleeve_prices.shape[1]} sleeves x {len(window)} sessions "
             f"({window[0].date()} .. {window[-1].date()}), {setup.job.plan.n_decisions} monthly "
             f"decisions, {FEES_BPS:g} bp fees, gold-rule grid "
             + " x ".join(str(len(v)) for v in grid.values())
             + f"; data + signals {load_s:.1f} s (not timed below); load "
             f"{os.getloadavg()[0]:.2f} (1-min) on {os.cpu_count()} cores",
             f"{'engine':<36}{'combos':>9}{'seconds':>10}{'combos/s':>11}",
             f"{'liqbt sweep (chunks: weights+sim+metrics)':<36}{combos:>9}"
             f"{timing['chunks']:>10.3f}{liqbt_rate:>11.0f}",
             f"{'  + warm-up / after-phase / total':<36}{'':>9}"
             f"{timing['warmup']:>10.2f}{'':>11}  after {timing['after']:.2f} s, "
             f"wall {liqbt_wall:.2f} s",
             f"liqbt peak RSS {liqbt_rss:.0f} MB (after loading data {rss_loaded:.0f} MB); "
             f"parity of the sweep's winner + 5 through vectorbt: {parity:.2g}"]
    vectorbt_rate = bt_rate = None
    if not memory_mode:
        rows = np.arange(min(args.vectorbt_combos, combos))
        job = setup.job
        built = build_weight_grid(job.context, job.rule, job.params, job.rebalance,
                                  combos=setup.combos.iloc[rows])
        prices = panel.sleeve_prices
        decisions = built.decision_idx
        vectorbt_batch(prices, built.weights[:2], decisions, job.plan.start)   # compile/warm
        began = time.perf_counter()
        finals, gaps = [], []
        for lo in range(0, len(rows), args.vectorbt_batch):
            final, metrics = vectorbt_batch(prices, built.weights[lo: lo + args.vectorbt_batch],
                                            decisions, job.plan.start)
            finals.append(final)
            ours = outcome.table.iloc[rows[lo: lo + args.vectorbt_batch]]
            gaps.append(np.nanmax(np.abs(metrics - ours[list(METRIC_NAMES)].to_numpy())
                                  / np.maximum(np.abs(metrics), 1e-12)))
        vectorbt_s = time.perf_counter() - began
        vectorbt_rate = len(rows) / vectorbt_s
        finals = np.concatenate(finals)
        ours_final = outcome.table["final_value"].to_numpy()[rows]
        batch_parity = float(np.max(np.abs(finals - ours_final) / np.abs(finals)))
        parity = max(parity, batch_parity)
        bt_rows = rows[: args.bt_combos]
        began = time.perf_counter()
        bt_finals = [run_bt(prices, built.weights[k], decisions, job.plan.start) for k in bt_rows]
        bt_s = time.perf_counter() - began
        bt_rate = len(bt_rows) / bt_s
        bt_gap = float(np.max(np.abs(np.array(bt_finals) - ours_final[: len(bt_rows)])
                              / ours_final[: len(bt_rows)]))
        lines[3:3] = [
            f"{f'vectorbt from_orders ({args.vectorbt_batch}/call)':<36}{len(rows):>9}"
            f"{vectorbt_s:>10.3f}{vectorbt_rate:>11.1f}",
            f"{'bt 1.4.1 (target weights + Rebalance)':<36}{len(bt_rows):>9}{bt_s:>10.3f}"
            f"{bt_rate:>11.2f}"]
        lines += [f"liqbt / vectorbt {liqbt_rate / vectorbt_rate:.0f}x, liqbt / bt "
                  f"{liqbt_rate / bt_rate:.0f}x; vectorbt batch parity: final value "
                  f"{batch_parity:.2g}, metrics {max(gaps):.2g}; bt final value vs liqbt "
                  f"{bt_gap:.2g} (bt books commissions differently; not a parity check)"]
    print("\n".join(lines))
    print(json.dumps({"combos": combos,
                      "liqbt_combos_per_s": round(liqbt_rate, 1),
                      "vectorbt_combos_per_s": None if vectorbt_rate is None
                      else round(vectorbt_rate, 2),
                      "bt_combos_per_s": None if bt_rate is None else round(bt_rate, 3),
                      "parity_max_rel": parity, "peak_rss_mb": round(liqbt_rss)}))


if __name__ == "__main__":
    main()
