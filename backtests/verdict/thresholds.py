"""Verdict labels from explicit thresholds, written out here and quoted on the verdict page.

Thresholds (alpha = (1 - confidence) / 2, 0.05 with the default 90% intervals):

backtest (claims 1-4; claim 5's rule)
  supported      out-of-sample Sharpe difference (rule - benchmark, excess of T-bills) > 0 and
                 its bootstrap CI lies above 0 (one-sided p < alpha)
  not supported  the out-of-sample Sharpe difference is <= 0: the rule did not beat its benchmark
  inconclusive   positive difference whose CI includes 0
scenario_returns (claim 5)
  supported      the B (large pace) minus none gap in risk-basket excess return has its CI above
                 0 and the mean excess rises from C to A to B among scenarios with enough data
  not supported  the gap is <= 0, or the C < A < B ordering fails among judged scenarios
  inconclusive   otherwise (a positive gap within noise, or too few sessions under B or none)
stress_then_purchases (claim 6)
  supported      at least `min_episodes` episodes, hit rate above the base rate, binomial p < alpha
  not supported  hit rate <= base rate
  inconclusive   otherwise (too few episodes, or above base rate within noise)
"Not supported" means history gives no support, not that the opposite is proven.
"""

from __future__ import annotations

import math

from backtests.verdict.config import StressClaim, VerdictSection

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE = "supported", "not supported", "inconclusive"


def _alpha(section: VerdictSection) -> float:
    return (1.0 - section.confidence) / 2.0


def decide_backtest(metrics: dict, section: VerdictSection) -> tuple[str, str]:
    oos = metrics["out_of_sample"]
    diff, low, p = oos["sharpe_difference"], oos["ci_low"], oos["p_value"]
    if not math.isfinite(diff):
        return INCONCLUSIVE, "the Sharpe difference is undefined"
    if diff <= 0:
        return NOT_SUPPORTED, f"out-of-sample Sharpe difference {diff:+.2f} <= 0"
    if low > 0 and p < _alpha(section):
        return SUPPORTED, f"Sharpe difference {diff:+.2f}, CI [{low:+.2f}, {oos['ci_high']:+.2f}]"
    return INCONCLUSIVE, f"Sharpe difference {diff:+.2f} but CI [{low:+.2f}, {oos['ci_high']:+.2f}] includes 0"


def decide_scenarios(metrics: dict, section: VerdictSection) -> tuple[str, str]:
    gap = metrics["b_minus_none"]
    if not metrics["enough_data"]:
        return INCONCLUSIVE, "too few sessions under scenario B or none"
    if gap["ann_mean_gap"] <= 0:
        return NOT_SUPPORTED, f"B minus none excess return {gap['ann_mean_gap']:+.1%} <= 0"
    if not metrics["ordering_holds"]:
        return NOT_SUPPORTED, f"mean excess does not rise C < A < B ({metrics['judged_scenarios']})"
    if gap["ci_low"] > 0 and gap["p_value"] < _alpha(section):
        return SUPPORTED, f"B minus none {gap['ann_mean_gap']:+.1%}/yr, CI above 0, ordering holds"
    return INCONCLUSIVE, f"B minus none {gap['ann_mean_gap']:+.1%}/yr, CI includes 0"


def decide_stress(metrics: dict, claim: StressClaim, section: VerdictSection) -> tuple[str, str]:
    n, rate, base = metrics["n_episodes"], metrics["hit_rate"], metrics["base_rate"]
    summary = f"{metrics['hits']}/{n} episodes followed by more purchases vs base rate {base:.0%}"
    if n < claim.min_episodes:
        return INCONCLUSIVE, f"only {n} episodes (need {claim.min_episodes})"
    if rate <= base:
        return NOT_SUPPORTED, summary
    fragile = [f"{name.replace('_', ' ')}: p = {alt['p_value']:.2f}"
               for name, alt in metrics.get("sensitivity", {}).items()
               if not alt["p_value"] < _alpha(section)]
    robustness = f"; not robust to the episode definition ({', '.join(fragile)})" if fragile else ""
    if metrics["p_value"] < _alpha(section):
        return SUPPORTED, f"{summary}, p = {metrics['p_value']:.3f}{robustness}"
    return INCONCLUSIVE, f"{summary}, p = {metrics['p_value']:.3f}{robustness}"
