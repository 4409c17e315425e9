"""Bootstrap CI of Sharpe differences and HAC t-stats on cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from backtests.verdict.inference import (
    annualised_sharpe, bootstrap_mean_gaps, bootstrap_sharpe_difference,
    bootstrap_sharpe_differences, excess_return_tstat, mean_gap, stationary_bootstrap_indices,
    summarise_draws,
)


def test_stationary_bootstrap_blocks_have_the_requested_mean_length():
    idx = stationary_bootstrap_indices(2000, 20.0, 50, seed=0)
    assert idx.shape == (50, 2000) and idx.min() >= 0 and idx.max() < 2000
    continues = (np.diff(idx, axis=1) % 2000) == 1
    assert 1 / (1 - continues.mean()) == pytest.approx(20.0, rel=0.1)


def test_the_kernels_resample_exactly_the_documented_positions():
    """The numba kernels accumulate on the fly; their draws equal the plain numpy statistics
    computed on `stationary_bootstrap_indices` for the same seed, for every column at once."""
    rng = np.random.default_rng(7)
    rule, bench = rng.normal(4e-4, 0.01, (400, 3)), rng.normal(3e-4, 0.01, (400, 3))
    idx = stationary_bootstrap_indices(400, 10.0, 60, seed=11)
    expected = annualised_sharpe(rule[idx], axis=1) - annualised_sharpe(bench[idx], axis=1)
    results = bootstrap_sharpe_differences(rule, bench, n_boot=60, mean_block=10.0, seed=11)
    points = annualised_sharpe(rule, axis=0) - annualised_sharpe(bench, axis=0)
    summary = summarise_draws(expected, points, 0.90)
    for result, (low, high, p) in zip(results, summary):
        assert (result.ci_low, result.ci_high, result.p_value) == pytest.approx((low, high, p),
                                                                                 rel=1e-9)
    codes = rng.integers(0, 3, (400, 3))
    gaps = bootstrap_mean_gaps(rule, codes, 2, 0, 60, 10.0, 0.9, seed=11)
    draws = np.array([mean_gap(rule[row], codes[row], 2, 0) for row in idx])
    points = mean_gap(rule, codes, 2, 0)
    for gap, point, (low, high, p) in zip(gaps, points, summarise_draws(draws, points, 0.9)):
        assert (gap["ann_mean_gap"], gap["ci_low"], gap["ci_high"], gap["p_value"]) == \
            pytest.approx((point, low, high, p), rel=1e-9)


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
