"""Preloaded in the tearsheet fork server (reports/tearsheet_pool.py): every worker forked from it
starts with quantstats, matplotlib (Agg backend, quiet font logging) and seaborn already imported,
instead of paying the ~2 s import once per worker. Not imported by the main process.
"""

from __future__ import annotations

from reports.tearsheet import quiet_matplotlib

quiet_matplotlib()

import matplotlib.pyplot  # noqa: E402,F401
import quantstats  # noqa: E402,F401
import seaborn  # noqa: E402,F401

from reports import tearsheet_pool  # noqa: E402,F401
