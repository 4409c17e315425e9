"""The verdict on each article claim: run each claim's test, label it by the thresholds of
`backtests.verdict.thresholds`, and return one plain row per claim for the verdict page."""

from __future__ import annotations

from typing import Callable

from backtests.results import RunResult
from backtests.verdict.backtest_claims import evaluate_backtest_claim
from backtests.verdict.conditional_claims import evaluate_scenario_claim, evaluate_stress_claim
from backtests.verdict.config import BacktestClaim, ScenarioClaim, VerdictSection
from backtests.verdict.thresholds import decide_backtest, decide_scenarios, decide_stress

CLAIMS = {
    1: "Volatility driven by liquidity tightening falls once QT ends: be short VIX.",
    2: "Fiscal dominance debases money: overweight gold and real assets.",
    3: "Tactically overweight small caps and tech.",
    4: "Don't sit in cash or T-bills: put on a 2s10s curve steepener.",
    5: "The RMP size decides the regime: large (B, >= $45bn/month) melt-up, moderate (A) soft "
       "landing, token (C) repo accident.",
    6: "Repo stress (SOFR above IORB, record standing-repo usage) means reserves are scarce and "
       "the Fed must buy.",
}

TESTS = {
    "backtest": "rule vs benchmark out of sample (walk-forward over the grid), excess of T-bills: "
                "Sharpe difference with paired stationary-bootstrap CI, HAC t-stat, DSR",
    "scenario_returns": "returns conditional on the pace scenario known the close before: "
                        "equal-weight risk basket, B minus none gap with block-bootstrap CI",
    "stress_then_purchases": "event study: share of fresh repo-stress episodes followed by a "
                             "higher Fed purchase pace within the horizon, vs the base rate "
                             "(one-sided binomial test)",
}


def evaluate_claims(run: RunResult, section: VerdictSection,
                    progress: Callable[[str], None] = lambda message: None) -> list[dict]:
    """One row per configured claim: {id, claim, test, metrics, verdict, reason}."""
    rows = []
    for claim in sorted(section.claims, key=lambda c: c.id):
        progress(f"verdict: claim {claim.id} ({claim.test})")
        if isinstance(claim, BacktestClaim):
            metrics = evaluate_backtest_claim(run, claim, section)
            verdict, reason = decide_backtest(metrics, section)
            test = f"{TESTS['backtest']}: {claim.strategy} vs {claim.benchmark}"
        elif isinstance(claim, ScenarioClaim):
            metrics = evaluate_scenario_claim(run, claim, section)
            verdict, reason = decide_scenarios(metrics, section)
            test = TESTS["scenario_returns"]
            if claim.rule_claim is not None:
                rule = evaluate_backtest_claim(run, claim.rule_claim, section)
                metrics["rule_backtest"] = rule
                metrics["rule_backtest_of"] = (f"{claim.rule_claim.strategy} vs "
                                               f"{claim.rule_claim.benchmark}")
                metrics["rule_backtest_verdict"] = decide_backtest(rule, section)[0]
        else:
            metrics = evaluate_stress_claim(run, claim, section)
            verdict, reason = decide_stress(metrics, claim, section)
            test = TESTS["stress_then_purchases"]
        rows.append({"id": claim.id, "claim": CLAIMS[claim.id], "test": test,
                     "metrics": metrics, "verdict": verdict, "reason": reason})
    return rows
