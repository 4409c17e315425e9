"""Preloaded in the tearsheet fork server (reports/tearsheet_pool.py), and imported nowhere else:
every worker forked from the server starts with quantstats, matplotlib (Agg backend, quiet font
logging) and seaborn already imported, instead of paying the ~2 s import once per worker.

It records who the fork server and the run are, so workers can die with them
(reports/worker_lifetime.py). The fork server exits when the main process does; a normal interpreter exit would then spend
~0.5 s freeing those modules while still holding the run's stderr open (a pipeline reading it
waits). It leaves with `os._exit` instead: it has nothing to flush or save.
"""

from __future__ import annotations

import atexit
import os
import sys

from reports import worker_lifetime

IN_FORK_SERVER = sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules
if IN_FORK_SERVER:
    worker_lifetime.remember_fork_server()

from reports.tearsheet import quiet_matplotlib  # noqa: E402

quiet_matplotlib()

import matplotlib.pyplot  # noqa: E402,F401
import quantstats  # noqa: E402,F401
import seaborn  # noqa: E402,F401

from reports import tearsheet_pool  # noqa: E402,F401


def _leave_now() -> None:
    sys.stderr.flush()
    os._exit(0)


if IN_FORK_SERVER:
    atexit.register(_leave_now)
