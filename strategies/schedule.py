"""Rebalance schedules: on which session closes a strategy decides."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Rebalance = Literal["daily", "weekly", "monthly", "quarterly", "once"]

_PERIOD = {"weekly": "W", "monthly": "M", "quarterly": "Q"}


def rebalance_mask(sessions: pd.DatetimeIndex, schedule: Rebalance, start_position: int = 0
                   ) -> np.ndarray:
    """Boolean mask of decision sessions: the first backtest session, then the first session of
    each new period (week, month, quarter).

    Deciding on a period's first session rather than its last keeps the schedule causal: whether t
    opens a new month is known at t, whereas "t is the month's last session" depends on holidays.
    """
    mask = np.zeros(len(sessions), dtype=bool)
    if start_position >= len(sessions):
        return mask
    mask[start_position] = True
    if schedule == "once":
        return mask
    if schedule == "daily":
        mask[start_position:] = True
        return mask
    periods = sessions.to_period(_PERIOD[schedule])
    period_start = np.r_[True, periods[1:] != periods[:-1]]
    mask[start_position:] |= period_start[start_position:]
    return mask
