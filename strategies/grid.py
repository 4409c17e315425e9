"""Parameter grids: every numeric rule parameter may be a list; a rule then builds the weights of the
whole grid at once with numpy broadcasting instead of a Python loop per combination.

A grid is the cartesian product of its list-valued parameters, in the order they are given. Inside a
rule, `p.<numeric field>` is an array of shape (K,) — one value per combination — and every other
field (sleeve names, weight maps, signal names) is its plain value. A single build is K = 1, so the
grid path and the single path are the same code, and "a 3x3x2 grid equals its 18 single builds" holds
by construction (and is tested).
"""

from __future__ import annotations

import itertools
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from feeds.errors import InputError

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


def _check_axis(params_model: type[BaseModel], base_model: BaseModel, name: str,
                values: Sequence[Any]) -> None:
    """An axis must be a numeric field, and each value must validate in place of the base one."""
    allowed = numeric_fields(params_model)
    if name not in allowed:
        raise InputError(f"grid axis '{name}' is not a numeric parameter of this rule; "
                         f"numeric parameters: {', '.join(allowed) or 'none'}")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not len(values):
        raise InputError(f"grid axis '{name}' must be a non-empty list of values")
    for value in values:
        try:
            params_model.model_validate({**base_model.model_dump(), name: value})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(f"grid axis '{name}' value {value!r}: "
                             f"{first['msg'].removeprefix('Value error, ')}") from None


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
        _check_axis(params_model, base_model, name, values)
    names = list(grid)
    rows = list(itertools.product(*(grid[name] for name in names))) if names else [()]
    if len(names) > 1 and params_model.__pydantic_decorators__.model_validators:
        _check_combinations(params_model, base_model, names, rows)
    combos = pd.DataFrame(rows, columns=names, dtype=float) if names else pd.DataFrame(index=[0])
    return ParamGrid(base_model, combos.reset_index(drop=True))


def _check_combinations(params_model: type[BaseModel], base_model: BaseModel, names: list[str],
                        rows: list[tuple]) -> None:
    """Rules whose parameters constrain each other (e.g. token_max < large_min) need every
    combination checked: each axis can be valid on its own while a pairing is not."""
    base = base_model.model_dump()
    for row in rows:
        try:
            params_model.model_validate({**base, **dict(zip(names, row))})
        except ValidationError as exc:
            values = ", ".join(f"{name}={value!r}" for name, value in zip(names, row))
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
        _check_axis(params_model, base_model, name, combos[name].drop_duplicates().tolist())
    return ParamGrid(base_model, combos.astype(float).reset_index(drop=True))
