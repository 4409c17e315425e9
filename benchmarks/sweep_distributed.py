"""Sweeps beyond one process on workload W1 (see benchmarks/sweep_throughput.py).

(a) Shards: the sweep in one piece (`run_configured_sweep`, chunks of sweep.chunk = 5,000) vs
    `--shards N`: each shard's chunks (`run_shard`, one after another here; CI runs them as
    parallel jobs) and the merge (`merge_shards`: find the shard manifests, check keys and
    sha256, copy the chunks, then the same after-phase as the unsharded sweep). Merge overhead =
    merge time - the merge's own after-phase: finding, checking and copying the shards' chunks,
    what merging adds to the work an unsharded sweep also does. sweep.csv of both is compared
    byte for byte. A shard job's fixed cost (a `liqbt sweep --shard` process:
    imports, data, signals) is measured once as a subprocess.
(b) Cluster: `dask scheduler` + `--workers` `dask worker` processes (1 thread each, started
    here, on this machine) and `run_configured_sweep(scheduler=...)` vs the local engine, with
    the same chunk size; combinations/s over the chunk loop, and the bytes sent to and received
    from the cluster (the summary's `cluster`: dask's serialised frames).

Prints a table and, last, one JSON line.

    python benchmarks/sweep_distributed.py --combos 10000
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep_throughput import grid_for, w1_inputs  # noqa: E402

from backtests.sweep import prepare_sweep, run_configured_sweep  # noqa: E402
from backtests.sweep.sharding import Shard, merge_shards, run_shard  # noqa: E402
from feeds.bundle import BUNDLED_DIR
from liqbt.run import sweep_spec  # noqa: E402

BIN = Path(sys.executable).parent


def start_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    scheduler_file = folder / "scheduler.json"
    log = open(folder / "dask.log", "w")
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                   "--port", "0", "--no-dashboard", "--scheduler-file",
                                   str(scheduler_file)], stdout=log, stderr=log,
                                  start_new_session=True)]
    for i in range(workers):
        processes.append(subprocess.Popen(
            [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads",
             "1", "--no-dashboard", "--name", f"w{i}", "--local-directory", str(folder / f"w{i}"),
             "--preload", "backtests.sweep.cluster"], stdout=log, stderr=log,
            start_new_session=True, cwd=folder))
    while not scheduler_file.is_file() or not scheduler_file.read_text().strip():
        time.sleep(0.05)
    return json.loads(scheduler_file.read_text())["address"], processes


def shard_process_seconds(config, snapshot: Path, folder: Path, shards: int) -> float:
    """Wall time of one `liqbt sweep --shard 1/N` process (imports, data, signals, its chunks)."""
    path = folder / "w1.yaml"
    path.write_text(yaml.safe_dump(config.model_dump(mode="json", exclude_none=True)))
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "liqbt", "sweep", str(path), "--snapshot",
                    str(snapshot.resolve()), "--shard", f"1/{shards}", "--out",
                    str(folder / "cli")], check=True, capture_output=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--combos", type=int, default=10_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cluster-chunk", type=int, default=1250)
    parser.add_argument("--snapshot", default=os.environ.get("LIQBT_SNAPSHOT", str(BUNDLED_DIR)))
    args = parser.parse_args()
    snapshot = Path(args.snapshot)
    config, panel, signals = w1_inputs(snapshot, grid_for(args.combos), 5000)
    setup = prepare_sweep(sweep_spec(config), panel, signals)
    lines = [f"W1, {len(setup.combos):,} combinations, load {os.getloadavg()[0]:.2f} (1-min) "
             f"on {os.cpu_count()} cores"]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        began = time.perf_counter()
        whole = run_configured_sweep(setup, scratch / "whole")
        whole_s = time.perf_counter() - began
        shard_s = []
        for index in range(1, args.shards + 1):
            began = time.perf_counter()
            run_shard(setup, scratch / "shards" / f"s{index}", Shard(index, args.shards))
            shard_s.append(time.perf_counter() - began)
        began = time.perf_counter()
        merged = merge_shards(setup, scratch / "shards", scratch / "merged")
        merge_s = time.perf_counter() - began
        same = ((scratch / "merged" / "sweep.csv").read_bytes()
                == (scratch / "whole" / "sweep.csv").read_bytes())
        after_s = whole.summary["elapsed_s"]["after"]
        merge_after_s = merged.summary["elapsed_s"]["after"]
        process_s = shard_process_seconds(config, snapshot, scratch, args.shards)
        lines += [
            f"(a) one piece: {whole_s:.2f} s (chunks {whole.summary['elapsed_s']['chunks']:.2f}"
            f" s, after-phase {after_s:.2f} s, {whole.summary['chunks']} chunks)",
            f"    {args.shards} shards of {merged.summary['chunk_size']:,}-combination chunks: "
            + ", ".join(f"{s:.2f}" for s in shard_s) + f" s; merge {merge_s:.2f} s = gather, "
            f"check, copy {merge_s - merge_after_s:.2f} s + after-phase {merge_after_s:.2f} s "
            f"(unsharded: {after_s:.2f} s); sweep.csv identical: {same}",
            f"    critical path with parallel shard jobs: max shard {max(shard_s):.2f} s + merge "
            f"{merge_s:.2f} s; one `liqbt sweep --shard 1/{args.shards}` process: "
            f"{process_s:.2f} s (imports, data, signals, its chunks)"]

        local = run_configured_sweep(setup, scratch / "local", chunk=args.cluster_chunk)
        address, processes = start_cluster(scratch, args.workers)
        try:
            from distributed import Client

            with Client(address, timeout="60s", set_as_default=False) as client:
                client.wait_for_workers(args.workers, timeout=120)
            began = time.perf_counter()
            run_configured_sweep(setup, scratch / "cold", chunk=args.cluster_chunk,
                                 scheduler=address)        # workers load the numba kernels
            cold_s = time.perf_counter() - began
            began = time.perf_counter()
            remote = run_configured_sweep(setup, scratch / "remote", chunk=args.cluster_chunk,
                                          scheduler=address)
            remote_s = time.perf_counter() - began
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGKILL)
        facts = remote.summary["cluster"]
        same_remote = ((scratch / "remote" / "sweep.csv").read_bytes()
                       == (scratch / "local" / "sweep.csv").read_bytes())
        lines += [
            f"(b) chunks of {args.cluster_chunk:,}: local {local.summary['combos_per_s']:,.0f} "
            f"combos/s; dask scheduler + {facts['workers']} workers on this machine "
            f"{remote.summary['combos_per_s']:,.0f} combos/s (whole sweep {remote_s:.2f} s; the "
            f"first one, with the workers' numba loads, {cold_s:.2f} s); identical: "
            f"{same_remote}",
            f"    sent {facts['sent_bytes']['inputs']:,} B of inputs once + "
            f"{facts['sent_bytes']['chunk_rows']:,} B of combination rows; received "
            f"{facts['received_bytes']:,} B of chunk results"]
    print("\n".join(lines))
    print(json.dumps({
        "combos": len(setup.combos), "shards": args.shards, "whole_s": round(whole_s, 3),
        "shard_s": [round(s, 3) for s in shard_s], "merge_s": round(merge_s, 3),
        "merge_overhead_s": round(merge_s - merge_after_s, 3),
        "after_phase_s": [round(after_s, 3), round(merge_after_s, 3)],
        "shard_process_s": round(process_s, 2),
        "local_combos_per_s": round(local.summary["combos_per_s"]),
        "cluster_combos_per_s": round(remote.summary["combos_per_s"]),
        "sent_bytes": facts["sent_bytes"], "received_bytes": facts["received_bytes"],
        "identical": same and same_remote}))


if __name__ == "__main__":
    main()
