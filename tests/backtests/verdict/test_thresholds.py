"""Verdict labels: "supported" needs the primary significant after Holm AND a large majority of the
specification set agreeing; "inconclusive" says why (not significant, fragile, too little data);
the Holm adjustment matches a case worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from backtests.verdict.config import StressClaim, VerdictSection
from backtests.verdict.inference import holm_adjust
from backtests.verdict.thresholds import (
    INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, agreement, decide_backtest, decide_scenarios,
    decide_stress,
)

SECTION = VerdictSection(claims=[{"id": 6, "test": "stress_then_purchases", "stress_signal": "s",
                                  "pace_signal": "p"}])


def test_holm_matches_a_hand_worked_case():
    """p = (0.01, 0.04, 0.03, 0.20), m = 4. Sorted: 0.01 x 4 = 0.04; 0.03 x 3 = 0.09;
    0.04 x 2 = 0.08 -> running max 0.09; 0.20 x 1 = 0.20. Back in input order:
    (0.04, 0.09, 0.09, 0.20). An untestable claim (NaN) counts as p = 1."""
    assert holm_adjust([0.01, 0.04, 0.03, 0.20]) == pytest.approx([0.04, 0.09, 0.09, 0.20])
    assert holm_adjust([0.3, np.nan]) == pytest.approx([0.6, 1.0])
    assert holm_adjust([0.5, 0.6, 0.7]) == pytest.approx([1.0, 1.0, 1.0])  # capped at 1


def specs(values: list[float]) -> list[dict]:
    return [{"sharpe_difference": v} for v in values]


def oos(diff, low, high, p):
    return {"out_of_sample": {"sharpe_difference": diff, "ci_low": low, "ci_high": high,
                              "p_value": p}}


ALL_AGREE = agreement(specs([0.5] * 10), "backtest")
HALF_LOSE = agreement(specs([0.5] * 5 + [-0.1] * 5), "backtest")


@pytest.mark.parametrize("metrics, p_adjusted, agreed, expected, reason_starts", [
    (oos(0.5, 0.1, 0.9, 0.01), 0.03, ALL_AGREE, SUPPORTED, "Sharpe difference +0.50"),
    (oos(0.5, 0.1, 0.9, 0.01), 0.03, HALF_LOSE, INCONCLUSIVE, "fragile: 5 of 10 specs agree"),
    (oos(0.5, 0.1, 0.9, 0.01), 0.06, ALL_AGREE, INCONCLUSIVE, "Sharpe difference +0.50"),
    (oos(0.3, -0.1, 0.7, 0.12), 0.5, ALL_AGREE, INCONCLUSIVE, "Sharpe difference +0.30"),
    (oos(-0.2, -0.6, 0.2, 0.8), 1.0, ALL_AGREE, NOT_SUPPORTED, "out-of-sample Sharpe"),
    (oos(0.0, -0.3, 0.3, 0.5), 1.0, ALL_AGREE, NOT_SUPPORTED, "out-of-sample Sharpe")])
def test_backtest_thresholds(metrics, p_adjusted, agreed, expected, reason_starts):
    label, reason = decide_backtest(metrics, p_adjusted, agreed, SECTION)
    assert label == expected and reason.startswith(reason_starts), reason


def test_significance_after_holm_is_what_counts():
    """Raw p 0.01 would pass; adjusted 0.06 does not, and the reason shows both."""
    label, reason = decide_backtest(oos(0.5, 0.1, 0.9, 0.01), 0.06, ALL_AGREE, SECTION)
    assert label == INCONCLUSIVE and "p 0.010, Holm-adjusted 0.060" in reason


def test_agreement_counts_the_whole_set_and_the_majority_is_configurable():
    agreed = agreement(specs([0.4] * 8 + [-0.1, float("nan")]), "backtest")
    assert (agreed["agree"], agreed["total"]) == (8, 10) and agreed["share"] == 0.8
    strict = VerdictSection(spec_majority=0.9, claims=SECTION.claims)
    assert decide_backtest(oos(0.5, 0.1, 0.9, 0.01), 0.01, agreed, SECTION)[0] == SUPPORTED
    assert decide_backtest(oos(0.5, 0.1, 0.9, 0.01), 0.01, agreed, strict)[0] == INCONCLUSIVE


def scenario_metrics(gap, low, ordering=True, enough=True):
    return {"b_minus_none": {"ann_mean_gap": gap, "ci_low": low, "ci_high": gap + 0.1,
                             "p_value": 0.01 if low > 0 else 0.3},
            "ordering_holds": ordering, "enough_data": enough, "judged_scenarios": ["A", "B"],
            "too_few_sessions": [] if enough else ["B: 104 sessions"], "min_sessions": 126}


SCENARIOS_AGREE = {"agree": 6, "total": 6, "share": 1.0}


@pytest.mark.parametrize("metrics, p_adjusted, expected", [
    (scenario_metrics(0.05, 0.01), 0.02, SUPPORTED),
    (scenario_metrics(0.05, 0.01), 0.2, INCONCLUSIVE),
    (scenario_metrics(0.05, -0.02), 0.9, INCONCLUSIVE),
    (scenario_metrics(-0.01, -0.05), 1.0, NOT_SUPPORTED),
    (scenario_metrics(0.05, 0.01, ordering=False), 0.02, NOT_SUPPORTED),
    (scenario_metrics(0.05, 0.01, enough=False), 0.02, INCONCLUSIVE)])
def test_scenario_thresholds(metrics, p_adjusted, expected):
    label, reason = decide_scenarios(metrics, p_adjusted, SCENARIOS_AGREE, SECTION)
    assert label == expected
    if not metrics["enough_data"]:
        assert "too few sessions" in reason and "B: 104 sessions" in reason


@pytest.mark.parametrize("hits, n, base, p_adjusted, share, expected", [
    (5, 7, 0.2, 0.004, 1.0, SUPPORTED), (1, 7, 0.3, 0.9, 1.0, NOT_SUPPORTED),
    (2, 2, 0.2, 0.04, 1.0, INCONCLUSIVE), (3, 7, 0.3, 0.35, 1.0, INCONCLUSIVE),
    (5, 7, 0.2, 0.004, 0.5, INCONCLUSIVE)])
def test_stress_thresholds(hits, n, base, p_adjusted, share, expected):
    claim = StressClaim(id=6, test="stress_then_purchases", stress_signal="s", pace_signal="p")
    metrics = {"n_episodes": n, "hits": hits, "hit_rate": hits / n, "base_rate": base,
               "p_value": p_adjusted / 2, "qt_eased": 0}
    agreed = {"agree": int(share * 10), "total": 10, "share": share}
    assert decide_stress(metrics, claim, p_adjusted, agreed, SECTION)[0] == expected
