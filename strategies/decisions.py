"""A rule's view of the sessions on which it decides, with the small named pieces rules are built from.

Rules read as a sentence: *select* what is known at each decision (`numeric`, `labels`, `is_in`),
*weigh* the sleeves (`blend`), and leave *constrain* (untradable sleeves to 0, decision days only)
to the builder. Arrays are shaped (R, K) for conditions and (R, K, S) for weights: R decision
sessions, K parameter combinations, S sleeves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from feeds.errors import InputError
from strategies.context import StrategyContext


@dataclass(frozen=True)
class Decisions:
    context: StrategyContext
    idx: np.ndarray
    combos: int

    @property
    def sleeves(self) -> list[str]:
        return self.context.sleeves

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.idx), self.combos, len(self.sleeves)

    def sleeve(self, name: str) -> int:
        try:
            return self.sleeves.index(name)
        except ValueError:
            raise InputError(f"rule references sleeve '{name}', but the universe has: "
                             f"{', '.join(self.sleeves)}") from None

    def numeric(self, signal_name: str) -> np.ndarray:
        """A numeric signal at the decision sessions, shaped (R, 1) to broadcast against (K,)."""
        values = self.context.signal(signal_name).to_numpy(dtype=float)
        return values[self.idx][:, None]

    def labels(self, signal_name: str) -> np.ndarray:
        """A label signal (e.g. a regime) at the decision sessions, shape (R,)."""
        return self.context.signal(signal_name).to_numpy(dtype=object)[self.idx]

    def is_in(self, signal_name: str, labels: Iterable[str]) -> np.ndarray:
        """(R, 1) booleans: the label known at each decision is one of `labels`."""
        return np.isin(self.labels(signal_name), list(labels))[:, None]

    def zeros(self) -> np.ndarray:
        return np.zeros(self.shape)

    def blend(self, fixed: Mapping[str, np.ndarray | float], rest: Mapping[str, float]
              ) -> np.ndarray:
        """Weights with `fixed` sleeves at their (R, K)-broadcastable weights and the remainder
        (1 - their sum) split by `rest`'s weights (which may sum to < 1, leaving cash)."""
        weights = self.zeros()
        taken = np.zeros(self.shape[:2])
        for name, weight in fixed.items():
            column = np.broadcast_to(np.asarray(weight, dtype=float), self.shape[:2])
            weights[:, :, self.sleeve(name)] += column
            taken = taken + column
        remainder = np.clip(1.0 - taken, 0.0, None)
        for name, weight in rest.items():  # a WeightMap: sums to <= 1, the rest is cash
            weights[:, :, self.sleeve(name)] += remainder * weight
        return weights

    def vector(self, weight_map: Mapping[str, float]) -> np.ndarray:
        """A {sleeve: weight} map as a (S,) vector in sleeve order."""
        vector = np.zeros(len(self.sleeves))
        for name, weight in weight_map.items():
            vector[self.sleeve(name)] = weight
        return vector

    def from_map(self, weight_map: Mapping[str, float]) -> np.ndarray:
        """The same weight map at every decision and combination."""
        return np.broadcast_to(self.vector(weight_map), self.shape).copy()
