"""The numba metric kernels against `backtests.metrics.summary_metrics` on the same returns."""

from __future__ import annotations

import numpy as np
import pytest

from backtests.metrics import METRIC_NAMES, daily_risk_free, summary_metrics
from backtests.metrics_nb import pairwise_sum_nb, summary_metrics_nb


def kernel_metrics(returns: np.ndarray, traded: np.ndarray | None, rf_annual: float) -> dict:
    out = np.empty(len(METRIC_NAMES))
    buffer = np.zeros(len(returns)) if traded is None else traded
    summary_metrics_nb(returns, buffer, traded is not None,
                       np.full(len(returns), daily_risk_free(rf_annual)),
                       np.empty(len(returns)), out)
    return dict(zip(METRIC_NAMES, out))


@pytest.mark.parametrize("n", [0, 1, 5, 7, 8, 9, 127, 128, 129, 136, 1000, 5003, 20011])
def test_pairwise_sum_is_numpys_sum_bit_for_bit(n):
    values = np.random.default_rng(n).normal(0.0004, 0.013, n + 3)
    assert pairwise_sum_nb(values, 3, n) == np.sum(values[3:])


@pytest.mark.parametrize("n, rf", [(2, 0.0), (37, 0.0), (260, 0.02), (1500, 0.0), (5000, 0.045)])
def test_kernel_metrics_equal_summary_metrics(n, rf):
    rng = np.random.default_rng(n)
    returns = rng.normal(0.0003, 0.012, n)
    traded = np.where(rng.random(n) < 0.05, rng.random(n), 0.0)
    expected = summary_metrics(returns, traded, rf)
    got = kernel_metrics(returns, traded, rf)
    for name in METRIC_NAMES:
        assert got[name] == pytest.approx(expected[name], rel=1e-12, abs=0), name


def test_edge_cases_match_the_reference():
    """No drawdown (calmar NaN), no downside (sortino NaN), flat returns (sharpe NaN), a wipe-out
    (cagr -1), too short a history (all NaN), no traded series (turnover NaN)."""
    cases = [np.full(50, 0.001), np.zeros(40), np.r_[0.01, -1.0, 0.0], np.array([0.01]),
             np.r_[np.full(30, 0.002), -0.05, np.full(30, 0.001)]]
    for returns in cases:
        expected = summary_metrics(returns, None, 0.0)
        got = kernel_metrics(returns, None, 0.0)
        for name in METRIC_NAMES:
            if np.isnan(expected[name]):
                assert np.isnan(got[name]), (name, returns[:3])
            else:
                assert got[name] == pytest.approx(expected[name], rel=1e-12, abs=1e-15), name
