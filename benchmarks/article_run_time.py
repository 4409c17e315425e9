"""Wall time of `liqbt run` (the article config by default), with a cold and a warm numba cache.

Cold: the first run with NUMBA_CACHE_DIR pointing at a new, empty folder, so every numba function
(vectorbt's and liqbt's) is compiled again, as in a fresh virtualenv; nothing installed is touched.
Warm: the next runs with the same folder. Each run is a real `python -m liqbt run`
subprocess writing to a temporary folder; stages are read from its progress lines on stderr.
The machine's load average is printed beside each run: on a shared 2-core box it moves the numbers.
Prints a table and, last, one JSON line. Nothing is asserted.

    python benchmarks/article_run_time.py --warm-runs 3 [--config CONFIG] [--snapshot DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLED_DIR = REPO / "feeds" / "bundled"  # read without importing liqbt (the runs are subprocesses)


def one_run(config: str, snapshot: str, numba_cache: Path, workers: int | None) -> dict:
    """Run the CLI once; wall time and when each stage started (seconds from launch)."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(numba_cache), "LIQBT_SNAPSHOT": snapshot}
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "liqbt", "run", config, "--out", out]
        if workers is not None:  # a one-off config copy with report.workers set
            command[4] = _config_with_workers(config, workers, Path(out))
        load = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        stages: dict[str, float] = {}
        for line in process.stderr:
            now = time.perf_counter() - start
            for stage in ("loading data", "computing signals", "tearsheets:", "page "):
                if line.startswith(f"liqbt: {stage}"):
                    stages.setdefault(stage.rstrip(": "), now)
            if line.startswith("liqbt: tearsheet "):
                stages["last tearsheet"] = now
        if process.wait() != 0:
            raise SystemExit(f"liqbt run failed (exit {process.returncode})")
        return {"wall_s": round(time.perf_counter() - start, 2), "load_1min": round(load, 2),
                "stages_s": {k: round(v, 2) for k, v in stages.items()}}


def _config_with_workers(config: str, workers: int, folder: Path) -> str:
    import yaml

    raw = yaml.safe_load((REPO / config).read_text())
    raw.setdefault("report", {})["workers"] = workers
    copy = folder / "config.yaml"
    copy.write_text(yaml.safe_dump(raw, sort_keys=False))
    return str(copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="liqbt/configs/article.yaml")
    parser.add_argument("--snapshot", default=os.environ.get("LIQBT_SNAPSHOT")
                        or str(BUNDLED_DIR))
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="override report.workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        cold = one_run(args.config, args.snapshot, Path(cache), args.workers)
        warm = [one_run(args.config, args.snapshot, Path(cache), args.workers)
                for _ in range(args.warm_runs)]
    print(f"{'run':<8}{'wall s':>8}{'load':>7}  stages (s from launch)")
    for label, run in [("cold", cold)] + [(f"warm {i + 1}", r) for i, r in enumerate(warm)]:
        stages = ", ".join(f"{k} {v}" for k, v in run["stages_s"].items())
        print(f"{label:<8}{run['wall_s']:>8.2f}{run['load_1min']:>7.2f}  {stages}")
    print(json.dumps({"config": args.config, "cpus": os.cpu_count(), "cold": cold,
                      "warm": warm, "warm_best_s": min(r["wall_s"] for r in warm)}))


if __name__ == "__main__":
    main()
