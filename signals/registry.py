"""The signal registry: name -> (pure function of the panel, typed parameter model).

A config asks for `fn: reserves_change_z, params: {weeks: 4}`; the registry validates the params
against the signal's pydantic model (unknown keys are errors) before anything is computed.

Each signal also declares its `cadence` with default parameters: "daily" (changes on any session),
"h41_weekly" (changes only when a new H.4.1 week is first public, i.e. on the Friday after the
observation Wednesday), "calendar" (known in advance from the business-day calendar) or "policy"
(changes when a Fed announcement in the policy calendar becomes public). Tests use it to check the
timing promise of every signal of a kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping

import pandas as pd
from pydantic import BaseModel

from feeds.errors import InputError
from feeds.panel import PointInTimePanel
from feeds.schema import ConfigModel
from signals.config import SignalSection


class NoParams(ConfigModel):
    """For signals without parameters."""


class SignalParams(ConfigModel):
    """Base for signal parameter models: frozen, unknown keys rejected."""


SignalFn = Callable[[PointInTimePanel, Any], pd.Series]
Cadence = Literal["daily", "h41_weekly", "calendar", "policy"]


@dataclass(frozen=True)
class SignalDef:
    name: str
    fn: SignalFn
    params: type[BaseModel]
    cadence: Cadence = "daily"

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        """The docstring's first paragraph on one line."""
        first_paragraph = self.doc.split("\n\n")[0]
        return " ".join(line.strip() for line in first_paragraph.splitlines())


SIGNALS: dict[str, SignalDef] = {}


def signal(name: str, params: type[BaseModel] = NoParams, cadence: Cadence = "daily"
           ) -> Callable[[SignalFn], SignalFn]:
    """Register `fn(panel, params) -> Series` under `name`."""

    def register(fn: SignalFn) -> SignalFn:
        if name in SIGNALS:
            raise ValueError(f"signal '{name}' registered twice")
        SIGNALS[name] = SignalDef(name, fn, params, cadence)
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
    # rename() returns a new object: a signal may hand back a series the panel caches.
    return definition.fn(panel, params).rename(name)


def compute_signals(panel: PointInTimePanel, specs: Mapping[str, SignalSection]
                    ) -> dict[str, pd.Series]:
    """Every configured signal by its config name, over all of the panel's sessions."""
    return {name: compute_signal(panel, spec.fn, spec.params) for name, spec in specs.items()}


def describe_params(params: type[BaseModel]) -> list[str]:
    """One line per parameter: `name: type = default  description` (for `liqbt signals --list`)."""
    lines = []
    for field_name, field in params.model_fields.items():
        annotation = (field.annotation.__name__ if isinstance(field.annotation, type)
                      else str(field.annotation).replace("typing.", ""))
        default = "required" if field.is_required() else repr(field.get_default())
        description = f"  {field.description}" if field.description else ""
        lines.append(f"{field_name}: {annotation} = {default}{description}")
    return lines
