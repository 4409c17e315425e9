"""Each article rule on a small hand-made panel where the right weights are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from strategies import StrategyContext, build_weights
from tests.fakes import business_days

SESSIONS = business_days("2024-01-01", 6)


def context(prices: dict[str, object] | None = None, **signals) -> StrategyContext:
    frame = pd.DataFrame(prices or {"spy": 1.0, "gld": 1.0, "ief": 1.0, "iwm": 1.0, "qqq": 1.0,
                                    "svol": 1.0, "steep": 1.0, "cash": 1.0}, index=SESSIONS)
    return StrategyContext(SESSIONS, frame, {k: pd.Series(v, index=SESSIONS) for k, v in signals.items()})


def daily(ctx: StrategyContext, rule: str, params: dict) -> pd.DataFrame:
    return build_weights(ctx, rule, params, "daily")


def test_gold_overweights_in_easing_stances_or_rising_liquidity():
    ctx = context(stance=["QT", "RMP", "neutral", "QE", "neutral", "QT"],
                  nl_z=[0.0, -1.0, 2.0, -1.0, -0.1, np.nan])
    weights = daily(ctx, "gold", {"gold_sleeve": "gld", "stance_signal": "stance",
                                  "liquidity_signal": "nl_z", "rising_above": 0.5,
                                  "base_weight": 0.1, "overweight": 0.3,
                                  "rest": {"spy": 0.6, "ief": 0.4}})
    assert weights["gld"].tolist() == pytest.approx([0.1, 0.3, 0.3, 0.3, 0.1, 0.1])
    assert weights["spy"].tolist() == pytest.approx([0.54, 0.42, 0.42, 0.42, 0.54, 0.54])
    assert weights["ief"].tolist() == pytest.approx([0.36, 0.28, 0.28, 0.28, 0.36, 0.36])


def test_small_tech_tilts_only_while_the_trend_rises():
    ctx = context(trend=[-1.0, 0.2, 1.5, np.nan, 0.0, 3.0])
    weights = daily(ctx, "small_tech", {"core_sleeve": "spy", "small_caps_sleeve": "iwm",
                                        "tech_sleeve": "qqq", "trend_signal": "trend",
                                        "rising_above": 0.0, "tilt": 0.4})
    assert weights["iwm"].tolist() == pytest.approx([0, 0.2, 0.2, 0, 0, 0.2])
    assert weights["qqq"].tolist() == weights["iwm"].tolist()
    assert weights["spy"].tolist() == pytest.approx([1, 0.6, 0.6, 1, 1, 0.6])


def test_steepener_replaces_cash_after_announcements_or_while_adding():
    ctx = context(rmp=[5, 80, 200, np.nan, 90, 300], qe=[np.nan, 90, 300, 400, 10, 100],
                  pace=[0, 0, 40, 40, -95, -95])
    weights = daily(ctx, "steepener", {"steepener_sleeve": "steep", "cash_sleeve": "cash",
                                       "sleeve_weight": 0.4, "days_since_signals": ["rmp", "qe"],
                                       "within_days": 63, "pace_signal": "pace",
                                       "rest": {"spy": 1.0}})
    assert weights["steep"].tolist() == pytest.approx([0.4, 0, 0.4, 0.4, 0.4, 0])
    assert weights["cash"].tolist() == pytest.approx([0, 0.4, 0, 0, 0, 0.4])
    assert weights["spy"].tolist() == pytest.approx([0.6] * 6)


def test_rmp_scenarios_map_the_pace_to_a_b_c_or_none():
    ctx = context(pace=[-95.0, 0.0, 5.0, 25.0, 45.0, np.nan])   # NaN: lump-sum QE -> B
    allocations = {"none": {"spy": 0.6, "ief": 0.4}, "C": {"cash": 0.7, "ief": 0.3},
                   "A": {"spy": 0.7, "ief": 0.3}, "B": {"spy": 0.5, "gld": 0.3, "steep": 0.2}}
    weights = daily(ctx, "rmp_scenarios", {"pace_signal": "pace", "token_max": 10,
                                           "large_min": 45, "allocations": allocations})
    assert weights["cash"].tolist() == pytest.approx([0, 0, 0.7, 0, 0, 0])
    assert weights["spy"].tolist() == pytest.approx([0.6, 0.6, 0, 0.7, 0.5, 0.5])
    assert weights["steep"].tolist() == pytest.approx([0, 0, 0, 0, 0.2, 0.2])


def test_short_vol_holds_only_calm_and_in_contango_and_respects_the_cap():
    sessions = business_days("2023-01-02", 60)
    rng = np.random.default_rng(5)
    svol = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.03, 60))), index=sessions)
    prices = pd.DataFrame({"svol": svol, "cash": 1.0})
    regime = pd.Series("neutral", index=sessions)
    regime.iloc[45] = "stress"
    ratio = pd.Series(0.9, index=sessions)
    ratio.iloc[50] = 1.1
    ctx = StrategyContext(sessions, prices, {"regime": regime, "ts": ratio})
    weights = build_weights(ctx, "short_vol", {
        "short_vol_sleeve": "svol", "regime_signal": "regime", "term_structure_signal": "ts",
        "target_vol": 0.10, "vol_window": 20, "max_weight": 0.25, "rest": {"cash": 1.0}}, "daily")
    realised = svol.pct_change().rolling(20).std() * np.sqrt(252)
    expected = np.minimum(0.25, 0.10 / realised).fillna(0.0)
    expected.iloc[[45, 50]] = 0.0
    assert weights["svol"].to_numpy() == pytest.approx(expected.to_numpy())
    assert weights["cash"].to_numpy() == pytest.approx(1 - expected.to_numpy())
    assert weights["svol"].max() <= 0.25


def test_equal_weight_splits_over_listed_sleeves():
    prices = {"a": 1.0, "b": [np.nan, np.nan, 1, 1, 1, 1], "c": 1.0}
    weights = daily(context(prices), "equal_weight", {})
    assert weights["a"].tolist() == pytest.approx([0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
    assert weights["b"].tolist() == pytest.approx([0, 0, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
