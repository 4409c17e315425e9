"""What a rule may read when it decides: everything known at each session's close, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from feeds.panel import PointInTimePanel


@dataclass(frozen=True)
class StrategyContext:
    """Inputs of a rule, all indexed by the run's sessions.

    `prices` are the sleeves' closes (NaN before an instrument exists); `signals` are the configured
    signals by config name; `start_position` is the first backtest session (earlier rows are
    warm-up history a rule may use but must not trade on); `tradable_mask` optionally marks
    sessions on which a listed sleeve may not be bought (e.g. after a synthetic's termination).
    """

    sessions: pd.DatetimeIndex
    prices: pd.DataFrame
    signals: dict[str, pd.Series] = field(default_factory=dict)
    start_position: int = 0
    tradable_mask: pd.DataFrame | None = None

    @property
    def sleeves(self) -> list[str]:
        return list(self.prices.columns)

    def __post_init__(self) -> None:
        """Rules index signals and prices by position: every input must be on the sessions."""
        for name, values in {"prices": self.prices, **self.signals}.items():
            if not values.index.equals(self.sessions):
                raise ValueError(f"{name} is not indexed by the context's sessions")

    @classmethod
    def of_panel(cls, panel: PointInTimePanel, signals: dict[str, pd.Series]) -> "StrategyContext":
        """The context of a panel: prices as known at each close (`panel.decision_prices`), its
        tradable mask and backtest start, and the configured signals."""
        return cls(panel.sessions, panel.decision_prices, signals, panel.start_position,
                   tradable_mask=panel.sleeve_tradable)

    def tradable(self) -> pd.DataFrame:
        """True where a sleeve can be bought at the next session: it has a known close and has not
        been terminated (a synthetic that hit its termination rule stays flat and untradable)."""
        listed = self.prices.notna()
        return listed if self.tradable_mask is None else listed & self.tradable_mask

    def signal(self, name: str) -> pd.Series:
        return self.signals[name]
