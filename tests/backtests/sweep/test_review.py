"""Gates on a finished sweep and the comparison with a baseline summary."""

from __future__ import annotations

import copy
import json

import pytest

from backtests.sweep.config import SweepGates
from backtests.sweep.review import (
    check_gates, compare_with_baseline, failed_gate_lines, headline_numbers, load_baseline,
    unchecked_gates,
)
from feeds.errors import InputError


def test_each_gate_compares_its_headline_with_its_threshold(small_sweep):
    summary = small_sweep.summary
    numbers = headline_numbers(summary)
    dsr, pbo, oos = numbers["deflated_sharpe"], numbers["pbo"], numbers["oos_sharpe"]
    assert oos == summary["walk_forward"]["out_of_sample"]["sharpe"]
    passing = check_gates(summary, SweepGates(deflated_sharpe_min=dsr, pbo_max=pbo,
                                              oos_sharpe_min=oos, parity_max_rel=0.0))
    assert passing["passed"] and [r["gate"] for r in passing["results"]] == [
        "deflated_sharpe_min", "pbo_max", "oos_sharpe_min", "parity_max_rel"]
    failing = check_gates(summary, SweepGates(deflated_sharpe_min=min(1.0, dsr + 0.01),
                                              pbo_max=pbo / 2, oos_sharpe_min=oos + 1))
    assert not failing["passed"] and not any(r["passed"] for r in failing["results"])
    assert failed_gate_lines(failing)[1] == (f"gate failed: pbo_max: pbo {pbo:.6g}, maximum "
                                             f"{pbo / 2:g}")
    assert check_gates(summary, SweepGates()) == {"checked": True, "passed": True, "results": []}
    assert failed_gate_lines(unchecked_gates()) == []


def test_a_number_that_could_not_be_computed_fails_its_gate(small_sweep):
    summary = {**small_sweep.summary, "pbo": None}
    gates = check_gates(summary, SweepGates(pbo_max=0.5))
    assert gates["passed"] is False and gates["results"][0]["value"] is None
    assert failed_gate_lines(gates) == ["gate failed: pbo_max: pbo n/a (not computed), "
                                        "maximum 0.5"]


def test_baseline_changes_of_every_headline_and_the_winner(small_sweep, tmp_path):
    path = tmp_path / "before.json"
    before = copy.deepcopy(json.loads((small_sweep.out_dir / "sweep_summary.json").read_text()))
    before["deflated_sharpe"] -= 0.25
    before["best"]["params"]["overweight"] = 0.6
    path.write_text(json.dumps(before))
    compared = compare_with_baseline(small_sweep.summary, load_baseline(path))
    assert compared["file"] == str(path) and compared["winner_changed"]
    change = compared["changes"]["deflated_sharpe"]
    assert change["change"] == pytest.approx(0.25)
    assert compared["changes"]["combos"] == {"value": 18.0, "baseline": 18.0, "change": 0.0}
    same = compare_with_baseline(small_sweep.summary, load_baseline(
        small_sweep.out_dir / "sweep_summary.json"))
    assert not same["winner_changed"] and all(
        c["change"] in (0.0, None) for c in same["changes"].values())


@pytest.mark.parametrize("text, message", [
    (None, "cannot read it"), ("{not json", "not valid JSON"),
    ('{"strategies": {}}', "not a sweep summary"),
])
def test_a_bad_baseline_file_is_one_line(tmp_path, text, message):
    path = tmp_path / "baseline.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"--baseline {path}: ") and "\n" not in str(caught.value)


@pytest.mark.parametrize("edit, problem", [
    ({"best": {"params": 5}}, "best.params is not a mapping of names to numbers"),
    ({"best": {"params": {}, "metrics": {"sharpe": "abc"}}}, "best.metrics is not a mapping"),
    ({"walk_forward": [1]}, "walk_forward is not a walk-forward summary"),
    ({"pbo": "low"}, "pbo is not a number"),
    ({"config": ["x"]}, "config is not a name"),
])
def test_a_baseline_of_the_wrong_shape_is_one_line_before_the_sweep(small_sweep, tmp_path, edit,
                                                                    problem):
    """Wrong shapes used to pass the check and crash after the sweep (AttributeError,
    ValueError in the comparison)."""
    summary = json.loads((small_sweep.out_dir / "sweep_summary.json").read_text())
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({**summary, **edit}))
    with pytest.raises(InputError, match=f"not a sweep summary \\({problem}"):
        load_baseline(path)


def test_a_baseline_selected_by_another_metric_has_no_metric_change(small_sweep, tmp_path):
    """Comparing this sweep's Sharpe with another sweep's CAGR is no change: none is given."""
    summary = json.loads((small_sweep.out_dir / "sweep_summary.json").read_text())
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({**summary, "metric": "cagr"}))
    changes = compare_with_baseline(small_sweep.summary, load_baseline(path))["changes"]
    assert changes["metric"]["baseline"] is None and changes["metric"]["change"] is None
    assert changes["sharpe"]["change"] == 0.0
