"""Run a sweep's pending chunks: in this process, or on a local dask.distributed cluster.

Both engines call the same `compute_chunk` on the same rows and checkpoint each result as it
arrives (dask may finish chunks out of order; the final tables are assembled in chunk order), so
their outputs are identical bit for bit. On dask each worker is a process with one task thread and
numba capped at cores / workers threads, so workers do not oversubscribe the machine. dask is an
optional extra (`pip install 'liqbt[dist]'`) imported only when asked for.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from typing import Callable

import pandas as pd

from backtests.sweep.chunks import ChunkResult, SweepJob, compute_chunk
from backtests.sweep.store import SweepCheckpoint
from feeds.errors import InputError

OnChunk = Callable[[ChunkResult], None]


def run_local(job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint, todo: list[int],
              on_chunk: OnChunk, threads: int | None = None) -> None:
    """Chunks one after another; numba spreads each over `threads` (default: all cores)."""
    for index in todo:
        result = compute_chunk(job, index, combos.iloc[checkpoint.rows(index)], threads)
        checkpoint.save(result)
        on_chunk(result)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_dask(job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint, todo: list[int],
             on_chunk: OnChunk, workers: int | None = None) -> None:
    """Chunks on a LocalCluster of `workers` processes (default: one per core), at most two chunks
    per worker in flight so finished results never pile up in memory."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("the dask engine needs dask.distributed: pip install 'liqbt[dist]', or "
                         "run without --dask (and without sweep.engine: dask)") from None
    n_workers = workers or cpu_count()
    numba_threads = max(1, cpu_count() // n_workers)
    pending = deque(todo)
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        shared = client.scatter(job, broadcast=True)
        running = as_completed()

        def submit() -> None:
            index = pending.popleft()
            running.add(client.submit(compute_chunk, shared, index,
                                      combos.iloc[checkpoint.rows(index)], numba_threads,
                                      pure=False))

        for _ in range(min(2 * n_workers, len(pending))):
            submit()
        for future in running:
            result = future.result()
            future.release()
            checkpoint.save(result)
            on_chunk(result)
            if pending:
                submit()
