"""The `sweep:` config section: which configured strategy to sweep, over which grid, selected how.

`liqbt sweep` runs every combination of `grid` (the strategy's configured parameters are the base),
keeps those meeting `constraints`, and picks the best by `metric`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal, Optional

import pandas as pd
from pydantic import BaseModel, Field, create_model, model_validator

from backtests.config import (
    CostsSection, ExecutionSection, MetricName, RiskFreeSection, WalkForwardSection,
)
from backtests.metrics import METRIC_NAMES
from feeds.schema import ConfigModel
from strategies import StrategySection

# `<metric>_above: x` keeps combinations whose full-sample metric is >= x, `<metric>_below: x`
# those <= x (e.g. max_drawdown_above: -0.3, turnover_below: 5); NaN never passes.
SweepConstraints = create_model(
    "SweepConstraints", __base__=ConfigModel,
    **{f"{name}_{side}": (Optional[float], Field(None, description=f"keep {name} {sign} this"))
       for name in METRIC_NAMES for side, sign in (("above", ">="), ("below", "<="))})


def constraint_bounds(constraints: BaseModel) -> list[tuple[str, float | None, float | None]]:
    """(metric, lower, upper) for every metric that has a bound."""
    bounds = []
    for name in METRIC_NAMES:
        lower = getattr(constraints, f"{name}_above")
        upper = getattr(constraints, f"{name}_below")
        if lower is not None or upper is not None:
            bounds.append((name, lower, upper))
    return bounds


class SweepGates(ConfigModel):
    """Thresholds a finished sweep must meet (`liqbt sweep` exits 3 after writing its outputs
    when one fails; `--no-gates` skips them). Each is optional."""

    deflated_sharpe_min: Optional[float] = Field(None, ge=0, le=1, description="lowest "
                                                 "acceptable deflated Sharpe ratio of the winner")
    pbo_max: Optional[float] = Field(None, ge=0, le=1, description="highest acceptable "
                                     "probability of backtest overfitting")
    oos_sharpe_min: Optional[float] = Field(None, description="lowest acceptable walk-forward "
                                            "out-of-sample Sharpe (needs walk_forward:)")
    parity_max_rel: Optional[float] = Field(None, ge=0, description="largest acceptable relative "
                                            "gap to vectorbt (a gap above 1e-9 always fails)")


class SweepSection(ConfigModel):
    strategy: str = Field(description="configured strategy whose rule/params/rebalance are the base")
    grid: dict[str, Annotated[list[float], Field(min_length=1)]] = Field(
        min_length=1, description="numeric rule parameter -> values; the sweep is their product")
    metric: MetricName = Field("sharpe", description="selection metric (volatility and turnover "
                                                     "are minimised, the rest maximised)")
    constraints: SweepConstraints = Field(SweepConstraints(),
                                          description="filters on full-sample metrics")
    parity_samples: int = Field(5, ge=0, le=1000, description="random combos rerun in vectorbt")
    pbo_splits: int = Field(16, ge=2, le=24, description="CSCV blocks (even)")
    pbo_max_combos: int = Field(2000, ge=2, le=50_000, description="PBO subsample size M")
    chunk: int = Field(5000, ge=1, le=1_000_000, description="combinations per chunk/checkpoint")
    seed: int = Field(0, ge=0, description="seed of the parity and PBO samples")
    engine: Literal["local", "dask"] = "local"
    workers: int | None = Field(None, ge=1, le=256, description="LocalCluster workers / local "
                                "numba threads")
    heatmap: list[str] | None = Field(None, min_length=2, max_length=2,
                                      description="two grid axes for the page's heatmap")
    gates: SweepGates = Field(SweepGates(), description="thresholds the sweep must meet (exit 3)")
    cluster_timeout_s: float = Field(600.0, gt=0, le=604_800, description="dask: longest wait "
                                     "for a worker or for the next chunk before giving up (at "
                                     "most a week: Python's waits overflow beyond that)")

    @model_validator(mode="after")
    def _consistent(self) -> "SweepSection":
        if self.pbo_splits % 2:
            raise ValueError(f"pbo_splits must be even (CSCV halves the blocks), got "
                             f"{self.pbo_splits}; use e.g. 16")
        if self.heatmap is not None:
            unknown = [axis for axis in self.heatmap if axis not in self.grid]
            if unknown or self.heatmap[0] == self.heatmap[1]:
                raise ValueError(f"heatmap needs two different grid axes, got {self.heatmap}; "
                                 f"grid axes: {', '.join(self.grid)}")
        return self

    def heatmap_axes(self) -> list[str]:
        return list(self.heatmap or list(self.grid)[:2])


@dataclass(frozen=True)
class SweepSpec:
    """Everything a sweep is asked to do, as typed sections: the `sweep:` section, the configured
    strategy it varies, the run's costs and lag, the walk-forward, the risk-free rate, and
    `identity`, a JSON-able description of the other run inputs from the application (universe,
    data window, signals) that goes into the checkpoint key with the sections above, so changed
    inputs cannot resume stale chunks."""

    name: str
    sweep: SweepSection
    strategy: StrategySection
    costs: CostsSection = CostsSection()
    execution: ExecutionSection = ExecutionSection()
    walk_forward: WalkForwardSection | None = None
    risk_free: RiskFreeSection = RiskFreeSection()
    identity: dict = field(default_factory=dict)

    def combos(self) -> pd.DataFrame:
        """The combinations table of the grid over the strategy's parameters (no data needed:
        the plan of a sharded sweep counts them)."""
        from strategies import get_rule
        from strategies.grid import expand_grid

        return expand_grid(get_rule(self.strategy.rule).params, self.strategy.params,
                           self.sweep.grid).combos
