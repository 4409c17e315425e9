"""sweep_summary.md rendered from a real sweep's summary: the selection metric's row in its unit,
the top 10 in the metric's order, the baseline columns, and the gates' verdict first."""

from __future__ import annotations

import copy

from backtests.sweep.config import SweepGates
from backtests.sweep.review import Baseline, check_gates, compare_with_baseline
from reports.sweep_markdown import sweep_summary_markdown


def rows_of(markdown: str, header: str) -> list[str]:
    block = markdown.split(header, 1)[1].split("\n\n", 2)[1]
    return [line for line in block.splitlines() if line.startswith("| ")][1:]  # no header


def test_a_cagr_sweep_shows_its_metric_as_a_percentage_and_ranks_by_it(small_sweep):
    summary = {**small_sweep.summary, "metric": "cagr", "metric_sense": "max",
               "gates": check_gates(small_sweep.summary, SweepGates(pbo_max=0.5))}
    markdown = sweep_summary_markdown(summary, small_sweep.table)
    best = summary["best"]["metrics"]
    assert f"| winner's cagr | {best['cagr']:.2%} |" in markdown
    assert markdown.index("**Gates: ✅ all 1 passed.**") < markdown.index("Winner by **cagr**")
    top = rows_of(markdown, "### Top 10 by cagr")
    cagrs = [float(r.split(" | ")[4].rstrip("%")) for r in top]
    assert cagrs == sorted(cagrs, reverse=True) and len(top) == 10


def test_a_baseline_adds_before_and_change_columns(small_sweep):
    before = copy.deepcopy(small_sweep.summary)
    before["pbo"] = 0.5
    before["best"]["params"] = {**before["best"]["params"], "overweight": 0.6}
    summary = {**small_sweep.summary, "gates": {"checked": True, "passed": True, "results": []}}
    summary["baseline"] = compare_with_baseline(summary, Baseline("old/sweep_summary.json",
                                                                  before))
    markdown = sweep_summary_markdown(summary, small_sweep.table)
    assert "| headline | value | baseline | change |" in markdown
    pbo = summary["pbo"]
    assert f"| PBO | {pbo:.3f} | 0.500 | {pbo - 0.5:+.3f} |" in markdown
    assert "| combinations | 18 | 18 | +0 |" in markdown
    assert ("Baseline: `old/sweep_summary.json` (small_sweep); the winner changed from "
            "base_weight = 0.2, overweight = 0.6") in markdown
    assert "**Gates: none configured**" in markdown
