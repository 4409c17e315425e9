"""A sweep's chunks on dask.distributed: a LocalCluster started here (`--dask`) or an existing
cluster (`--scheduler ADDRESS`, or DASK_SCHEDULER_ADDRESS).

What goes over the wire: the sweep's inputs (one pickled `SweepJob`: decision prices, tradable mask,
the rule's signals, the execution plan with the traded prices, costs) once, as the argument of one
task (`liqbt-sweep-inputs-*`) that every chunk task depends on; per chunk, its rows of the
combinations table; back to this process, each chunk's metrics. Workers need the installed package
(liqbt and its pinned dependencies) and nothing else: no path, no file, no snapshot.

Why a task and not `client.scatter(..., broadcast=True)`: scattered data has no recipe, and the
scheduler's Active Memory Manager drops broadcast replicas once no queued task needs them, so
losing the worker that holds the last copy cancels every chunk that depends on it ("lost
dependencies"). A task's argument stays in the scheduler's graph: when the worker holding the
inputs dies, the scheduler recomputes them on another worker without asking this process again,
and a chunk lost with its worker reruns elsewhere. Results come back here and are checkpointed one
by one as they arrive (each chunk index once), so `--resume` works as with the local engine and no
row is lost or duplicated whatever the cluster does.

Every wait is bounded: connecting (at most 30 s), the first worker and each next chunk
(`sweep.cluster_timeout_s`); past it, one line and exit code 1 (an unreachable scheduler: exit 2).
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import re
import time
import uuid
from collections import deque
from typing import Callable

import pandas as pd

from backtests.sweep.chunks import ChunkResult, SweepJob, compute_chunk
from backtests.sweep.store import SweepCheckpoint
from feeds.errors import InputError, LiqbtError, shown

OnChunk = Callable[[ChunkResult], None]
CONNECT_TIMEOUT_S = 30.0
POLL_S = 0.01  # how often the client looks for finished chunks


class SweepClusterError(LiqbtError):
    """The dask cluster did not deliver (no worker, a stall, a task that failed there)."""

    exit_code = 1


def cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def wire_bytes(value) -> int:
    """Bytes dask's protocol sends for `value` (its serialised frames)."""
    from distributed.protocol import serialize_bytelist

    return sum(memoryview(frame).nbytes for frame in serialize_bytelist(value))


