"""Schedules and the first rules, on hand-made panels where the right weights are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from strategies import StrategyContext, build_weights
from strategies.schedule import rebalance_mask
from tests.fakes import business_days


def test_monthly_schedule_decides_on_the_first_session_of_each_month():
    sessions = business_days("2024-01-29", 30)
    mask = rebalance_mask(sessions, "monthly", start_position=0)
    assert list(sessions[mask].strftime("%Y-%m-%d")) == ["2024-01-29", "2024-02-01", "2024-03-01"]


def test_schedule_starts_at_the_backtest_start_not_in_the_warmup():
    sessions = business_days("2024-01-01", 60)
    mask = rebalance_mask(sessions, "monthly", start_position=10)
    assert not mask[:10].any() and mask[10]


def test_regime_allocator_weights_follow_the_label_known_at_each_close():
    sessions = business_days("2024-01-01", 6)
    prices = pd.DataFrame({"risk": 1.0, "safe": 1.0}, index=sessions)
    labels = pd.Series(["unknown", "calm", "calm", "alarm", "alarm", "calm"], index=sessions)
    context = StrategyContext(sessions, prices, {"regime": labels})
    params = {"regime_signal": "regime", "fallback": "calm",
              "weights": {"calm": {"risk": 0.8, "safe": 0.2}, "alarm": {"safe": 1.0}}}
    weights = build_weights(context, "liquidity_regime", params, "daily")
    assert weights["risk"].tolist() == [0.8, 0.8, 0.8, 0.0, 0.0, 0.8]
    assert weights["safe"].tolist() == [0.2, 0.2, 0.2, 1.0, 1.0, 0.2]


def test_a_sleeve_that_does_not_exist_yet_gets_zero_and_its_share_stays_in_cash():
    sessions = business_days("2024-01-01", 4)
    prices = pd.DataFrame({"old": 1.0, "new": [np.nan, np.nan, 1.0, 1.0]}, index=sessions)
    context = StrategyContext(sessions, prices)
    weights = build_weights(context, "fixed_weights", {"weights": {"old": 0.5, "new": 0.5}}, "daily")
    assert weights["new"].tolist() == [0.0, 0.0, 0.5, 0.5]
    assert weights["old"].tolist() == [0.5] * 4


def test_buy_and_hold_decides_once():
    sessions = business_days("2024-01-01", 40)
    context = StrategyContext(sessions, pd.DataFrame({"spy": 1.0, "gld": 1.0}, index=sessions))
    weights = build_weights(context, "buy_and_hold", {"sleeve": "spy"}, "once")
    assert weights.dropna().to_dict("records") == [{"spy": 1.0, "gld": 0.0}]


@pytest.mark.parametrize("bad", [{"weights": {"a": 0.7, "b": 0.7}}, {"weights": {"a": -0.1}}])
def test_fixed_weights_refuse_leverage_and_shorts(bad):
    from pydantic import ValidationError

    from strategies import get_rule

    with pytest.raises(ValidationError):
        get_rule("fixed_weights").params.model_validate(bad)


def test_a_terminated_sleeve_is_not_bought_again():
    sessions = business_days("2024-01-01", 5)
    prices = pd.DataFrame({"svol": 1.0, "cash": 1.0}, index=sessions)
    tradable = pd.DataFrame({"svol": [True, True, False, False, False], "cash": True}, index=sessions)
    context = StrategyContext(sessions, prices, tradable_mask=tradable)
    weights = build_weights(context, "fixed_weights", {"weights": {"svol": 0.3, "cash": 0.7}}, "daily")
    assert weights["svol"].tolist() == [0.3, 0.3, 0.0, 0.0, 0.0]
    assert weights["cash"].tolist() == [0.7] * 5
