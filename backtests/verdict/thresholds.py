"""Verdict labels from explicit thresholds, written out here and quoted on the verdict page.

alpha = (1 - confidence) / 2 = 0.05 with the default 90% intervals (one-sided tests).
Multiple testing: the six claims are one family. Each claim's primary p-value (below) is adjusted
by Holm's step-down method across the claims (p_adjusted); raw and adjusted are both reported.
Robustness: each claim declares a specification set (the claim as configured = "primary", plus
the alternatives a skeptic would try); "agreeing" means the specification points the claim's
way (below). `spec_majority` (default 80%) of the whole set must agree.

backtest (claims 1-4; claim 5's rule)   p = one-sided bootstrap p of OOS Sharpe difference <= 0
  supported      primary out-of-sample Sharpe difference (rule - benchmark, in excess of the
                 risk-free) > 0, Holm-adjusted p < alpha, and >= spec_majority of the
                 specifications with a positive difference
  not supported  the primary's out-of-sample Sharpe difference is <= 0
  inconclusive   otherwise: not significant after the Holm adjustment, or fragile (too few
                 specifications agree), or undefined
scenario_returns (claim 5)   p = one-sided block-bootstrap p of (B minus none) <= 0
  supported      B (large RMP-type pace) minus none gap in risk-basket excess return > 0,
                 mean excess rising C < A < B among scenarios with enough sessions, Holm p <
                 alpha, and >= spec_majority of specifications with a positive gap and enough data
  not supported  the gap is <= 0, or the C < A < B ordering fails among judged scenarios
  inconclusive   otherwise: too few sessions under B or none (min_sessions), not significant
                 after Holm, or fragile
stress_then_purchases (claim 6)   p = circular-rotation p of the episodes' hit rate
  supported      >= min_episodes episodes, hit rate (new or larger purchases within the
                 horizon) above the base rate, Holm p < alpha, and >= spec_majority of
                 specifications with a hit rate above their base rate and enough episodes
  not supported  hit rate <= base rate
  inconclusive   otherwise: too few episodes, not significant after Holm, or fragile
"Not supported" means history gives no support, not that the opposite is proven.
"""

from __future__ import annotations

import math

from backtests.verdict.config import StressClaim, VerdictSection

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE = "supported", "not supported", "inconclusive"


def alpha_of(section: VerdictSection) -> float:
    return (1.0 - section.confidence) / 2.0


def _finite_positive(value) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def agreement(specifications: list[dict], test: str) -> dict:
    """How many specifications point the claim's way: {agree, total, share}."""
    if test == "backtest":
        agree = [_finite_positive(s["sharpe_difference"]) for s in specifications]
    elif test == "scenario_returns":
        agree = [_finite_positive(s["ann_mean_gap"]) and s["enough_data"] for s in specifications]
    else:
        agree = [_finite_positive(s["difference"]) and s["enough_episodes"]
                 for s in specifications]
    total = len(agree)
    return {"agree": int(sum(agree)), "total": total,
            "share": sum(agree) / total if total else float("nan")}


def _significance(p_raw: float, p_adjusted: float, agreed: dict, section: VerdictSection,
                  summary: str) -> tuple[str, str]:
    """The common last steps: significance after Holm, then the specification majority."""
    specs = f"{agreed['agree']} of {agreed['total']} specs agree"
    if not p_adjusted < alpha_of(section):
        return INCONCLUSIVE, (f"{summary}; p {p_raw:.3f}, Holm-adjusted {p_adjusted:.3f} >= "
                              f"{alpha_of(section):.2f}; {specs}")
    if not agreed["share"] >= section.spec_majority:
        return INCONCLUSIVE, (f"fragile: {specs} (needs {section.spec_majority:.0%}); {summary}, "
                              f"Holm p {p_adjusted:.3f}")
    return SUPPORTED, f"{summary}, Holm p {p_adjusted:.3f}, {specs}"


def decide_backtest(metrics: dict, p_adjusted: float, agreed: dict, section: VerdictSection
                    ) -> tuple[str, str]:
    oos = metrics["out_of_sample"]
    diff, low, high = oos["sharpe_difference"], oos["ci_low"], oos["ci_high"]
    if not math.isfinite(diff):
        return INCONCLUSIVE, "the Sharpe difference is undefined"
    summary = f"Sharpe difference {diff:+.2f} [{low:+.2f}, {high:+.2f}]"
    if diff <= 0:
        return NOT_SUPPORTED, (f"out-of-sample Sharpe difference {diff:+.2f} <= 0; "
                               f"{agreed['agree']} of {agreed['total']} specs positive")
    return _significance(oos["p_value"], p_adjusted, agreed, section, summary)


def decide_scenarios(metrics: dict, p_adjusted: float, agreed: dict, section: VerdictSection
                     ) -> tuple[str, str]:
    gap = metrics["b_minus_none"]
    if not metrics["enough_data"]:
        return INCONCLUSIVE, ("too few sessions to judge B (large RMP-type purchases) against "
                              f"none: {', '.join(metrics['too_few_sessions'])} (need "
                              f"{metrics['min_sessions']}); {agreed['agree']} of "
                              f"{agreed['total']} specs agree")
    if gap["ann_mean_gap"] <= 0:
        return NOT_SUPPORTED, f"B minus none excess return {gap['ann_mean_gap']:+.1%} <= 0"
    if not metrics["ordering_holds"]:
        return NOT_SUPPORTED, f"mean excess does not rise C < A < B ({metrics['judged_scenarios']})"
    summary = (f"B minus none {gap['ann_mean_gap']:+.1%}/yr [{gap['ci_low']:+.1%}, "
               f"{gap['ci_high']:+.1%}], ordering holds")
    return _significance(gap["p_value"], p_adjusted, agreed, section, summary)


def decide_stress(metrics: dict, claim: StressClaim, p_adjusted: float, agreed: dict,
                  section: VerdictSection) -> tuple[str, str]:
    n, rate, base = metrics["n_episodes"], metrics["hit_rate"], metrics["base_rate"]
    if n < claim.min_episodes:
        return INCONCLUSIVE, f"only {n} episodes (need {claim.min_episodes})"
    summary = (f"{metrics['hits']}/{n} episodes followed by new or larger purchases vs base rate "
               f"{base:.0%} ({metrics['qt_eased']} more by QT slowing or ending)")
    if not rate > base:
        return NOT_SUPPORTED, summary
    return _significance(metrics["p_value"], p_adjusted, agreed, section, summary)
