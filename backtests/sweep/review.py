"""What a reviewer judges a sweep by: its headline numbers, their change against a baseline (a
previous `sweep_summary.json`), and the `sweep.gates` on them.

Gates are checked on the finished sweep (after the merge, for a sharded one): each configured gate
compares one headline number with its threshold; a number that could not be computed (e.g. PBO with
too few eligible combinations) fails its gate, since nothing shows the sweep meets it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import NamedTuple

from backtests.sweep.config import SweepGates
from feeds.errors import InputError


class Baseline(NamedTuple):
    """A previous sweep's summary and where it was read from."""

    source: str
    summary: dict


class Headline(NamedTuple):
    name: str
    label: str
    kind: str       # "percent", "number", "ratio" (shown in scientific notation), "count"


HEADLINES = (
    Headline("metric", "winner's selection metric", "number"),
    Headline("sharpe", "winner's Sharpe", "number"),
    Headline("cagr", "winner's CAGR", "percent"),
    Headline("max_drawdown", "winner's max drawdown", "percent"),
    Headline("deflated_sharpe", "deflated Sharpe", "number"),
    Headline("pbo", "PBO", "number"),
    Headline("parity_max_rel", "parity with vectorbt (max rel. gap)", "ratio"),
    Headline("is_sharpe", "walk-forward in-sample Sharpe", "number"),
    Headline("oos_sharpe", "walk-forward out-of-sample Sharpe", "number"),
    Headline("n_eligible", "eligible combinations", "count"),
    Headline("combos", "combinations", "count"),
)

# gate -> (headline it bounds, "min" or "max")
GATES = {
    "deflated_sharpe_min": ("deflated_sharpe", "min"),
    "pbo_max": ("pbo", "max"),
    "oos_sharpe_min": ("oos_sharpe", "min"),
    "parity_max_rel": ("parity_max_rel", "max"),
}


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def headline_numbers(summary: dict) -> dict[str, float | None]:
    """The numbers of HEADLINES from a sweep summary (None where the sweep has none)."""
    best = summary.get("best") or {}
    metrics = best.get("metrics") or {}
    walk = summary.get("walk_forward") or {}
    return {
        "metric": _number(metrics.get(summary.get("metric", "sharpe"))),
        "sharpe": _number(metrics.get("sharpe")),
        "cagr": _number(metrics.get("cagr")),
        "max_drawdown": _number(metrics.get("max_drawdown")),
        "deflated_sharpe": _number(summary.get("deflated_sharpe")),
        "pbo": _number(summary.get("pbo")),
        "parity_max_rel": _number(summary.get("parity_max_rel")),
        "is_sharpe": _number((walk.get("in_sample") or {}).get("sharpe")),
        "oos_sharpe": _number((walk.get("out_of_sample") or {}).get("sharpe")),
        "n_eligible": _number(summary.get("n_eligible")),
        "combos": _number(summary.get("combos")),
    }


def check_gates(summary: dict, gates: SweepGates) -> dict:
    """{"checked": True, "passed", "results": [{gate, headline, value, threshold, passed}]}."""
    numbers = headline_numbers(summary)
    results = []
    for gate, threshold in gates.model_dump().items():
        if threshold is None:
            continue
        headline, side = GATES[gate]
        value = numbers[headline]
        passed = value is not None and (value >= threshold if side == "min" else value <= threshold)
        results.append({"gate": gate, "headline": headline, "value": value,
                        "threshold": threshold, "passed": passed})
    return {"checked": True, "passed": all(r["passed"] for r in results), "results": results}


def unchecked_gates() -> dict:
    """The summary's `gates` entry of a sweep run with --no-gates."""
    return {"checked": False, "passed": None, "results": []}


def failed_gate_lines(gates: dict) -> list[str]:
    """One line per failed gate: the gate, the value, the threshold."""
    lines = []
    for result in gates.get("results", []):
        if result["passed"]:
            continue
        side = "minimum" if GATES[result["gate"]][1] == "min" else "maximum"
        value = "n/a (not computed)" if result["value"] is None else f"{result['value']:.6g}"
        lines.append(f"gate failed: {result['gate']}: {result['headline']} {value}, {side} "
                     f"{result['threshold']:g}")
    return lines


def load_baseline(path: Path) -> Baseline:
    """A previous sweep_summary.json (the --baseline file), or a one-line InputError."""
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"--baseline {path}: cannot read it ({exc.strerror}); pass a "
                         "sweep_summary.json of an earlier sweep") from None
    except ValueError as exc:
        raise InputError(f"--baseline {path}: not valid JSON ({exc}); pass a sweep_summary.json "
                         "of an earlier sweep") from None
    problem = _summary_problem(baseline)
    if problem:
        raise InputError(f"--baseline {path}: not a sweep summary ({problem}); pass a "
                         "sweep_summary.json of an earlier sweep")
    return Baseline(str(path), baseline)


def _is_number(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _summary_problem(summary) -> str | None:
    """What makes `summary` unlike a sweep_summary.json liqbt wrote (the fields compared)."""
    if not isinstance(summary, dict) or not isinstance(summary.get("best"), dict):
        return "no 'best' entry"
    best = summary["best"]
    for field in ("params", "metrics"):
        values = best.get(field, {})
        if not isinstance(values, dict) or not all(
                isinstance(k, str) and _is_number(v) for k, v in values.items()):
            return f"best.{field} is not a mapping of names to numbers"
    walk = summary.get("walk_forward")
    if walk is not None and not (isinstance(walk, dict) and all(
            isinstance(walk.get(side, {}), dict) and _is_number(walk.get(side, {}).get("sharpe"))
            for side in ("in_sample", "out_of_sample"))):
        return "walk_forward is not a walk-forward summary"
    for field in ("deflated_sharpe", "pbo", "parity_max_rel", "n_eligible", "combos"):
        if not _is_number(summary.get(field)):
            return f"{field} is not a number"
    for field in ("metric", "config"):
        if not isinstance(summary.get(field, ""), str):
            return f"{field} is not a name"
    return None


def compare_with_baseline(summary: dict, baseline: Baseline) -> dict:
    """Every headline number now, in the baseline, and the change; the winners of both."""
    source, baseline = baseline
    now, before = headline_numbers(summary), headline_numbers(baseline)
    changes = {}
    for headline in HEADLINES:
        value, old = now[headline.name], before[headline.name]
        if headline.name == "metric" and baseline.get("metric", "sharpe") != summary.get(
                "metric", "sharpe"):
            old = None  # the baseline selected by another metric: no comparable number
        changes[headline.name] = {"value": value, "baseline": old,
                                  "change": None if value is None or old is None else value - old}
    winner, old_winner = summary["best"].get("params"), baseline["best"].get("params")
    return {"file": source, "config": baseline.get("config"), "metric": baseline.get("metric"),
            "winner": old_winner, "winner_changed": winner != old_winner, "changes": changes}
