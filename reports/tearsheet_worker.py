"""Preloaded in the tearsheet fork server (reports/tearsheet_pool.py), and imported nowhere else:
every worker forked from the server starts with quantstats, matplotlib (Agg backend, quiet font
logging) and seaborn already imported, instead of paying the ~2 s import once per worker.

The fork server exits when the main process does; a normal interpreter exit would then spend
~0.5 s freeing those modules while still holding the run's stderr open (a pipeline reading it
waits). It leaves with `os._exit` instead: it has nothing to flush or save.
"""

from __future__ import annotations

import atexit
import os
import sys

from reports.tearsheet import quiet_matplotlib

quiet_matplotlib()

import matplotlib.pyplot  # noqa: E402,F401
import quantstats  # noqa: E402,F401
import seaborn  # noqa: E402,F401

from reports import tearsheet_pool  # noqa: E402,F401


def _leave_now() -> None:
    sys.stderr.flush()
    os._exit(0)


if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:  # the fork server
    atexit.register(_leave_now)
