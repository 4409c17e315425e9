"""Throughput of the sweep kernel on W1-like work, beside vectorbt's Portfolio path.

W1-like: 6 sleeves x 5,000 sessions of random log-normal prices, month-start decisions (every 21
sessions), 5 bp fees, random long-only weight sets (half fully invested). Times are wall-clock,
best of --repeats, after a warm-up call (numba compile / cache load excluded and printed apart).
Prints a table and, last, one JSON line. Nothing here is asserted: speed depends on the machine.

    python benchmarks/sweep_kernel_speed.py --combos 1000 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backtests.engine import ExecutionCosts, simulate  # noqa: E402
from backtests.sweep.simulate import prepare_plan, run_sweep  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def w1_market(sessions: int, sleeves: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0003, 0.011, size=(sessions, sleeves))
    index = pd.bdate_range("2005-01-03", periods=sessions)
    prices = pd.DataFrame(100 * np.exp(np.cumsum(steps, axis=0)), index=index,
                          columns=[f"sleeve_{j}" for j in range(sleeves)])
    return prices, np.arange(0, sessions, 21)


def random_weights(combos: int, decisions: int, sleeves: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(sleeves), size=(combos, decisions))
    weights[1::2] *= 0.9
    return weights


def best_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--combos", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--sleeves", type=int, default=6)
    parser.add_argument("--fees-bps", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--parity-sample", type=int, default=5)
    parser.add_argument("--vectorbt-combos", type=int, default=20,
                        help="combinations timed through vectorbt.Portfolio.from_orders")
    args = parser.parse_args()

    prices, decisions = w1_market(args.sessions, args.sleeves)
    fees = args.fees_bps / 1e4
    rss_start = peak_rss_mb()
    began = time.perf_counter()
    plan = prepare_plan(prices.to_numpy(), decisions, lag=1)
    run_sweep(plan, random_weights(2, len(decisions), args.sleeves, 0), fees)
    warmup = time.perf_counter() - began
    rows = []
    for combos in args.combos:
        weights = random_weights(combos, len(decisions), args.sleeves, combos)
        elapsed = best_time(lambda: run_sweep(plan, weights, fees), args.repeats)
        rows.append((combos, elapsed, combos / elapsed))
        del weights

    # Parity with the full vectorbt Portfolio on a sample, and vectorbt's own speed.
    weights = random_weights(max(args.parity_sample, args.vectorbt_combos), len(decisions),
                             args.sleeves, 7)
    result = run_sweep(plan, weights, fees)
    frames = []
    for combo in weights:
        frame = pd.DataFrame(np.nan, index=prices.index, columns=prices.columns)
        frame.iloc[decisions] = combo
        frames.append(frame)
    costs = ExecutionCosts(args.fees_bps, 0.0, 1)
    simulate(prices, frames[0], costs)   # warm vectorbt's compile cache
    parity = 0.0
    for k in range(args.parity_sample):
        final = float(simulate(prices, frames[k], costs).portfolio.value().iloc[-1])
        parity = max(parity, abs(result.final_value[k] - final) / abs(final))
    began = time.perf_counter()
    for frame in frames[: args.vectorbt_combos]:
        full = simulate(prices, frame, costs)
        full.portfolio.value()
    vectorbt_rate = args.vectorbt_combos / (time.perf_counter() - began)

    print(f"W1-like: {args.sleeves} sleeves x {args.sessions} sessions, {len(decisions)} "
          f"decisions, {args.fees_bps:g} bp fees; warm-up (compile or cache load) {warmup:.2f} s")
    print(f"{'combos':>8} {'seconds':>9} {'combos/s':>10}")
    for combos, elapsed, rate in rows:
        print(f"{combos:>8} {elapsed:>9.3f} {rate:>10.0f}")
    print(f"vectorbt Portfolio.from_orders + value(), one combo per call: {vectorbt_rate:.1f} "
          f"combos/s")
    print(f"parity max relative gap in final value ({args.parity_sample} combos): {parity:.3g}")
    print(f"peak RSS {peak_rss_mb():.0f} MB (after imports {rss_start:.0f} MB)")
    print(json.dumps({"combos": [r[0] for r in rows],
                      "combos_per_s": [round(r[2]) for r in rows],
                      "vectorbt_combos_per_s": round(vectorbt_rate, 1),
                      "parity_max_rel": parity, "peak_rss_mb": round(peak_rss_mb())}))


if __name__ == "__main__":
    main()
