"""backtests.verdict — each claim of the 2025-26 "QT ends, RMP begins" thesis judged on history.

    config              the `verdict:` section: each claim's test and its specification set
    specs               specifications made concrete: signals, rule, grid simulated by the kernel
    backtest_claims     a rule against its benchmark, out of sample by walk-forward; DSR, PBO
    scenario_claims     returns by RMP-type pace scenario (claim 5)
    stress_claims       stress followed by new or larger purchases, rotation test (claim 6)
    inference           stationary-bootstrap Sharpe differences, HAC t-stat, Holm adjustment
    bootstrap_nb        the numba kernels of the paired stationary bootstrap
    thresholds          the labels (supported / not supported / inconclusive) and their rules
    claims              `evaluate_claims`: every configured claim, tested and labelled

It evaluates from a `backtests.results.RunResult`; the page is the reports room's job. Public
names are imported lazily (the backtest claims load the sweep's numba kernels).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "VerdictSection": "config", "BacktestClaim": "config", "ScenarioClaim": "config",
    "StressClaim": "config",
    "SUPPORTED": "thresholds", "NOT_SUPPORTED": "thresholds", "INCONCLUSIVE": "thresholds",
    "decide_backtest": "thresholds", "decide_scenarios": "thresholds",
    "decide_stress": "thresholds",
    "CLAIMS": "claims", "TESTS": "claims", "evaluate_claims": "claims",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
