"""Run a sweep's pending chunks: in this process, or on dask.distributed.

Every engine calls the same `compute_chunk` on the same rows and checkpoints each result as it
arrives (dask may finish chunks out of order; the final tables are assembled in chunk order), so
their outputs are identical bit for bit. Locally, numba spreads each chunk over the cores; on dask
(backtests.sweep.cluster: a LocalCluster, or an existing cluster at a scheduler address) each
worker runs chunks with numba capped at its share of the cores. dask is an optional extra
(`pip install 'liqbt[dist]'`) imported only when asked for.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from backtests.sweep.chunks import ChunkResult, SweepJob, compute_chunk
from backtests.sweep.store import SweepCheckpoint

OnChunk = Callable[[ChunkResult], None]


def run_local(job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint, todo: list[int],
              on_chunk: OnChunk, threads: int | None = None) -> None:
    """Chunks one after another; numba spreads each over `threads` (default: all cores)."""
    for index in todo:
        result = compute_chunk(job, index, combos.iloc[checkpoint.rows(index)], threads)
        checkpoint.save(result)
        on_chunk(result)


def run_chunks(job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint, todo: list[int],
               on_chunk: OnChunk, *, engine: str, workers: int | None, scheduler: str | None,
               timeout_s: float) -> dict | None:
    """Compute `todo` on `engine` ("local" or "dask"; a `scheduler` address means an existing
    dask cluster); the dask engines return what went over the wire."""
    if engine == "dask" or scheduler:
        from backtests.sweep.cluster import run_dask

        return run_dask(job, combos, checkpoint, todo, on_chunk, workers=workers,
                        address=scheduler, timeout_s=timeout_s)
    run_local(job, combos, checkpoint, todo, on_chunk, workers)
    return None