def run_on_worker(job: SweepJob, index: int, rows: pd.DataFrame,
                  numba_threads: int | None = None) -> ChunkResult:
    """One chunk on a dask worker; numba gets the worker's cores divided among its task threads
    unless told otherwise."""
    if numba_threads is None:
        from distributed import get_worker

        numba_threads = max(1, cpu_count() // max(1, get_worker().state.nthreads))
    return compute_chunk(job, index, rows, numba_threads)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def check_address(address: str, option: str) -> str:
    """`address` if it reads as a dask scheduler address (SCHEME://HOST:PORT, or HOST:PORT for
    tcp), else one line naming `option`: a malformed one would otherwise fail only after a
    minute inside dask's client (with a traceback from its finaliser)."""
    import ipaddress

    match = re.fullmatch(r"(?:([a-z]+)://)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})",
                         address)
    problem = None
    if not match:
        problem = "expected SCHEME://HOST:PORT, e.g. tcp://10.0.0.5:8786"
    elif (match[1] or "tcp") not in SCHEMES:
        problem = f"unknown scheme {match[1]!r}; dask speaks {', '.join(SCHEMES)}"
    elif not 1 <= int(match[3]) <= 65535:
        problem = f"port {match[3]} is not between 1 and 65535"
    elif re.fullmatch(r"[0-9.]+", match[2]):
        try:
            ipaddress.IPv4Address(match[2])
        except ValueError:
            problem = f"{match[2]} is not an IPv4 address"
    if problem:
        raise InputError(f"{option} {shown(address)}: not a dask scheduler address ({problem}); "
                         "pass the address `dask scheduler` prints")
    return address


def connect(address: str, timeout_s: float):
    """A client of the scheduler at `address` with at least one worker, within the timeouts."""
    from distributed import Client

    connect_s = min(CONNECT_TIMEOUT_S, timeout_s)
    try:
        client = Client(address, timeout=f"{connect_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the dask scheduler at {address} within {connect_s:g} s "
                         f"({_first_line(exc)}); check --scheduler / DASK_SCHEDULER_ADDRESS and "
                         "that `dask scheduler` is running there") from None
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError:
        client.close(timeout=10)
        raise SweepClusterError(f"no dask worker joined the scheduler at {address} within "
                                f"{timeout_s:g} s (sweep.cluster_timeout_s); start workers with "
                                f"`dask worker {address}`") from None
    return client


def run_dask(job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint, todo: list[int],
             on_chunk: OnChunk, *, workers: int | None = None, address: str | None = None,
             timeout_s: float = 600.0) -> dict:
    """Compute `todo` on a new LocalCluster of `workers` processes (default one per core), or on
    the cluster at `address`; return what was sent and received (the summary's `cluster`)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("the dask engine needs dask.distributed: pip install 'liqbt[dist]', or "
                         "run without --dask/--scheduler (and without sweep.engine: dask)") from None
    with contextlib.ExitStack() as stack:
        if address is None:
            n_workers = workers or cpu_count()
            cluster = stack.enter_context(LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster, set_as_default=False))
            numba_threads: int | None = max(1, cpu_count() // n_workers)
        else:
            client = stack.enter_context(connect(address, timeout_s))
            numba_threads = None
        facts = _stream(client, job, combos, checkpoint, todo, on_chunk, numba_threads,
                        address or "LocalCluster", timeout_s)
        facts["address"] = address or "LocalCluster"
        return facts


def _result(future, index: int, where: str, timeout_s: float) -> ChunkResult:
    """A finished chunk's result. A result lost with its worker before it was fetched is
    recomputed first, hence the timeout here too."""
    from distributed import KilledWorker

    try:
        return future.result(timeout=timeout_s)
    except TimeoutError:
        raise SweepClusterError(_stalled(where, timeout_s, future.client)) from None
    except KilledWorker as exc:
        raise SweepClusterError(f"chunk {index} took down every dask worker it ran on "
                                f"({_first_line(exc)})") from None
    except Exception as exc:  # raised on a worker, or the scheduler cancelled the task
        raise SweepClusterError(
            f"chunk {index} failed on the dask cluster at {where}: {_first_line(exc)}; every "
            "worker needs liqbt installed, the same version as here (pip install "
            "'liqbt[dist]')") from None


def _stalled(where: str, timeout_s: float, client) -> str:
    return (f"no chunk finished on the dask cluster at {where} within {timeout_s:g} s "
            f"({len(client.nthreads())} workers connected); check the workers, or raise "
            "sweep.cluster_timeout_s for very large chunks")


def _stream(client, job: SweepJob, combos: pd.DataFrame, checkpoint: SweepCheckpoint,
            todo: list[int], on_chunk: OnChunk, numba_threads: int | None, where: str,
            timeout_s: float) -> dict:
    """Keep about two chunks per worker thread in flight; checkpoint results as they come. The
    stall timer restarts whenever a chunk finishes."""
    from distributed import as_completed

    tag = uuid.uuid4().hex[:12]
    payload = pickle.dumps(job, protocol=5)
    sent = {"inputs": wire_bytes(payload), "chunk_rows": 0}
    received = 0
    inputs = client.submit(pickle.loads, payload, key=f"liqbt-sweep-inputs-{tag}")
    pending, in_flight, finished = deque(todo), {}, as_completed(loop=client.loop)

    def fill() -> None:
        capacity = 2 * max(1, sum(client.nthreads().values()))  # follows a cluster that scales
        while pending and len(in_flight) < capacity:
            index = pending.popleft()
            rows = combos.iloc[checkpoint.rows(index)]
            sent["chunk_rows"] += wire_bytes(rows)
            future = client.submit(run_on_worker, inputs, index, rows, numba_threads,
                                   key=f"liqbt-sweep-chunk-{index:06d}-{tag}")
            in_flight[future] = index
            finished.add(future)

    workers, threads = len(client.nthreads()), sum(client.nthreads().values())
    try:
        fill()
        deadline = time.monotonic() + timeout_s
        while in_flight:
            if not finished.has_ready():
                if time.monotonic() > deadline:
                    raise SweepClusterError(_stalled(where, timeout_s, client))
                time.sleep(POLL_S)
                continue
            for future in sorted(finished.next_batch(block=False), key=in_flight.__getitem__):
                index = in_flight.pop(future)
                result = _result(future, index, where, timeout_s)
                future.release()
                received += wire_bytes(result)
                checkpoint.save(result)
                on_chunk(result)
            deadline = time.monotonic() + timeout_s
            fill()
    finally:
        if in_flight:
            client.cancel(list(in_flight))
        inputs.release()
    return {"workers": workers, "threads": threads, "workers_at_end": len(client.nthreads()),
            "sent_bytes": sent, "received_bytes": received}
