"""sweep.html: the heatmap slices through the winner, tables rank eligible combinations, and a
one-axis grid gets a line instead of a heatmap."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from backtests.sweep import prepare_sweep, run_configured_sweep
from reports.sweep_page import heatmap_figure, ranked, render_sweep_page
from tests.html_checks import parse_page


def test_ranking_keeps_eligible_rows_best_first():
    table = pd.DataFrame({"combo": [0, 1, 2, 3], "volatility": [0.2, 0.1, 0.1, 0.05],
                          "eligible": [True, True, True, False]})
    assert ranked(table, "volatility", "min")["combo"].tolist() == [1, 2, 0]
    assert ranked(table, "volatility", "max")["combo"].tolist() == [0, 1, 2]


def test_heatmap_is_a_slice_through_the_winner(small_sweep):
    summary, table = small_sweep.summary, small_sweep.table
    params = list(summary["grid"])
    figure = heatmap_figure(table, ["base_weight", "overweight"], params, summary["best"],
                            "sharpe")
    heat = figure.data[0]
    assert heat.type == "heatmap" and len(heat.x) == 3 and len(heat.y) == 3
    at = summary["best"]["params"]["rising_above"]
    sliced = table.loc[table["rising_above"] == at]
    assert sorted(pd.Series(heat.z.ravel()).dropna()) == sorted(sliced["sharpe"])
    assert any(trace.name == "winner" for trace in figure.data)


def test_one_axis_grid_renders_a_line(sweep_inputs, tmp_path):
    spec, panel, signals = sweep_inputs
    sweep = spec.sweep.model_copy(update={"grid": {"overweight": [0.2, 0.3, 0.4]},
                                            "parity_samples": 1})
    outcome = run_configured_sweep(prepare_sweep(
        replace(spec, sweep=sweep, walk_forward=None), panel, signals),
        tmp_path)
    page = render_sweep_page(outcome, "one axis", {"config_name": "t"}, "<script></script>")
    parsed = parse_page(page)
    assert parsed.external == [] and "sweep-heatmap" in parsed.charts
    assert "walk-forward-metrics" not in parsed.ids and "No <code>walk_forward:</code>" in page
