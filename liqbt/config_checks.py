"""Config diagnostics: turn YAML and pydantic failures, and cross-references between sections,
into one line per problem: `FILE:LINE: field.path: what is wrong; what is allowed`.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from feeds.config import DataSection
from feeds.errors import LiqbtError, shown
from feeds.instruments import INSTRUMENT_KINDS
from liqbt.config import RunConfig
from liqbt.config_checks_studies import check_studies
from liqbt.config_yaml import Locate, dotted, nonfinite_message
from liqbt.config_checks_verdict import check_risk_free, check_specifications
from signals import get_signal
from strategies import get_rule


#: Largest grid of a verdict claim: the walk-forward keeps K x sessions daily returns in memory
#: (1,000 x 6,000 sessions x 8 bytes = 48 MB) and the claims are meant to be small specification
#: sets (DESIGN.md), not sweeps.
MAX_CLAIM_GRID = 1_000


def _where(path: Path, locate: Locate, loc: tuple) -> str:
    line = locate(loc)
    return f"{path}:{line}" if line else str(path)


def _resolve(annotation: Any) -> Any:
    """Strip Annotated / Optional, and a Union with exactly one model member, down to that type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _resolve(args[0])
    if origin in (typing.Union, types.UnionType):
        members = [_resolve(a) for a in args if a is not type(None)]
        models = [m for m in members if _is_model(m)]
        return models[0] if len(models) == 1 else (members[0] if len(members) == 1 else annotation)
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _owner(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Walk `loc[:-1]` through models, dicts and lists; return the model owning `loc[-1]`."""
    current: Any = model
    for key in loc[:-1]:
        current = _resolve(current)
        if _is_model(current):
            field = current.model_fields.get(key) if isinstance(key, str) else None
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _resolve(current)
    return current if _is_model(current) else None


def pydantic_problems(exc: ValidationError, path: Path, locate: Locate,
                      model: type[BaseModel] = RunConfig, prefix: tuple = ()) -> list[str]:
    """One line per pydantic error, with allowed keys for unknown ones."""
    lines = []
    for error in exc.errors():
        loc = prefix + tuple(part for part in error["loc"] if not _is_union_tag(part))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            tags = [part for part in error["loc"] if _is_union_tag(part)]
            owner = INSTRUMENT_KINDS[tags[-1]] if tags else _owner(model, loc[len(prefix):])
            allowed = ", ".join(owner.model_fields) if owner else "see the documented schema"
            message = f"unknown key {shown(loc[-1], 40)}; allowed keys here: {allowed}"
        elif error["type"] == "missing":
            message = f"required field '{loc[-1]}' is missing"
        elif error["type"] == "finite_number":
            message = nonfinite_message(error["input"])
        elif error["type"].startswith(("date_", "datetime_")):
            message = f"{shown(error['input'])} is not a date; write the date as YYYY-MM-DD"
        elif error["type"] == "literal_error":
            message = f"{message} (got {shown(error['input'])})"
        lines.append(f"{_where(path, locate, loc)}: {dotted(loc)}: {message}")
    return lines


def _is_union_tag(part: Any) -> bool:
    """Instrument union tags (class names) that pydantic puts in error locations."""
    return isinstance(part, str) and part in INSTRUMENT_KINDS


def _find_key_paths(obj: Any, needle: str, here: tuple = ()) -> list[tuple]:
    """Paths inside `obj` where `needle` appears as a mapping key or a string value."""
    found = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == needle:
                found.append(here + (key,))
            found += _find_key_paths(value, needle, here + (key,))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found += _find_key_paths(value, needle, here + (index,))
    elif obj == needle:
        found.append(here)
    return found


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    """`value` when it is a string: a name of another type is the schema check's to report,
    and cross-references only look names up."""
    return value if isinstance(value, str) else None


def _date_order_problem(raw: dict) -> str | None:
    data = _as_dict(raw.get("data"))
    try:
        DataSection(start=data.get("start"), end=data.get("end"))
    except ValidationError as exc:
        return next((e["msg"].removeprefix("Value error, ") for e in exc.errors()
                     if e["type"] == "value_error"), None)
    return None


def check_references(raw: dict, path: Path, locate: Locate) -> list[str]:
    """Cross-section checks on the raw mapping, so they run even when the schema check failed:
    registered functions, valid params, known sleeves/signals/benchmarks, date order."""
    problems: list[str] = []
    sleeves = sorted(_as_dict(raw.get("universe")))
    signal_sections = _as_dict(raw.get("signals"))
    strategies = [s for s in _as_list(raw.get("strategies")) if isinstance(s, dict)]
    names = [str(s.get("name")) for s in strategies]
    targets = f"use a strategy ({', '.join(names)}) or a sleeve ({', '.join(sleeves)})"

    def report(loc: tuple, message: str) -> None:
        problems.append(f"{_where(path, locate, loc)}: {dotted(loc)}: {message}")

    if (order := _date_order_problem(raw)) is not None:
        report(("data",), order)

    for signal_name, section in signal_sections.items():
        loc = ("signals", signal_name)
        if not isinstance(section, dict) or _text(section.get("fn")) is None:
            continue
        try:
            definition = get_signal(section["fn"])
        except LiqbtError as exc:
            report(loc + ("fn",), str(exc))
            continue
        if not isinstance(section.get("params") or {}, dict):
            continue  # the schema check reports it
        try:
            definition.params.model_validate(section.get("params") or {})
        except ValidationError as exc:
            problems += pydantic_problems(exc, path, locate, definition.params, loc + ("params",))

    for index, strategy in enumerate(strategies):
        loc = ("strategies", index)
        raw_params = strategy.get("params") or {}
        if names.count(str(strategy.get("name"))) > 1:
            report(loc + ("name",), f"strategy name {shown(strategy.get('name'))} is used twice; "
                   "names must be unique")
        benchmark = _text(strategy.get("benchmark"))
        if benchmark and benchmark not in set(names) | set(sleeves):
            report(loc + ("benchmark",), f"unknown benchmark {shown(benchmark)}; {targets}")
        if _text(strategy.get("rule")) is None or not isinstance(raw_params, dict):
            continue  # the schema check reports a missing or mistyped rule or params
        try:
            definition = get_rule(strategy["rule"])
        except LiqbtError as exc:
            report(loc + ("rule",), str(exc))
            continue
        try:
            params = definition.params.model_validate(raw_params)
        except ValidationError as exc:
            problems += pydantic_problems(exc, path, locate, definition.params, loc + ("params",))
            continue
        for sleeve in sorted(params.sleeves_referenced() - set(sleeves)):
            where = (_find_key_paths(raw_params, sleeve) or [()])[0]
            report(loc + ("params",) + where,
                   f"unknown sleeve {shown(sleeve)}; the universe has: {', '.join(sleeves)}")
        for name in sorted(params.signals_referenced() - set(signal_sections)):
            where = (_find_key_paths(raw_params, name) or [()])[0]
            report(loc + ("params",) + where, f"unknown signal {shown(name)}; configured signals: "
                   f"{', '.join(sorted(signal_sections)) or 'none (add a signals: section)'}")

    benchmark = _text(raw.get("benchmark"))
    if benchmark and benchmark not in set(names) | set(sleeves):
        report(("benchmark",), f"unknown benchmark {shown(benchmark)}; {targets}")
    check_verdict(raw, strategies, sleeves, signal_sections, report)
    check_studies(raw, report)
    return problems


def check_verdict(raw: dict, strategies: list[dict], sleeves: list[str], signals: dict,
                  report: Callable[[tuple, str], None]) -> None:
    """The `verdict:` section names strategies, sleeves and signals that exist, grids over
    numeric parameters of the claim's rule and specifications whose overrides validate (and the
    `risk_free:` sleeve exists); each problem goes through `report`."""
    from strategies.grid import check_grid_size, numeric_fields

    verdict = _as_dict(raw.get("verdict"))
    rules = {str(s.get("name")): _text(s.get("rule")) for s in strategies}
    names = sorted(rules)

    def known(loc: tuple, value: Any, allowed: list[str], what: str) -> None:
        if _text(value) is not None and value not in allowed:
            report(loc, f"unknown {what} {shown(value)}; choose one of: "
                   f"{', '.join(allowed) or 'none'}")

    check_risk_free(raw, sleeves, report)
    seed = verdict.get("seed")
    if isinstance(seed, int) and seed < 0:  # numpy's generators take seeds >= 0 only
        report(("verdict", "seed"), f"seed {seed} is negative; use a seed >= 0 (e.g. 0)")
    by_name = {str(s.get("name")): s for s in strategies}
    for index, claim in enumerate(_as_list(verdict.get("claims"))):
        if not isinstance(claim, dict):
            continue
        loc = ("verdict", "claims", index)
        check_specifications(loc, claim, by_name, sleeves, signals, report)
        for key in ("pace_signal", "stress_signal"):
            known(loc + (key,), claim.get(key), sorted(signals), "signal")
        for position, sleeve in enumerate(_as_list(claim.get("sleeves"))):
            known(loc + ("sleeves", position), sleeve, sleeves, "sleeve")
        for sub, backtest in ((), claim), (("rule_claim",), _as_dict(claim.get("rule_claim"))):
            if backtest.get("test") != "backtest":
                continue
            if sub:
                check_specifications(loc + sub, backtest, by_name, sleeves, signals, report)
            known(loc + sub + ("strategy",), backtest.get("strategy"), names, "strategy")
            known(loc + sub + ("benchmark",), backtest.get("benchmark"), names + ["risk_free"],
                  "benchmark (a strategy or risk_free)")
            rule_name = rules.get(_text(backtest.get("strategy")))
            if rule_name is None:
                continue
            try:
                numeric = numeric_fields(get_rule(rule_name).params)
            except LiqbtError:
                continue
            grid = {axis: values for axis, values in _as_dict(backtest.get("grid")).items()
                    if isinstance(values, list)}
            for axis in grid:
                known(loc + sub + ("grid", axis), axis, numeric,
                      f"grid parameter of rule {rule_name}")
            try:
                check_grid_size(grid, MAX_CLAIM_GRID, "this claim's grid")
            except LiqbtError as exc:
                report(loc + sub + ("grid",), f"{exc} (a claim keeps every combination's daily "
                       "returns in memory)")
