"""What the guards against bad input and faults cost, and what they save (issue 12).

- grid: building the combinations table of a 100 x 100 x 100 grid of the `gold` rule
  (`strategies.grid.expand_grid`, a numpy product) against `list(itertools.product(...))` + a frame;
- event-study band: peak memory and time of `backtests.event_study.bootstrap_band` at the config's
  limits (n_boot 20,000, 1,001 offsets) for 4 sleeves and 15 events, blocked by offsets;
- Ctrl-C and kill -9 of `liqbt run` (a one-strategy config with tearsheets on, the real snapshot):
  seconds from the signal to the exit, and until no process of the run is left.

Prints a table and, last, one JSON line.

    python benchmarks/fault_paths.py [--snapshot DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.bundle import BUNDLED_DIR

REPO = Path(__file__).resolve().parents[1]
CONFIG = """name: bench
data: {start: 2020-01-02}
universe: {equities: SPY, treasuries: IEF}
strategies:
  - {name: mix, rule: fixed_weights, params: {weights: {equities: 0.6, treasuries: 0.4}}}
  - {name: hold, rule: buy_and_hold, rebalance: once, params: {sleeve: equities}}
"""


def grid_seconds() -> tuple[float, float]:
    from strategies import get_rule
    from strategies.grid import expand_grid

    base = {"gold_sleeve": "g", "stance_signal": "s", "liquidity_signal": "t",
            "rest": {"e": 0.6, "b": 0.4}}
    grid = {"base_weight": [i / 1000 for i in range(100)],
            "overweight": [0.2 + i / 1000 for i in range(100)],
            "rising_above": [float(i) for i in range(100)]}
    started = time.perf_counter()
    expand_grid(get_rule("gold").params, base, grid)
    built = time.perf_counter() - started
    started = time.perf_counter()
    pd.DataFrame(list(itertools.product(*grid.values())), columns=list(grid), dtype=float)
    return built, time.perf_counter() - started


def band_cost() -> tuple[float, float]:
    from backtests.event_study import bootstrap_band

    paths = np.random.default_rng(0).normal(size=(15, 1001, 4))
    tracemalloc.start()
    started = time.perf_counter()
    bootstrap_band(paths, 20_000, 0.9, 0)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20


def _session_alive(session: int) -> bool:
    for entry in os.listdir("/proc"):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            return True
    return False


def signal_run(snapshot: str, signum: int, folder: Path) -> tuple[float, float]:
    """(seconds to exit, seconds until nothing of the run is left) after `signum`, sent once
    the tearsheet workers are drawing."""
    config = folder / "bench.yaml"
    config.write_text(CONFIG)
    stderr = folder / f"stderr-{signum}.txt"
    with open(stderr, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "liqbt", "run", str(config), "--out", str(folder / "out")],
            cwd=REPO, env={**os.environ, "LIQBT_SNAPSHOT": snapshot}, stdout=subprocess.DEVNULL,
            stderr=sink, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while "liqbt: tearsheets:" not in stderr.read_text():
        time.sleep(0.02)
    time.sleep(0.3)
    sent = time.perf_counter()
    (os.killpg if signum == signal.SIGINT else os.kill)(process.pid, signum)
    process.wait()
    exited = time.perf_counter() - sent
    while _session_alive(process.pid):
        time.sleep(0.02)
    return exited, time.perf_counter() - sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", default=os.environ.get("LIQBT_SNAPSHOT", str(BUNDLED_DIR)))
    args = parser.parse_args()
    built, product = grid_seconds()
    band_s, band_mb = band_cost()
    with tempfile.TemporaryDirectory() as folder:
        ctrl_c = signal_run(str(Path(args.snapshot).resolve()), signal.SIGINT, Path(folder))
        kill_9 = signal_run(str(Path(args.snapshot).resolve()), signal.SIGKILL, Path(folder))
    load = os.getloadavg()[0]
    print(f"grid 10^6 combos: numpy {built:.2f} s, itertools+frame {product:.2f} s")
    print(f"event-study band at the limits: {band_s:.1f} s, peak {band_mb:.0f} MB")
    print(f"Ctrl-C: exit after {ctrl_c[0]:.2f} s, nothing left after {ctrl_c[1]:.2f} s")
    print(f"kill -9: nothing left after {kill_9[1]:.2f} s   (load {load:.2f})")
    print(json.dumps({"grid_numpy_s": round(built, 3), "grid_itertools_s": round(product, 3),
                      "band_s": round(band_s, 2), "band_peak_mb": round(band_mb),
                      "ctrl_c_exit_s": round(ctrl_c[0], 2), "ctrl_c_gone_s": round(ctrl_c[1], 2),
                      "kill9_gone_s": round(kill_9[1], 2), "load": round(load, 2)}))


if __name__ == "__main__":
    main()
