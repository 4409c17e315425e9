"""Cross-checks of the verdict's specification sets and of the `risk_free:` section: every name a
specification uses exists, and its overrides validate against the rule or signal they change.
Each problem goes through `report(loc, message)` (one line naming the field path)."""

from __future__ import annotations

from typing import Any, Callable

from pydantic import ValidationError

from feeds.errors import LiqbtError
from signals import get_signal
from strategies import get_rule
from strategies.grid import check_grid_size

Report = Callable[[tuple, str], None]
SIGNAL_FIELDS = ("pace_signal", "stance_signal", "stress_signal")


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where + ': ' if where else ''}{error['msg'].removeprefix('Value error, ')}"


def check_risk_free(raw: dict, sleeves: list[str], report: Report) -> None:
    risk_free = raw.get("risk_free")
    if isinstance(risk_free, dict) and isinstance(risk_free.get("sleeve"), str) \
            and risk_free["sleeve"] not in sleeves:  # a non-string is the schema's line
        report(("risk_free", "sleeve"), f"unknown sleeve '{risk_free['sleeve']}'; the universe "
               f"has: {', '.join(sleeves)}")


def _check_signal_overrides(loc: tuple, overrides: Any, signals: dict, report: Report) -> None:
    for name, params in (overrides or {}).items():
        section = signals.get(name)
        if not isinstance(section, dict) or "fn" not in section:
            report(loc + ("signals", name), f"unknown signal '{name}'; configured signals: "
                   f"{', '.join(sorted(signals)) or 'none'}")
            continue
        try:
            get_signal(section["fn"]).params.model_validate(
                {**(section.get("params") or {}), **(params or {})})
        except ValidationError as exc:
            report(loc + ("signals", name), _first_error(exc))
        except LiqbtError:
            pass  # the signal's own entry reports an unknown function


def _check_spec_grid_size(loc: tuple, claim_grid: Any, spec_grid: Any, report: Report) -> None:
    """A specification's grid (the claim's axes, some replaced) within the claim grid limit."""
    from liqbt.config_checks import MAX_CLAIM_GRID

    if not isinstance(spec_grid, dict) or not isinstance(claim_grid or {}, dict):
        return
    grid = {**(claim_grid or {}), **spec_grid}
    if all(isinstance(values, list) for values in grid.values()):
        try:
            check_grid_size(grid, MAX_CLAIM_GRID, "this specification's grid")
        except LiqbtError as exc:
            report(loc + ("grid",), f"{exc} (a claim keeps every combination's daily returns "
                   "in memory)")


def _check_backtest_spec(loc: tuple, spec: dict, strategy: dict | None, names: list[str],
                         sleeves: list[str], signals: dict, report: Report,
                         claim_grid: Any = None) -> None:
    benchmark = spec.get("benchmark")
    if benchmark is not None and benchmark not in names + ["risk_free"]:
        report(loc + ("benchmark",), f"unknown benchmark '{benchmark}'; choose one of: "
               f"{', '.join(names + ['risk_free'])}")
    if strategy is None or "rule" not in strategy:
        return
    try:
        model = get_rule(strategy["rule"]).params
    except LiqbtError:
        return
    from strategies.grid import numeric_fields

    numeric = numeric_fields(model)
    for axis in spec.get("grid") or {}:
        if axis not in numeric:
            report(loc + ("grid", axis), f"unknown grid parameter of rule {strategy['rule']} "
                   f"'{axis}'; choose one of: {', '.join(numeric)}")
    _check_spec_grid_size(loc, claim_grid, spec.get("grid"), report)
    try:
        params = model.model_validate({**(strategy.get("params") or {}),
                                       **(spec.get("params") or {})})
    except ValidationError as exc:
        report(loc + ("params",), _first_error(exc))
        return
    for sleeve in sorted(params.sleeves_referenced() - set(sleeves)):
        report(loc + ("params",), f"unknown sleeve '{sleeve}'; the universe has: "
               f"{', '.join(sleeves)}")
    for name in sorted(params.signals_referenced() - set(signals)):
        report(loc + ("params",), f"unknown signal '{name}'; configured signals: "
               f"{', '.join(sorted(signals)) or 'none'}")


def check_specifications(loc: tuple, claim: dict, strategies: dict[str, dict],
                         sleeves: list[str], signals: dict, report: Report) -> None:
    """Every specification of one claim (`claim` is the raw mapping at `loc`)."""
    names = sorted(strategies)
    for index, spec in enumerate(claim.get("specifications") or []):
        if not isinstance(spec, dict):
            continue
        here = loc + ("specifications", index)
        _check_signal_overrides(here, spec.get("signals"), signals, report)
        params = spec.get("params") or {}
        if claim.get("test") == "backtest":
            _check_backtest_spec(here, spec, strategies.get(str(claim.get("strategy"))), names,
                                 sleeves, signals, report, claim.get("grid"))
            continue
        for key in SIGNAL_FIELDS:
            if params.get(key) is not None and params[key] not in signals:
                report(here + ("params", key), f"unknown signal '{params[key]}'; configured "
                       f"signals: {', '.join(sorted(signals)) or 'none'}")
        for position, sleeve in enumerate(params.get("sleeves") or []):
            if sleeve not in sleeves:
                report(here + ("params", "sleeves", position), f"unknown sleeve '{sleeve}'; "
                       f"the universe has: {', '.join(sleeves)}")
