"""The signal registry: name -> (pure function of the panel, typed parameter model).

A config asks for `fn: reserves_change_z, params: {weeks: 4}`; the registry validates the params
against the signal's pydantic model (unknown keys are errors) before anything is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd
from pydantic import BaseModel, ConfigDict

from feeds.errors import InputError
from feeds.panel import PointInTimePanel


class NoParams(BaseModel):
    """For signals without parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SignalParams(BaseModel):
    """Base for signal parameter models: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


SignalFn = Callable[[PointInTimePanel, Any], pd.Series]


@dataclass(frozen=True)
class SignalDef:
    name: str
    fn: SignalFn
    params: type[BaseModel]

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


SIGNALS: dict[str, SignalDef] = {}


def signal(name: str, params: type[BaseModel] = NoParams) -> Callable[[SignalFn], SignalFn]:
    """Register `fn(panel, params) -> Series` under `name`."""

    def register(fn: SignalFn) -> SignalFn:
        if name in SIGNALS:
            raise ValueError(f"signal '{name}' registered twice")
        SIGNALS[name] = SignalDef(name, fn, params)
        return fn

    return register


def get_signal(name: str) -> SignalDef:
    try:
        return SIGNALS[name]
    except KeyError:
        raise InputError(f"unknown signal function '{name}': choose one of "
                         f"{', '.join(sorted(SIGNALS))}") from None


def compute_signal(panel: PointInTimePanel, name: str, params: BaseModel | dict | None = None
                   ) -> pd.Series:
    """Run signal `name` on `panel`; a dict of params is validated against its model first."""
    definition = get_signal(name)
    if not isinstance(params, BaseModel):
        params = definition.params.model_validate(params or {})
    result = definition.fn(panel, params)
    result.name = name
    return result
