"""Parameter grids: every numeric rule parameter may be a list; a rule then builds the weights of the
whole grid at once with numpy broadcasting instead of a Python loop per combination.

A grid is the cartesian product of its list-valued parameters, in the order they are given. Inside a
rule, `p.<numeric field>` is an array of shape (K,) — one value per combination — and every other
field (sleeve names, weight maps, signal names) is its plain value. A single build is K = 1, so the
grid path and the single path are the same code, and "a 3x3x2 grid equals its 18 single builds" holds
by construction (and is tested).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from feeds.errors import InputError, shown
from feeds.schema import ConfigModel

_NUMERIC = (int, float, bool)


def numeric_fields(model: type[BaseModel]) -> list[str]:
    """Fields whose annotation is a plain int/float/bool: the ones a grid may vary."""
    return [name for name, field in model.model_fields.items() if field.annotation in _NUMERIC]


class ParamGrid:
    """Rule parameters over K combinations: numeric fields as (K,) arrays, others as values."""

    def __init__(self, base: BaseModel, combos: pd.DataFrame):
        self.base = base
        self.combos = combos
        self._numeric = set(numeric_fields(type(base)))

    @property
    def size(self) -> int:
        return len(self.combos)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("base", "combos"):
            raise AttributeError(name)
        if name in self.combos.columns:
            return self.combos[name].to_numpy(dtype=float)
        value = getattr(self.base, name)
        if name in self._numeric:
            return np.full(self.size, float(value))
        return value


#: Largest grid liqbt builds: a sweep keeps one row per combination (parameters and ~10 metrics,
#: ~150 MB at this size) and runs ~10,000 combinations/s on two cores (~2 minutes here). A grid is
#: counted before anything is built, so a 10^9-combination typo is refused at once.
MAX_GRID_COMBINATIONS = 1_000_000


def grid_size(grid: Mapping[str, Sequence[Any]]) -> int:
    """Number of combinations of `grid` (the product of its axis lengths), counted exactly."""
    return math.prod(len(values) for values in grid.values()) if grid else 1


def check_grid_size(grid: Mapping[str, Sequence[Any]], limit: int = MAX_GRID_COMBINATIONS,
                    what: str = "the grid") -> int:
    """`grid_size(grid)`, or InputError when it is above `limit` (axes must be sequences)."""
    size = grid_size(grid)
    if size > limit:
        shape = " x ".join(f"{len(values):,} {name}" for name, values in grid.items())
        raise InputError(f"{what} has {size:,} combinations ({shape}); at most {limit:,} are "
                         "built: use fewer values per axis")
    return size


def _check_axis_shape(params_model: type[BaseModel], name: str, values: Sequence[Any]) -> None:
    """An axis is a numeric field with a non-empty list of values."""
    allowed = numeric_fields(params_model)
    if name not in allowed:
        raise InputError(f"grid axis {shown(name)} is not a numeric parameter of this rule; "
                         f"numeric parameters: {', '.join(allowed) or 'none'}")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not len(values):
        raise InputError(f"grid axis {shown(name)} must be a non-empty list of values")


def _axis_values(params_model: type[BaseModel], base_model: BaseModel, name: str,
                 values: Sequence[Any]) -> np.ndarray:
    """The axis as floats; each value must validate in place of the base one, and appear once
    (a repeated value would silently add duplicate combinations, and trials to the deflated
    Sharpe ratio)."""
    _check_axis_shape(params_model, name, values)
    base = base_model.model_dump()
    floats = []
    for value in values:
        try:
            validated = params_model.model_validate({**base, name: value})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(f"grid axis {shown(name)} value {shown(value)}: "
                             f"{first['msg'].removeprefix('Value error, ')}") from None
        floats.append(float(getattr(validated, name)))
    axis = np.asarray(floats, dtype=float)
    repeated = pd.Index(axis)[pd.Index(axis).duplicated()]
    if len(repeated):
        raise InputError(f"grid axis {shown(name)} lists {repeated[0]:g} more than once; "
                         "give each value once")
    return axis


def product_columns(axes: list[np.ndarray]) -> list[np.ndarray]:
    """The cartesian product of `axes` as one column per axis (the order of itertools.product:
    the last axis varies fastest), built with numpy: no Python tuple per combination."""
    total = math.prod(len(axis) for axis in axes)
    columns, inner = [], total
    for axis in axes:
        inner //= len(axis)
        columns.append(np.tile(np.repeat(axis, inner), total // (len(axis) * inner)))
    return columns


def _base(params_model: type[BaseModel], base: Mapping[str, Any] | BaseModel) -> BaseModel:
    return base if isinstance(base, BaseModel) else params_model.model_validate(dict(base))


def expand_grid(params_model: type[BaseModel], base: Mapping[str, Any] | BaseModel,
                grid: Mapping[str, Sequence[Any]] | None = None) -> ParamGrid:
    """Validate `base` params and the `grid` axes; return the cartesian-product ParamGrid.

    Each axis value is validated by substituting it into the base parameters, so a bad value names
    the field and the value. Only numeric fields can be axes.
    """
    base_model = _base(params_model, base)
    grid = dict(grid or {})
    for name, values in grid.items():
        _check_axis_shape(params_model, name, values)
    check_grid_size(grid)
    names = list(grid)
    axes = [_axis_values(params_model, base_model, name, grid[name]) for name in names]
    combos = pd.DataFrame(dict(zip(names, product_columns(axes))) if names else {},
                          index=pd.RangeIndex(grid_size(grid)), dtype=float)
    if len(names) > 1 and _relates_fields(params_model):
        _check_combinations(params_model, base_model, combos)
    return ParamGrid(base_model, combos)


def _relates_fields(params_model: type[BaseModel]) -> bool:
    """True when the rule's parameters have model validators of their own (beyond the ones every
    config section has, which look at one field at a time)."""
    own = set(params_model.__pydantic_decorators__.model_validators)
    return bool(own - set(ConfigModel.__pydantic_decorators__.model_validators))


def _check_combinations(params_model: type[BaseModel], base_model: BaseModel,
                        combos: pd.DataFrame) -> None:
    """Rules whose parameters constrain each other (e.g. token_max < large_min) need every
    combination checked: each axis can be valid on its own while a pairing is not."""
    base = base_model.model_dump()
    names = list(combos.columns)
    for row in combos.itertuples(index=False, name=None):
        try:
            params_model.model_validate({**base, **dict(zip(names, row))})
        except ValidationError as exc:
            values = ", ".join(f"{name}={value:g}" for name, value in zip(names, row))
            raise InputError(f"grid combination {values}: "
                             f"{exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None


def grid_of_combos(params_model: type[BaseModel], base: Mapping[str, Any] | BaseModel,
                   combos: pd.DataFrame) -> ParamGrid:
    """A ParamGrid over given combination rows (columns = numeric parameters), e.g. one chunk of
    an `expand_grid` table in a streamed sweep: no cartesian product is rebuilt, and each column's
    distinct values are validated like grid axes."""
    base_model = _base(params_model, base)
    if len(combos) == 0:
        raise InputError("a grid needs at least one combination row")
    for name in combos.columns:
        _axis_values(params_model, base_model, name, combos[name].drop_duplicates().tolist())
    return ParamGrid(base_model, combos.astype(float).reset_index(drop=True))
