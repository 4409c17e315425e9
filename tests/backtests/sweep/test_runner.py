"""The sweep runner end to end on real data: vectorbt parity for every combination, identical
output after an interruption and --resume, sane overfitting statistics, a walk-forward that
never sees its test windows, and the dask engine equal to the local one."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from backtests.engine import ExecutionCosts, simulate
from backtests.metrics import METRIC_NAMES, summarise
from backtests.sweep import prepare_sweep, run_configured_sweep
from backtests.sweep.selection import SweepParityError
from backtests.sweep.store import RUN_FACT_KEYS
from feeds.atomic import json_ready
from feeds.errors import InputError
from strategies import build_weights

OUTPUT_FILES = ("sweep.parquet", "sweep.csv", "walk_forward.csv", "walk_forward_returns.csv")


def results_of(summary: dict) -> dict:
    """The summary without run facts, as written to JSON (NaN -> null)."""
    return json_ready({k: v for k, v in summary.items() if k not in RUN_FACT_KEYS})


def relative_gap(a: float, b: float) -> float:
    if np.isnan(a) and np.isnan(b):
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def test_every_combination_equals_a_full_vectorbt_run(small_sweep, sweep_inputs):
    spec, panel, signals = sweep_inputs
    from strategies import StrategyContext

    context = StrategyContext.of_panel(panel, signals)
    strategy = spec.strategy
    costs = ExecutionCosts(spec.costs.fees_bps, spec.costs.slippage_bps, 1)
    table = small_sweep.table
    assert len(table) == 18 and list(table.columns[1:4]) == list(spec.sweep.grid)
    for row in table.itertuples():
        params = {**strategy.params, "base_weight": row.base_weight,
                  "overweight": row.overweight, "rising_above": row.rising_above}
        weights = build_weights(context, "gold", params, strategy.rebalance)
        full = simulate(panel.sleeve_prices, weights, costs, panel.start_position)
        expected = summarise(full.returns, full.traded_fraction)
        for name in METRIC_NAMES:
            assert relative_gap(getattr(row, name), expected[name]) <= 1e-9, (row.combo, name)
        assert relative_gap(row.final_value, float(full.portfolio.value().iloc[-1])) <= 1e-9


def test_summary_has_sane_overfitting_statistics(small_sweep):
    summary, table = small_sweep.summary, small_sweep.table
    assert summary["combos"] == 18 and summary["chunks"] == 4
    eligible = table.loc[table["max_drawdown"] >= -0.15]
    assert summary["n_eligible"] == len(eligible) == int(table["eligible"].sum())
    assert 0 < summary["n_eligible"] < 18                    # the constraint bites
    best = summary["best"]
    assert best["combo"] == int(eligible.loc[eligible["sharpe"].idxmax(), "combo"])
    assert best["metrics"]["sharpe"] == eligible["sharpe"].max()
    assert 0.0 <= summary["deflated_sharpe"] <= summary["deflated_sharpe_detail"]["psr"] <= 1.0
    assert summary["deflated_sharpe_detail"]["n_trials"] == summary["n_eligible"]
    assert 0.0 <= summary["pbo"] <= 1.0
    assert summary["pbo_detail"]["n_combinations"] == 70      # C(8, 4), exhaustive
    assert summary["pbo_detail"]["sample_size"] == summary["n_eligible"]
    assert summary["parity_max_rel"] <= 1e-9 and summary["parity"]["ok"]
    assert best["combo"] in summary["parity"]["combos"] and len(summary["parity"]["combos"]) == 4
    assert summary["combos_per_s"] > 0
    on_disk = json.loads((small_sweep.out_dir / "sweep_summary.json").read_text())
    assert on_disk["pbo"] == summary["pbo"] and on_disk["best"] == best


def test_pbo_subsample_is_bounded_and_keeps_the_winner(sweep_inputs, tmp_path):
    spec, panel, signals = sweep_inputs
    sweep = spec.sweep.model_copy(update={"pbo_max_combos": 3, "parity_samples": 0})
    setup = prepare_sweep(replace(spec, sweep=sweep, walk_forward=None),
                          panel, signals)
    outcome = run_configured_sweep(setup, tmp_path)
    detail = outcome.summary["pbo_detail"]
    assert detail["sample_size"] == 3 and detail["subsampled"] and detail["max_sample"] == 3
    assert outcome.summary["walk_forward"] is None


def test_interrupted_then_resumed_sweep_writes_identical_outputs(small_sweep, sweep_inputs,
                                                                  tmp_path):
    setup = prepare_sweep(*sweep_inputs)
    seen = []

    def crash_after_two(result) -> None:
        seen.append(result.index)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_configured_sweep(setup, tmp_path, on_chunk=crash_after_two)
    manifest = json.loads((tmp_path / "checkpoint" / "manifest.json").read_text())
    assert manifest["done"] == [0, 1] and not (tmp_path / "sweep.parquet").exists()
    resumed = run_configured_sweep(setup, tmp_path, resume=True)
    assert resumed.summary["chunks_resumed"] == 2 and resumed.summary["chunks_computed"] == 2
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (small_sweep.out_dir / name).read_bytes(), name
    assert results_of(resumed.summary) == results_of(small_sweep.summary)


def test_resume_refuses_a_checkpoint_of_other_work(sweep_inputs, tmp_path):
    spec, panel, signals = sweep_inputs
    setup = prepare_sweep(*sweep_inputs)
    with pytest.raises(KeyboardInterrupt):
        run_configured_sweep(setup, tmp_path, on_chunk=lambda r: (_ for _ in ()).throw(
            KeyboardInterrupt))
    changed = replace(spec, costs=spec.costs.model_copy(update={"fees_bps": 10.0}))
    with pytest.raises(InputError, match="different config.*run without --resume"):
        run_configured_sweep(prepare_sweep(changed, panel, signals), tmp_path, resume=True)
    with pytest.raises(InputError, match="different config"):
        run_configured_sweep(setup, tmp_path, resume=True, chunk=7)
    # Without --resume the old chunks are discarded and the sweep starts over.
    fresh = run_configured_sweep(setup, tmp_path, chunk=7)
    assert fresh.summary["chunks_resumed"] == 0 and fresh.summary["chunks"] == 3


def _panel_with(panel, prices: pd.DataFrame) -> SimpleNamespace:
    return SimpleNamespace(sessions=panel.sessions, sleeve_prices=prices, decision_prices=prices,
                           sleeve_tradable=panel.sleeve_tradable,
                           start_position=panel.start_position)


def test_walk_forward_picks_never_see_their_test_windows(sweep_inputs, small_sweep, tmp_path):
    """Truncation-style: from a window's train end on, gold rallies 0.5% a session (so the
    gold-heavy combinations win any later selection); that window's pick and every earlier one
    stand, while later picks move."""
    spec, panel, signals = sweep_inputs
    spec = replace(spec, sweep=spec.sweep.model_copy(update={"parity_samples": 0}))
    baseline = small_sweep.walk_forward_table["combo"].tolist()
    later_moved = 0
    for j in (0, 3, 6):
        train_stop = int(small_sweep.walk_forward_table["train_stop"].iloc[j])
        cut = panel.start_position + train_stop
        prices = panel.sleeve_prices.copy()
        ramp = 1.005 ** np.arange(len(prices) - cut)
        prices.iloc[cut:, prices.columns.get_loc("gold")] *= ramp
        setup = prepare_sweep(spec, _panel_with(panel, prices), signals)
        picks = run_configured_sweep(setup, tmp_path / str(j)).walk_forward_table["combo"]
        assert picks.tolist()[: j + 1] == baseline[: j + 1]
        later_moved += picks.tolist()[j + 1:] != baseline[j + 1:]
    assert later_moved == 3


def test_no_eligible_combination_is_a_one_line_input_error(sweep_inputs, tmp_path):
    spec, panel, signals = sweep_inputs
    sweep = spec.sweep.model_copy(update={"constraints": type(spec.sweep.constraints)(
        max_drawdown_above=-0.01)})
    setup = prepare_sweep(replace(spec, sweep=sweep), panel, signals)
    with pytest.raises(InputError, match="none of the 18 combinations meets sweep.constraints"):
        run_configured_sweep(setup, tmp_path)
    assert (tmp_path / "sweep.csv").is_file()      # the metrics are still there to look at


def test_parity_failure_stops_the_sweep_with_exit_code_1(sweep_inputs, tmp_path, monkeypatch):
    import backtests.sweep.selection as sweep_select

    def off_by_a_millionth(*args, **kwargs):
        full = simulate(*args, **kwargs)
        value = full.portfolio.value() * (1 + 1e-6)
        return SimpleNamespace(portfolio=SimpleNamespace(value=lambda: value),
                               returns=full.returns, traded_fraction=full.traded_fraction)

    monkeypatch.setattr(sweep_select, "simulate", off_by_a_millionth)
    with pytest.raises(SweepParityError, match="relative gap 1e-06 > 1e-9") as caught:
        run_configured_sweep(prepare_sweep(*sweep_inputs), tmp_path)
    assert caught.value.exit_code == 1 and "\n" not in str(caught.value)
    summary = json.loads((tmp_path / "sweep_summary.json").read_text())
    assert summary["parity"]["ok"] is False and summary["parity_max_rel"] > 1e-9


def test_dask_engine_writes_the_same_outputs_as_the_local_one(small_sweep, sweep_inputs,
                                                              tmp_path):
    outcome = run_configured_sweep(prepare_sweep(*sweep_inputs), tmp_path, engine="dask",
                                   workers=2)
    assert outcome.summary["engine"] == "dask"
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (small_sweep.out_dir / name).read_bytes(), name
    assert results_of(outcome.summary) == results_of(small_sweep.summary)


def test_a_missing_dask_gives_a_one_line_error(sweep_inputs, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(InputError, match=r"pip install 'liqbt\[dist\]'"):
        run_configured_sweep(prepare_sweep(*sweep_inputs), tmp_path, engine="dask")



def test_winner_and_median_combination_curves_are_their_rows(small_sweep):
    """The sweep page's equity chart: the daily returns of the winner and of the eligible
    combination at the median of the selection metric compound to their rows' total returns."""
    table, curves = small_sweep.table, small_sweep.curves
    eligible = table.loc[table["eligible"]].sort_values(["sharpe", "combo"], kind="stable")
    median = int(eligible["combo"].iloc[(len(eligible) - 1) // 2])
    assert small_sweep.median_combo == median
    assert list(curves.columns) == ["winner", "median"]
    assert curves.index.equals(small_sweep.walk_forward.index)
    for column, combo in (("winner", small_sweep.summary["best"]["combo"]), ("median", median)):
        total = float((1 + curves[column]).prod() - 1)
        assert total == pytest.approx(table.loc[combo, "total_return"], rel=1e-12), column
