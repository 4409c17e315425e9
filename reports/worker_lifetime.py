"""Tearsheet workers die with the run that started them, and never publish a page after it.

A run killed with SIGKILL runs no cleanup. Its pool's workers (children of the multiprocessing
fork server, not of the run) would wait on their task queue forever, and keep the fork server
alive with them (each holds a copy of the pipe the fork server watches for end of file) and
multiprocessing's resource tracker (which waits for its own pipe to close); a worker drawing a page
would still write it. So:

- the fork server, started from the run's main thread, asks the kernel for SIGKILL when the run
  dies (`prctl(PR_SET_PDEATHSIG)`), first thing, before its ~2 s of imports; and each worker closes
  its copy of the fork server's "alive" pipe as it starts, so the fork server also sees end of
  file when the run dies and exits (multiprocessing's own rule, whichever thread started it);
- each worker asks the kernel for SIGKILL when its parent, the fork server, exits (where prctl
  is missing, a daemon thread polls the parent instead);
- then the resource tracker's pipe closes and it exits too: nothing of the run is left;
- before moving a finished page into place a worker checks that the run is still there
  (`run_alive`), so no page appears after the run is gone (its staging folder may be deleted).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

PR_SET_PDEATHSIG = 1
RUN_PID_ENV = "LIQBT_TEARSHEET_RUN_PID"
SERVER_PID: int | None = None  # set in the fork server; forked workers inherit it
RUN_PID: int | None = None


@contextmanager
def fork_server_dies_with_run() -> Iterator[None]:
    """Around starting the fork server from the run's main thread: it then asks for SIGKILL when
    the run dies (a parent-death signal fires when the *thread* that forked exits, so only the
    main thread may promise this)."""
    os.environ[RUN_PID_ENV] = str(os.getpid())
    try:
        yield
    finally:
        os.environ.pop(RUN_PID_ENV, None)


def remember_fork_server() -> None:
    """In the fork server, first thing as it preloads: its own pid and the run's (its parent);
    started from the run's main thread, it dies with the run."""
    global SERVER_PID, RUN_PID
    SERVER_PID, RUN_PID = os.getpid(), os.getppid()
    promised = os.environ.pop(RUN_PID_ENV, None)
    if promised is not None:
        _parent_death_signal(signal.SIGKILL)
        if os.getppid() != int(promised):
            os._exit(0)  # the run died while this process was starting


def _parent_death_signal(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def die_with_fork_server() -> None:
    """In each worker, before any task: see the module docstring."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if alive is not None:
        try:
            os.close(alive)
        except OSError:
            pass
        server._forkserver_alive_fd = None
    parent = os.getppid()
    if not _parent_death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                         daemon=True).start()
    if SERVER_PID is not None and os.getppid() != SERVER_PID:
        os._exit(1)  # the fork server (and so the run) was already gone


def run_alive() -> bool:
    """False in a worker whose run has ended (True outside workers)."""
    if SERVER_PID is None:
        return True
    if os.getppid() != SERVER_PID:
        return False
    try:
        os.kill(RUN_PID, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True
