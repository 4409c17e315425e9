"""What a rule may read when it decides: everything known at each session's close, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class StrategyContext:
    """Inputs of a rule, all indexed by the run's sessions.

    `prices` are the sleeves' closes (NaN before an instrument exists); `signals` are the configured
    signals by config name; `start_position` is the first backtest session (earlier rows are
    warm-up history a rule may use but must not trade on).
    """

    sessions: pd.DatetimeIndex
    prices: pd.DataFrame
    signals: dict[str, pd.Series] = field(default_factory=dict)
    start_position: int = 0

    @property
    def sleeves(self) -> list[str]:
        return list(self.prices.columns)

    def available(self) -> pd.DataFrame:
        """True where a sleeve has a known close (it exists and can be traded at the next session)."""
        return self.prices.notna()

    def signal(self, name: str) -> pd.Series:
        return self.signals[name]
