"""A claim's specification set made concrete: signals recomputed with other parameters, the rule
rebuilt with other parameters, grid, schedule or benchmark, and every variant's grid simulated by
the sweep kernel (bit-identical with the vectorbt run, without pandas per combination).

The primary specification is the claim as configured; it always comes first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from backtests.results import RunResult
from backtests.sweep.simulate import SweepPlan, prepare_plan, run_sweep
from backtests.verdict.config import PRIMARY, Specification
from feeds.instruments import FROM_START
from signals import compute_signal
from strategies import StrategyContext, build_weight_grid, get_rule

RISK_FREE = "risk_free"


@dataclass(frozen=True)
class Variant:
    """One specification of a claim: its name, what it changes, and the overrides."""

    name: str
    about: str
    spec: Specification

    @property
    def primary(self) -> bool:
        return self.name == PRIMARY


def variants_of(specifications: list[Specification]) -> list[Variant]:
    """The primary (no overrides), then each declared specification."""
    primary = Variant(PRIMARY, "the claim as configured", Specification(name="as-configured"))
    return [primary] + [Variant(s.name, s.about, s) for s in specifications]


class SpecInputs:
    """What the specifications of one run share: signals recomputed per distinct (function,
    parameters) once, and the sweep kernel's execution plans per decision calendar."""

    def __init__(self, run: RunResult):
        self.run = run
        self._signals: dict[str, pd.Series] = {}
        self._plans: dict[bytes, SweepPlan] = {}

    def signal(self, name: str, overrides: dict | None = None) -> pd.Series:
        """Configured signal `name`, with `overrides` of its parameters (window sessions)."""
        series = self.full_signal(name, overrides)
        return series.iloc[self.run.panel.start_position:]

    def full_signal(self, name: str, overrides: dict | None = None) -> pd.Series:
        if not overrides:
            return self.run.context.signal(name)
        section = self.run.spec.signals[name]
        params = {**section.params, **overrides}
        key = json.dumps([section.fn, params], sort_keys=True, default=str)
        if key not in self._signals:
            self._signals[key] = compute_signal(self.run.panel, section.fn, params).rename(name)
        return self._signals[key]

    def context(self, overrides: dict[str, dict]) -> StrategyContext:
        context = self.run.context
        if not overrides:
            return context
        signals = {**context.signals,
                   **{name: self.full_signal(name, params) for name, params in overrides.items()}}
        return replace(context, signals=signals)

    def plan(self, decision_idx: np.ndarray) -> SweepPlan:
        key = np.asarray(decision_idx, dtype=np.int64).tobytes()
        if key not in self._plans:
            panel, lag = self.run.panel, self.run.spec.execution.lag_days
            self._plans[key] = prepare_plan(panel.sleeve_prices.to_numpy(dtype=float),
                                            decision_idx, lag, panel.start_position)
        return self._plans[key]


def grid_returns(inputs: SpecInputs, strategy_name: str, grid: dict[str, list[float]],
                 variant: Variant) -> tuple[np.ndarray, pd.DataFrame]:
    """Daily returns (K, sessions) of every grid combination of a strategy under a variant; the
    primary without a grid is the run's own vectorbt returns."""
    run, spec = inputs.run, variant.spec
    grid = {**grid, **(spec.grid or {})}
    if variant.primary and not grid:
        return run.strategies[strategy_name].returns.to_numpy()[None, :], pd.DataFrame(index=[0])
    strategy = run.spec.strategy(strategy_name)
    params = {**strategy.params, **spec.params}
    built = build_weight_grid(inputs.context(spec.signals), strategy.rule, params,
                              spec.rebalance or strategy.rebalance, grid)
    costs = run.spec.costs
    result = run_sweep(inputs.plan(built.decision_idx), built.weights, costs.fees_bps / 1e4,
                       costs.slippage_bps / 1e4, keep=np.arange(built.size))
    return result.returns, built.combos


def benchmark_returns(run: RunResult, benchmark: str, rf: pd.Series) -> pd.Series:
    """Daily returns of a claim's benchmark (the risk-free itself for `risk_free`)."""
    return rf if benchmark == RISK_FREE else run.strategies[benchmark].returns


def sleeves_of(run: RunResult, strategy_name: str, overrides: dict | None = None) -> set[str]:
    """Sleeves a configured strategy's rule can hold (with parameter overrides)."""
    if strategy_name == RISK_FREE:
        return set()
    strategy = run.spec.strategy(strategy_name)
    params = get_rule(strategy.rule).params.model_validate({**strategy.params,
                                                             **(overrides or {})})
    return set(params.sleeves_referenced())


def real_product_start(run: RunResult, sleeves: set[str]) -> tuple[pd.Timestamp | None, list[str]]:
    """(first session from which every sleeve is a real product, sleeves synthetic throughout).
    `FROM_START` when all are real from their start."""
    paths = run.panel.sleeve_paths
    never = sorted(s for s in sleeves if paths[s].real_from is None)
    dated = [paths[s].real_from for s in sleeves
             if paths[s].real_from is not None and paths[s].real_from is not FROM_START]
    return (max(dated) if dated else FROM_START), never
