"""Cross-section checks of `sweep:`, `walk_forward:` and `event_study:` against the rest of a
config (run on the raw mapping, like `config_checks.check_references`): the swept strategy exists,
the grid is not too large to build (counted, not built), each grid axis is a valid numeric
parameter of its rule (values validated by the strategies' grid machinery), the walk-forward can
score the selection metric, an out-of-sample gate has a walk-forward, event-study sleeves exist.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from pydantic import ValidationError

from feeds.errors import LiqbtError, shown
from strategies import get_rule
from strategies.grid import check_grid_size, expand_grid

Report = Callable[[tuple, str], None]


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _finite_number(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def check_studies(raw: dict, report: Report) -> None:
    """Report every problem as `report(field path, message)`."""
    sweep = _as_dict(raw.get("sweep"))
    if sweep:
        _check_sweep(raw, sweep, report)
    gates = _as_dict(sweep.get("gates"))
    if gates.get("oos_sharpe_min") is not None and raw.get("walk_forward") is None:
        report(("sweep", "gates", "oos_sharpe_min"), "the out-of-sample Sharpe comes from the "
               "walk-forward; add a walk_forward: section or drop this gate")
    if raw.get("walk_forward") is not None and sweep.get("metric") == "turnover":
        report(("walk_forward",), "walk-forward selects on returns alone and cannot score "
               "turnover; set sweep.metric to another metric (e.g. sharpe) or drop walk_forward")
    study = _as_dict(raw.get("event_study"))
    sleeves = set(_as_dict(raw.get("universe")))
    chosen = study.get("sleeves")
    if isinstance(chosen, list):
        for index, sleeve in enumerate(chosen):
            if isinstance(sleeve, str) and sleeve not in sleeves:
                report(("event_study", "sleeves", index), f"unknown sleeve {shown(sleeve)}; the "
                       f"universe has: {', '.join(sorted(sleeves))}")


def _check_sweep(raw: dict, sweep: dict, report: Report) -> None:
    strategies = raw.get("strategies") if isinstance(raw.get("strategies"), list) else []
    strategies = [s for s in strategies if isinstance(s, dict)]
    names = [str(s.get("name")) for s in strategies]
    target = sweep.get("strategy")
    if not isinstance(target, str):
        return  # the schema check reports a missing or mistyped field
    if target not in names:
        report(("sweep", "strategy"), f"unknown strategy {shown(target)}; configured strategies: "
               f"{', '.join(names)}")
        return
    strategy = strategies[names.index(target)]
    try:
        definition = get_rule(strategy.get("rule"))
        base = definition.params.model_validate(strategy.get("params") or {})
    except (LiqbtError, ValidationError, TypeError):
        return  # the strategy's own problems are reported under strategies.N
    grid = {axis: values for axis, values in _as_dict(sweep.get("grid")).items()
            if isinstance(values, list)}  # the schema check reports other values
    try:
        check_grid_size(grid, what="the sweep grid")
    except LiqbtError as exc:
        report(("sweep", "grid"), str(exc))
        return
    for axis, values in grid.items():
        if not values or not all(_finite_number(value) for value in values):
            continue  # the schema check reports it
        try:
            expand_grid(definition.params, base, {axis: values})
        except LiqbtError as exc:
            report(("sweep", "grid", axis), f"{exc} (rule '{definition.name}' of strategy "
                   f"'{target}')")
