"""Verdict labels: the thresholds say "supported", "not supported" and "inconclusive" exactly
where they are written to."""

from __future__ import annotations

import pytest

from backtests.verdict.config import StressClaim, VerdictSection
from backtests.verdict.thresholds import (
    INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, decide_backtest, decide_scenarios, decide_stress,
)

SECTION = VerdictSection(claims=[{"id": 6, "test": "stress_then_purchases", "stress_signal": "s",
                                  "pace_signal": "p"}])


def oos(diff, low, high, p):
    return {"out_of_sample": {"sharpe_difference": diff, "ci_low": low, "ci_high": high,
                              "p_value": p}}


@pytest.mark.parametrize("metrics, expected", [
    (oos(0.5, 0.1, 0.9, 0.01), SUPPORTED),
    (oos(0.3, -0.1, 0.7, 0.12), INCONCLUSIVE),
    (oos(-0.2, -0.6, 0.2, 0.8), NOT_SUPPORTED),
    (oos(0.0, -0.3, 0.3, 0.5), NOT_SUPPORTED)])
def test_backtest_thresholds(metrics, expected):
    assert decide_backtest(metrics, SECTION)[0] == expected


def scenario_metrics(gap, low, ordering=True, enough=True):
    return {"b_minus_none": {"ann_mean_gap": gap, "ci_low": low, "ci_high": gap + 0.1,
                             "p_value": 0.01 if low > 0 else 0.3},
            "ordering_holds": ordering, "enough_data": enough, "judged_scenarios": ["A", "B"]}


@pytest.mark.parametrize("metrics, expected", [
    (scenario_metrics(0.05, 0.01), SUPPORTED),
    (scenario_metrics(0.05, -0.02), INCONCLUSIVE),
    (scenario_metrics(-0.01, -0.05), NOT_SUPPORTED),
    (scenario_metrics(0.05, 0.01, ordering=False), NOT_SUPPORTED),
    (scenario_metrics(0.05, 0.01, enough=False), INCONCLUSIVE)])
def test_scenario_thresholds(metrics, expected):
    assert decide_scenarios(metrics, SECTION)[0] == expected


@pytest.mark.parametrize("hits, n, base, p, expected", [
    (5, 7, 0.2, 0.004, SUPPORTED), (1, 7, 0.3, 0.9, NOT_SUPPORTED), (2, 2, 0.2, 0.04, INCONCLUSIVE),
    (3, 7, 0.3, 0.35, INCONCLUSIVE)])
def test_stress_thresholds(hits, n, base, p, expected):
    claim = StressClaim(id=6, test="stress_then_purchases", stress_signal="s", pace_signal="p")
    metrics = {"n_episodes": n, "hits": hits, "hit_rate": hits / n, "base_rate": base, "p_value": p}
    assert decide_stress(metrics, claim, SECTION)[0] == expected
