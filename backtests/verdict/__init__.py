"""backtests.verdict — each claim of the 2025-26 "QT ends, RMP begins" thesis judged on history.

    config              the `verdict:` section: which test judges each claim, with what settings
    backtest_claims     a rule against its benchmark, out of sample by walk-forward
    conditional_claims  returns by pace scenario (claim 5); stress followed by purchases (claim 6)
    inference           stationary-bootstrap Sharpe differences and HAC t-statistics
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
