"""Bootstrap CI of Sharpe differences and HAC t-stats on cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from backtests.verdict.inference import (
    annualised_sharpe, bootstrap_sharpe_difference, excess_return_tstat, stationary_bootstrap_indices,
)


def test_stationary_bootstrap_blocks_have_the_requested_mean_length():
    rng = np.random.default_rng(0)
    idx = stationary_bootstrap_indices(2000, 20.0, 50, rng)
    assert idx.shape == (50, 2000) and idx.min() >= 0 and idx.max() < 2000
    continues = (np.diff(idx, axis=1) % 2000) == 1
    assert 1 / (1 - continues.mean()) == pytest.approx(20.0, rel=0.1)


def test_identical_series_have_zero_difference():
    x = np.random.default_rng(1).normal(0.0005, 0.01, 1000)
    result = bootstrap_sharpe_difference(x, x.copy(), n_boot=200)
    assert result.difference == 0 and result.ci_low == 0 and result.ci_high == 0


def test_a_planted_edge_is_detected():
    rng = np.random.default_rng(2)
    bench = rng.normal(0.0003, 0.01, 3000)
    edge = bench + rng.normal(0.0006, 0.002, 3000)
    strong = bootstrap_sharpe_difference(edge, bench, n_boot=400, seed=3)
    assert strong.ci_low > 0 and strong.p_value < 0.01
    assert strong.difference == pytest.approx(annualised_sharpe(edge) - annualised_sharpe(bench))


def test_ci_covers_zero_at_about_its_level_when_there_is_no_edge():
    """90% intervals for two independent series with the same true Sharpe: ~90% cover zero and
    the one-sided p-value is roughly uniform."""
    covered, small_p = 0, 0
    for seed in range(60):
        rng = np.random.default_rng(100 + seed)
        a, b = rng.normal(0.0003, 0.01, 1500), rng.normal(0.0003, 0.01, 1500)
        result = bootstrap_sharpe_difference(a, b, n_boot=200, mean_block=5, seed=seed)
        covered += result.ci_low <= 0 <= result.ci_high
        small_p += result.p_value < 0.10
    assert 0.78 <= covered / 60 <= 0.98
    assert small_p / 60 <= 0.22


def test_hac_tstat_reduces_to_the_classic_tstat_without_lags():
    rng = np.random.default_rng(4)
    a, b = rng.normal(0.001, 0.01, 500), rng.normal(0, 0.01, 500)
    d = a - b
    classic = d.mean() / (d.std(ddof=0) / np.sqrt(len(d)))
    assert excess_return_tstat(a, b, lags=0) == pytest.approx(classic)


def test_hac_tstat_is_smaller_for_autocorrelated_excess():
    rng = np.random.default_rng(5)
    shocks = rng.normal(0.0002, 0.01, 4000)
    persistent = np.convolve(shocks, np.ones(10) / 10, mode="same")
    zero = np.zeros_like(persistent)
    assert abs(excess_return_tstat(persistent, zero)) < abs(excess_return_tstat(persistent, zero, lags=0))
