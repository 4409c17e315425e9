"""The base of every config model in liqbt: frozen, unknown keys rejected, numbers are numbers.

Each room defines the pydantic models of the config sections it consumes (feeds: data, universe,
quality; signals: signal specs; strategies: strategy specs; backtests: costs, execution, studies,
verdict; reports: report) on this base, so a misspelt key is an error everywhere and a validated
section cannot change after the edge has checked it. It lives in the leftmost room so every room
can use it.

Numbers are numbers: NaN and infinity are refused in every float field (a `.nan` weight would
otherwise run and report a strategy that held something else), and so are booleans where a
number is expected (pydantic reads `true` as 1; YAML reads `yes`, `on`, `true` as booleans, so
`weights: {equities: yes}` would silently become a 100% weight).
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

_NUMBERS = (int, float)


def _number_shape(annotation: Any) -> str | None:
    """'scalar', 'mapping' or 'list' when a field holds numbers that way (through Optional and
    Annotated), else None."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _number_shape(args[0])
    if origin in (typing.Union, types.UnionType):
        shapes = {_number_shape(arg) for arg in args if arg is not type(None)}
        return shapes.pop() if len(shapes) == 1 else None
    if annotation in _NUMBERS:
        return "scalar"
    if origin is dict and len(args) == 2 and _number_shape(args[1]) == "scalar":
        return "mapping"
    if origin is list and args and _number_shape(args[0]) == "scalar":
        return "list"
    return None


def _booleans(value: Any, shape: str) -> list[str]:
    """Where `value` (a field's raw input of that shape) holds a boolean: '' or '.key' / '.N'."""
    if shape == "scalar":
        return [""] if isinstance(value, bool) else []
    if shape == "mapping" and isinstance(value, dict):
        return [f".{key}" for key, item in value.items() if isinstance(item, bool)]
    if shape == "list" and isinstance(value, list):
        return [f".{index}" for index, item in enumerate(value) if isinstance(item, bool)]
    return []


class ConfigModel(BaseModel):
    """A validated, immutable config section."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_not_booleans(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name, field in cls.model_fields.items():
            shape = _number_shape(field.annotation)
            if shape is None or name not in data:
                continue
            for where in _booleans(data[name], shape):
                raise ValueError(f"{name}{where}: a yes/no value (true, false, yes, no, on, "
                                 "off) where a number is expected; write the number")
        return data
