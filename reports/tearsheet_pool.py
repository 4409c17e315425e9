"""Tearsheets rendered in parallel worker processes.

A quantstats tearsheet is ~2 s of single-threaded Python + matplotlib, and a run has one per
strategy (12 in the article run), so they go to a process pool while the main process writes the
other pages. Design choices:

- **forkserver** start method, with `reports.tearsheet_worker` preloaded in the fork server: the
  ~2 s quantstats/matplotlib/scipy import happens once, not once per worker, and `fork` itself is
  avoided in the main process (numba and BLAS threads may be running there).
- **start early**: `TearsheetWorkers(...)` starts the fork server and the workers immediately, so
  the CLI opens it before the backtest and the imports overlap with loading data and simulating.
- **quiet**: workers ignore warnings and matplotlib's font logging, and the fork server and workers
  ignore SIGINT (Ctrl-C is the main process's job: leaving the pool on an error or Ctrl-C kills the
  workers at once, as their pages are no longer wanted), so stderr carries only real errors.
- **mortal**: workers die with the run, even one killed with SIGKILL, and take the fork server
  and the resource tracker with them; no page is moved into place after the run is gone
  (reports/worker_lifetime.py).
- `workers=1` renders in the calling process (no pool), e.g. for debugging with a profiler.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import warnings
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.errors import LiqbtError
from reports.worker_lifetime import fork_server_dies_with_run

Progress = Callable[[str], None]
WORKER_MODULE = "reports.tearsheet_worker"


class TearsheetError(LiqbtError, RuntimeError):
    """A tearsheet could not be drawn (one line naming the strategy, exit code 1)."""


@dataclass(frozen=True)
class TearsheetJob:
    """One tearsheet: daily returns (and the benchmark's, or None) -> `target`."""

    name: str
    returns: pd.Series
    benchmark: pd.Series | None
    benchmark_label: str | None
    target: Path
    manifest: dict
    risk_free: float | pd.Series = 0.0   # annual constant, or daily risk-free returns


def default_workers() -> int:
    """min(2, CPU count): quantstats is single-threaded; a worker holds ~200 MB."""
    return max(1, min(2, os.cpu_count() or 1))


def initialise() -> None:
    """Per worker: die with the run (reports/worker_lifetime.py), third-party warnings off (stderr
    is for real errors), Ctrl-C left to the main process (it cancels the queue; a worker finishes
    its page and exits)."""
    from reports.tearsheet import quiet_matplotlib
    from reports.worker_lifetime import die_with_fork_server

    die_with_fork_server()
    warnings.simplefilter("ignore")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet_matplotlib()


def ready() -> int:
    """A trivial task that makes the pool start a worker now."""
    return os.getpid()


def render_job(job: TearsheetJob) -> Path:
    from reports.tearsheet import write_tearsheet
    from reports.worker_lifetime import run_alive

    return write_tearsheet(job.returns, job.benchmark, job.benchmark_label, job.name, job.target,
                           job.manifest, job.risk_free, publish_if=run_alive)


def _start_fork_server_ignoring_ctrl_c() -> None:
    """Start the fork server with SIGINT ignored, so Ctrl-C during its ~2 s preload does not kill
    it with a traceback (it and the workers it forks inherit SIG_IGN); the main process handles
    Ctrl-C and shuts the pool down. Only the main thread may change signal handlers."""
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with fork_server_dies_with_run():
            forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


class PendingTearsheets:
    """Tearsheets submitted to the workers (or queued for in-process rendering)."""

    def __init__(self, jobs: list[TearsheetJob], futures: dict[Future, TearsheetJob] | None):
        self.jobs = jobs
        self.futures = futures

    def wait(self, progress: Progress = lambda message: None) -> dict[str, Path]:
        """Block until every tearsheet is written; {strategy name: path}. A failed tearsheet raises
        TearsheetError naming the strategy."""
        written: dict[str, Path] = {}
        total = len(self.jobs)
        if self.futures is None:
            for job in self.jobs:
                progress(f"tearsheet {job.name} ({len(written) + 1}/{total})")
                written[job.name] = render_job(job)
            return written
        for future in as_completed(self.futures):
            job = self.futures[future]
            try:
                written[job.name] = future.result()
            except Exception as exc:  # noqa: BLE001  (re-raised with the strategy's name)
                for other in self.futures:
                    other.cancel()
                raise TearsheetError(f"tearsheet {job.name}: {type(exc).__name__}: {exc}") \
                    from exc
            progress(f"tearsheet {job.name} ({len(written)}/{total})")
        return {job.name: written[job.name] for job in self.jobs}


class TearsheetWorkers:
    """A context manager owning the worker processes.

        with TearsheetWorkers(workers) as pool:      # processes start importing now
            result = run_backtest(...)               # meanwhile, in this process
            pending = pool.submit(jobs)
            ...                                      # other pages
            paths = pending.wait(progress)
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._executor: ProcessPoolExecutor | None = None
        self._warming: threading.Thread | None = None

    def __enter__(self) -> "TearsheetWorkers":
        if self.workers > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([WORKER_MODULE])
            _start_fork_server_ignoring_ctrl_c()
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                                 initializer=initialise)
            # Workers start on demand, and starting the first one waits for the fork server's
            # preload (~2 s): submit one trivial task per worker from a thread so this returns now.
            self._warming = threading.Thread(target=self._warm, name="tearsheet-workers",
                                             daemon=True)
            self._warming.start()
        return self

    def _warm(self) -> None:
        executor = self._executor
        if executor is None:
            return
        try:
            for _ in range(self.workers):
                executor.submit(ready)
        except Exception:  # noqa: BLE001  best effort: a broken pool shows on the real submit
            pass

    def __exit__(self, exc_type, exc, traceback) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if exc_type is None:
            self._warming.join()
            executor.shutdown(wait=True)
            return
        # Failed or interrupted: no page is wanted any more (a run draws into a staging folder
        # that is being discarded), so stop the workers now rather than wait for the pages being
        # drawn, or for the fork server still starting (the warming thread holds the executor's
        # lock until it has).
        try:
            processes = list((getattr(executor, "_processes", None) or {}).values())
        except RuntimeError:  # changed while copied: a worker was just starting
            processes = []
        for process in processes:
            process.kill()
        if not self._warming.is_alive():
            executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, jobs: list[TearsheetJob]) -> PendingTearsheets:
        if self._executor is None:
            return PendingTearsheets(jobs, None)
        futures = {self._executor.submit(render_job, job): job for job in jobs}
        return PendingTearsheets(jobs, futures)

    def render(self, jobs: list[TearsheetJob], progress: Progress = lambda message: None
               ) -> dict[str, Path]:
        return self.submit(jobs).wait(progress)
