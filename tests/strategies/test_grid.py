"""Grids: one vectorised build equals the single-combination builds, exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from feeds.errors import InputError
from strategies import StrategyContext, build_weight_grid, build_weights
from tests.fakes import business_days


@pytest.fixture(scope="module")
def ctx() -> StrategyContext:
    sessions = business_days("2015-01-01", 900)
    rng = np.random.default_rng(1)
    prices = pd.DataFrame(100 * np.exp(np.cumsum(rng.normal(0, 0.01, (900, 4)), axis=0)),
                          index=sessions, columns=["spy", "gld", "ief", "svol"])
    stance = pd.Series(rng.choice(["QE", "RMP", "neutral", "QT"], 900), index=sessions)
    regime = pd.Series(rng.choice(["expanding", "neutral", "stress"], 900), index=sessions)
    return StrategyContext(sessions, prices, {
        "stance": stance, "regime": regime,
        "trend": pd.Series(rng.normal(0, 1, 900), index=sessions),
        "ts": pd.Series(rng.uniform(0.8, 1.2, 900), index=sessions)}, start_position=50)


GOLD = {"gold_sleeve": "gld", "stance_signal": "stance", "liquidity_signal": "trend",
        "rest": {"spy": 0.6, "ief": 0.4}}


def test_3x3x2_grid_equals_its_18_single_builds(ctx):
    grid = {"base_weight": [0.0, 0.05, 0.1], "overweight": [0.2, 0.3, 0.4],
            "rising_above": [-0.5, 0.5]}
    built = build_weight_grid(ctx, "gold", GOLD, "monthly", grid)
    assert built.size == 18
    for k, values in enumerate(itertools.product(*grid.values())):
        single = build_weights(ctx, "gold", {**GOLD, **dict(zip(grid, values))}, "monthly")
        assert np.array_equal(built.frame(k).to_numpy(), single.to_numpy(), equal_nan=True)
    assert list(built.combos.columns) == list(grid)


def test_grid_over_an_integer_window_parameter(ctx):
    params = {"short_vol_sleeve": "svol", "regime_signal": "regime", "term_structure_signal": "ts",
              "rest": {"ief": 1.0}}
    grid = {"vol_window": [10, 20, 60], "max_weight": [0.1, 0.25]}
    built = build_weight_grid(ctx, "short_vol", params, "weekly", grid)
    for k, (window, cap) in enumerate(itertools.product(*grid.values())):
        single = build_weights(ctx, "short_vol", {**params, "vol_window": window,
                                                  "max_weight": cap}, "weekly")
        assert np.array_equal(built.frame(k).to_numpy(), single.to_numpy(), equal_nan=True)


def test_to_frame_has_parameter_levels_then_sleeve(ctx):
    built = build_weight_grid(ctx, "gold", GOLD, "monthly", {"overweight": [0.2, 0.3]})
    frame = built.to_frame()
    assert frame.columns.names == ["overweight", "sleeve"]
    assert frame[(0.3, "gld")].dropna().max() == pytest.approx(0.3)


@pytest.mark.parametrize("grid, message", [
    ({"gold_sleeve": ["gld"]}, "not a numeric parameter"),
    ({"overweight": [0.2, 1.5]}, "value 1.5"),
    ({"overweight": []}, "non-empty list")])
def test_bad_grid_axes_are_named(ctx, grid, message):
    with pytest.raises(InputError, match=message):
        build_weight_grid(ctx, "gold", GOLD, "monthly", grid)


def test_chunks_of_the_combos_table_build_the_same_weights(ctx):
    """A streamed sweep builds one slice of the combinations table at a time."""
    from strategies.grid import expand_grid
    from strategies.gold import GoldParams

    grid = {"base_weight": [0.0, 0.1], "overweight": [0.2, 0.3, 0.4], "rising_above": [-0.5, 0.5]}
    full = build_weight_grid(ctx, "gold", GOLD, "monthly", grid)
    table = expand_grid(GoldParams, GOLD, grid).combos
    assert table.equals(full.combos)
    for rows in (slice(0, 5), slice(5, 11), slice(11, 12)):
        chunk = build_weight_grid(ctx, "gold", GOLD, "monthly", combos=table.iloc[rows])
        assert np.array_equal(chunk.weights, full.weights[rows])
        assert np.array_equal(chunk.decision_idx, full.decision_idx)
        assert list(chunk.combos.index) == list(range(len(chunk.combos)))


@pytest.mark.parametrize("combos, message", [
    (pd.DataFrame({"gold_sleeve": [1.0]}), "not a numeric parameter"),
    (pd.DataFrame({"overweight": [0.2, 1.5]}), "value 1.5"),
    (pd.DataFrame({"overweight": []}), "at least one combination")])
def test_bad_combos_rows_are_named(ctx, combos, message):
    with pytest.raises(InputError, match=message):
        build_weight_grid(ctx, "gold", GOLD, "monthly", combos=combos)


def test_every_combination_is_checked_when_parameters_constrain_each_other(ctx):
    params = {"pace_signal": "trend", "allocations": {s: {"spy": 1.0} for s in ("none", "A", "B", "C")}}
    # Each axis is valid against the base (token_max 10, large_min 45); the pairing 40/30 is not.
    with pytest.raises(InputError, match=r"token_max=40, large_min=30: token_max \(40\) must be below"):
        build_weight_grid(ctx, "rmp_scenarios", params, "monthly",
                          {"token_max": [5, 40], "large_min": [30, 60]})


def test_the_numpy_product_is_itertools_product_in_the_same_order():
    from strategies.grid import product_columns

    axes = [np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0]), np.array([0.5, 0.25, 0.0, -1.0])]
    columns = product_columns(axes)
    assert list(zip(*columns)) == list(itertools.product(*axes))


def test_a_grid_too_large_to_build_is_refused_with_its_count_before_anything_is_built(ctx):
    import time

    from strategies.grid import MAX_GRID_COMBINATIONS

    values = [round(0.001 * i, 3) for i in range(1000)]
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"the grid has 1,000,000,000 combinations \(1,000 "
                                         r"base_weight x 1,000 overweight x 1,000 rising_above\); "
                                         rf"at most {MAX_GRID_COMBINATIONS:,} are built"):
        build_weight_grid(ctx, "gold", GOLD, "monthly", {"base_weight": values,
                                                         "overweight": values,
                                                         "rising_above": values})
    assert time.perf_counter() - started < 1.0  # counted, not built


def test_a_value_repeated_on_an_axis_is_refused(ctx):
    with pytest.raises(InputError, match="grid axis 'overweight' lists 0.3 more than once"):
        build_weight_grid(ctx, "gold", GOLD, "monthly", {"overweight": [0.2, 0.3, 0.30]})
