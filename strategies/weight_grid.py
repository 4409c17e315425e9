"""Target weights of a rule over a parameter grid, kept only on decision sessions.

`WeightGrid.weights` is (K, R, S): K combinations, R decision sessions, S sleeves. That is what the
sweep kernels consume directly; `frame(k)` and `to_frame()` give the pandas views a single backtest
and a report use (sessions x sleeves, NaN on sessions without a decision).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class WeightGrid:
    sessions: pd.DatetimeIndex
    sleeves: list[str]
    decision_idx: np.ndarray
    weights: np.ndarray
    combos: pd.DataFrame

    @property
    def size(self) -> int:
        return self.weights.shape[0]

    def frame(self, k: int = 0) -> pd.DataFrame:
        """Combination k as sessions x sleeves, NaN where it does not decide."""
        full = np.full((len(self.sessions), len(self.sleeves)), np.nan)
        full[self.decision_idx] = self.weights[k]
        return pd.DataFrame(full, index=self.sessions, columns=self.sleeves)

    def to_frame(self) -> pd.DataFrame:
        """All combinations: columns are (parameter levels..., sleeve)."""
        frames = {}
        for k in range(self.size):
            levels = tuple(self.combos.iloc[k]) if len(self.combos.columns) else (k,)
            frames[levels] = self.frame(k)
        names = list(self.combos.columns) or ["combo"]
        return pd.concat(frames, axis=1, names=[*names, "sleeve"])
