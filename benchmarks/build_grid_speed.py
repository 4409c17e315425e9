"""How long does building a 1,000-combination weight grid of one rule over 20 years take?

Workload: the real snapshot (LIQBT_SNAPSHOT or --snapshot), sleeves SPY/GLD/IEF/IWM/QQQ, 2006-2026
sessions, the `gold` rule with a 10 x 10 x 10 grid (base_weight x overweight x rising_above) on real
signals (policy-free: the stance is read from the regime so the script runs on issue-2 signals).
Prints a table and, last, one JSON line. Target (issue 5): < 2 s for 1,000 combinations.

    python benchmarks/build_grid_speed.py [--snapshot DIR] [--rebalance monthly|daily]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import pandas as pd

from feeds.bundle import BUNDLED_DIR
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.snapshot import SnapshotSource
from signals import compute_signal
from strategies import StrategyContext, build_weight_grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", default=os.environ.get("LIQBT_SNAPSHOT", str(BUNDLED_DIR)))
    parser.add_argument("--rebalance", default="monthly", choices=["monthly", "weekly", "daily"])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    sleeves = {"equities": "SPY", "gold": "GLD", "treasuries": "IEF", "small_caps": "IWM",
               "tech": "QQQ"}
    panel = PointInTimePanel(SnapshotSource(args.snapshot),
                             {k: TickerInstrument(ticker=v) for k, v in sleeves.items()},
                             start=pd.Timestamp("2006-08-21"))
    signals = {"trend": compute_signal(panel, "reserves_change_z"),
               "stance": compute_signal(panel, "liquidity_regime")}
    context = StrategyContext.of_panel(panel, signals)
    params = {"gold_sleeve": "gold", "stance_signal": "stance", "easing_stances": ["expanding"],
              "liquidity_signal": "trend", "rest": {"equities": 0.6, "treasuries": 0.4}}
    grid = {"base_weight": list(np.linspace(0, 0.2, 10)), "overweight": list(np.linspace(0.2, 0.5, 10)),
            "rising_above": list(np.linspace(-1, 1, 10))}
    build_weight_grid(context, "gold", params, args.rebalance, {"overweight": [0.3]})  # warm-up
    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        built = build_weight_grid(context, "gold", params, args.rebalance, grid)
        timings.append(time.perf_counter() - started)
    sessions = len(panel.sessions) - panel.start_position
    best = min(timings)
    print(f"{'rule':<8}{'combos':>8}{'sessions':>10}{'decisions':>11}{'sleeves':>9}{'best s':>9}"
          f"{'median s':>10}")
    print(f"{'gold':<8}{built.size:>8}{sessions:>10}{len(built.decision_idx):>11}"
          f"{len(built.sleeves):>9}{best:>9.3f}{np.median(timings):>10.3f}")
    print(json.dumps({"rule": "gold", "combos": built.size, "sessions": sessions,
                      "rebalance": args.rebalance, "decisions": int(len(built.decision_idx)),
                      "best_s": round(best, 4), "median_s": round(float(np.median(timings)), 4),
                      "target_s": 2.0}))


if __name__ == "__main__":
    main()
