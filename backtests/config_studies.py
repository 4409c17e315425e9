"""Config sections for studies on top of a backtest: `sweep:`, `walk_forward:`, `event_study:`.

They live beside `backtests.config` (which adds them to `RunConfig`) to keep that module about the
run itself. Same rules: frozen, unknown keys rejected, every bound stated in the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from backtests.metrics import METRIC_NAMES

MetricName = Literal["total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar",
                     "volatility", "turnover"]
# Selection sense: max_drawdown is a negative fraction, so higher (closer to 0) is better too.
LOWER_IS_BETTER = frozenset({"volatility", "turnover"})
EventKind = Literal["RMP", "QE", "QT", "taper", "facility"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def metric_sense(metric: str) -> str:
    """'max' or 'min': which end of `metric` a sweep selects."""
    return "min" if metric in LOWER_IS_BETTER else "max"


# `<metric>_above: x` keeps combinations whose full-sample metric is >= x, `<metric>_below: x`
# those <= x (e.g. max_drawdown_above: -0.3, turnover_below: 5); NaN never passes.
SweepConstraints = create_model(
    "SweepConstraints", __base__=_Model,
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


class SweepSection(_Model):
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
    workers: int | None = Field(None, ge=1, le=256, description="dask workers / local threads")
    heatmap: list[str] | None = Field(None, min_length=2, max_length=2,
                                      description="two grid axes for the page's heatmap")

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


class WalkForwardSection(_Model):
    """Lengths in sessions of the backtest window: train [s, s+train), embargo, then test."""

    train: int = Field(ge=2, description="sessions the selection sees")
    test: int = Field(ge=1, description="sessions the selected combination is then held")
    step: int | None = Field(None, ge=1, description="advance per window (default: test)")
    embargo: int = Field(0, ge=0, description="sessions skipped between train and test")


DEFAULT_EPISODES = (date(2019, 10, 11), date(2025, 12, 10))


class EventStudySection(_Model):
    kinds: list[EventKind] = Field(["RMP", "QE", "QT"], min_length=1)
    before: int = Field(10, ge=0, le=250, description="sessions before day 0")
    after: int = Field(63, ge=1, le=750, description="sessions after day 0")
    sleeves: list[str] | None = Field(None, min_length=1, description="default: every sleeve")
    n_boot: int = Field(1000, ge=100, le=100_000, description="bootstrap resamples of events")
    confidence: float = Field(0.9, gt=0, lt=1, description="width of the bootstrap band")
    seed: int = Field(0, ge=0)
    episodes: list[date] = Field(list(DEFAULT_EPISODES),
                                 description="announcement dates also shown on their own")
