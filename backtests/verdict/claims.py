"""The verdict on each article claim: run each claim's test across its specification set, adjust
the claims' p-values together (Holm), label each by the thresholds of
`backtests.verdict.thresholds`, and return one plain row per claim for the verdict page."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from backtests.results import RunResult
from backtests.verdict.backtest_claims import evaluate_backtest_claim
from backtests.verdict.config import BacktestClaim, ScenarioClaim, VerdictSection
from backtests.verdict.inference import holm_adjust
from backtests.verdict.scenario_claims import evaluate_scenario_claim
from backtests.verdict.specs import SpecInputs
from backtests.verdict.stress_claims import evaluate_stress_claim
from backtests.verdict.thresholds import (
    agreement, decide_backtest, decide_scenarios, decide_stress,
)

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
    "backtest": "rule vs benchmark out of sample (walk-forward over the grid), in excess of the "
                "risk-free: Sharpe difference with paired stationary-bootstrap CI, HAC t-stat; "
                "DSR of rule minus benchmark (trials = grid x specifications), PBO on the grid",
    "scenario_returns": "returns conditional on the RMP-type pace scenario known the close "
                        "before (QE on its own row): equal-weight risk basket, B minus none gap "
                        "with block-bootstrap CI",
    "stress_then_purchases": "event study: share of fresh repo-stress episodes followed by new or "
                             "larger Fed purchases within the horizon, vs the base rate "
                             "(circular rotation test over dates)",
}
NOT_APPLICABLE = {"note": "not applicable: this test selects nothing from a grid"}


def _evaluate(inputs: SpecInputs, claim, section: VerdictSection) -> dict:
    """The claim's numbers before labelling: metrics, specifications, dsr, pbo, p_value, ..."""
    if isinstance(claim, BacktestClaim):
        result = evaluate_backtest_claim(inputs, claim, section)
        result["test"] = f"{TESTS['backtest']}: {claim.strategy} vs {claim.benchmark}"
        result["p_value"] = result["metrics"]["out_of_sample"]["p_value"]
        return result
    if isinstance(claim, ScenarioClaim):
        result = evaluate_scenario_claim(inputs, claim, section)
        result["metrics"]["min_sessions"] = claim.min_sessions
        result["test"] = TESTS["scenario_returns"]
        result["p_value"] = result["metrics"]["b_minus_none"]["p_value"]
        if claim.rule_claim is not None:
            rule = evaluate_backtest_claim(inputs, claim.rule_claim, section)
            result["metrics"]["rule_backtest"] = rule["metrics"]
            result["metrics"]["rule_backtest_of"] = (f"{claim.rule_claim.strategy} vs "
                                                     f"{claim.rule_claim.benchmark}")
            result["rule_specifications"] = rule["specifications"]
            for key in ("dsr", "pbo", "real_product_window", "chart"):
                result[key] = {**rule[key], "of_rule": result["metrics"]["rule_backtest_of"]} \
                    if key != "chart" else rule[key]
        return result
    result = evaluate_stress_claim(inputs, claim, section)
    result["test"] = TESTS["stress_then_purchases"]
    result["p_value"] = result["metrics"]["p_value"]
    return result


def _label(claim, result: dict, p_adjusted: float, section: VerdictSection) -> tuple[str, str]:
    agreed = result["spec_agreement"]
    if isinstance(claim, BacktestClaim):
        return decide_backtest(result["metrics"], p_adjusted, agreed, section)
    if isinstance(claim, ScenarioClaim):
        return decide_scenarios(result["metrics"], p_adjusted, agreed, section)
    return decide_stress(result["metrics"], claim, p_adjusted, agreed, section)


@contextmanager
def one_numba_thread() -> Iterator[None]:
    """The verdict's kernels run on small matrices, in the main process, while the tearsheets
    render in worker processes: numba's parallel loops would only add thread hand-offs there."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def evaluate_claims(run: RunResult, section: VerdictSection,
                    progress: Callable[[str], None] = lambda message: None) -> list[dict]:
    """One row per configured claim: {id, claim, kind, test, metrics, specifications,
    spec_agreement, p_value, p_adjusted, dsr, pbo, real_product_window, verdict, reason, chart}."""
    inputs = SpecInputs(run)
    claims = sorted(section.claims, key=lambda c: c.id)
    results = []
    with one_numba_thread():
        for claim in claims:
            progress(f"verdict: claim {claim.id} ({claim.test}, "
                     f"{len(claim.specifications) + 1} specifications)")
            result = _evaluate(inputs, claim, section)
            result["spec_agreement"] = {**agreement(result["specifications"], claim.test),
                                        "required": section.spec_majority}
            results.append(result)
    adjusted = holm_adjust([r["p_value"] for r in results])
    rows = []
    for claim, result, p_adjusted in zip(claims, results, adjusted):
        verdict, reason = _label(claim, result, float(p_adjusted), section)
        rows.append({"id": claim.id, "claim": CLAIMS[claim.id], "kind": claim.test,
                     "test": result["test"],
                     "verdict": verdict, "reason": reason, "p_value": result["p_value"],
                     "p_adjusted": float(p_adjusted), "spec_agreement": result["spec_agreement"],
                     "specifications": result["specifications"],
                     "dsr": result.get("dsr", NOT_APPLICABLE),
                     "pbo": result.get("pbo", NOT_APPLICABLE),
                     "real_product_window": result.get("real_product_window", {"all_real": True}),
                     "metrics": result["metrics"], "chart": result.get("chart"),
                     **({"rule_specifications": result["rule_specifications"]}
                        if "rule_specifications" in result else {})})
    return rows
