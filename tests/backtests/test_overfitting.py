"""Deflated Sharpe ratio and PBO by CSCV on hand-worked cases, the paper's example and noise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backtests.overfitting import (deflated_sharpe_of_returns, deflated_sharpe_ratio,
                                   expected_max_sharpe, pbo_cscv, per_period_sharpe,
                                   probabilistic_sharpe_ratio, trial_sharpe_variance)


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def test_psr_by_hand():
    # SR 0.1 per day over 101 days, normal moments: z = 0.1 * 10 / sqrt(1 + 2/4 * 0.01).
    assert probabilistic_sharpe_ratio(0.1, 101) == pytest.approx(normal_cdf(1 / math.sqrt(1.005)),
                                                                 abs=1e-12)
    # Negative skew and fat tails widen the error band and lower the PSR.
    assert probabilistic_sharpe_ratio(0.1, 101, skew=-2, kurtosis=9) < \
        probabilistic_sharpe_ratio(0.1, 101)


def test_dsr_reproduces_the_papers_numerical_example():
    """Bailey & López de Prado (2014): best of N = 100 trials, annualised SR 2.5 over 5 years of
    daily data (T = 1250, 250 days a year), variance of the trials' annualised SRs 1/2, skewness
    -3, kurtosis 10. Per day: SR = 2.5 / sqrt(250), V = 0.5 / 250; the paper finds
    SR0 ~ 0.1132 and DSR ~ 0.9004."""
    result = deflated_sharpe_ratio(per_period_sharpe(2.5, 250), 1250, 100, 0.5 / 250, -3, 10)
    assert result.expected_max_sharpe == pytest.approx(0.1132, abs=5e-5)
    assert result.dsr == pytest.approx(0.9004, abs=5e-5)
    assert result.psr > result.dsr


def test_dsr_equals_psr_at_one_trial_and_falls_as_trials_grow():
    one = deflated_sharpe_ratio(0.08, 1000, 1, 0.001, -0.5, 5)
    assert one.expected_max_sharpe == 0.0
    assert one.dsr == one.psr == probabilistic_sharpe_ratio(0.08, 1000, -0.5, 5, 0.0)
    dsrs = [deflated_sharpe_ratio(0.08, 1000, n, 0.001, -0.5, 5).dsr
            for n in (1, 2, 10, 100, 10_000)]
    assert all(a > b for a, b in zip(dsrs, dsrs[1:]))


def test_expected_max_sharpe_tracks_the_simulated_maximum_of_null_trials():
    rng = np.random.default_rng(3)
    variance = 0.002
    for n_trials in (10, 100, 1000):
        simulated = rng.normal(0, math.sqrt(variance), size=(4000, n_trials)).max(axis=1).mean()
        # The formula is an approximation; Bailey & López de Prado report errors of a few percent.
        assert expected_max_sharpe(n_trials, variance) == pytest.approx(simulated, rel=0.03)


def test_dsr_of_returns_uses_per_period_sharpe_and_sample_moments():
    rng = np.random.default_rng(11)
    returns = rng.normal(0.0006, 0.01, 2000)
    result = deflated_sharpe_of_returns(returns, n_trials=50, trial_sharpe_variance=0.0004)
    assert result.sharpe == pytest.approx(returns.mean() / returns.std(ddof=1), rel=1e-12)
    assert result.kurtosis == pytest.approx(3.0, abs=0.3)
    assert result.n_obs == 2000


def test_trial_variance_is_per_period():
    annual = np.array([0.5, 1.0, 1.5, np.nan])
    assert trial_sharpe_variance(annual) == pytest.approx(np.var(annual[:3] / math.sqrt(252),
                                                                 ddof=1))


def blocks_of(means_by_block: list[list[float]], rows_per_block: int = 2) -> np.ndarray:
    """A (blocks * rows, strategies) matrix whose block b has constant returns means[b]."""
    return np.repeat(np.array(means_by_block, dtype=float), rows_per_block, axis=0)


def test_pbo_hand_worked_two_splits():
    # Strategies A, B, C over two blocks. Reversal: in either half the winner is the other
    # half's loser -> OOS rank 1 of 3, w = 1/4, logit ln(1/3) both times, PBO = 1.
    reversal = pbo_cscv(blocks_of([[3, 2, 1], [1, 2, 3]]), n_splits=2, statistic="mean")
    assert reversal.n_combinations == 2 and reversal.exhaustive
    assert np.allclose(reversal.logits, math.log(1 / 3))
    assert reversal.pbo == 1.0
    # Persistence: A wins everywhere -> rank 3 of 3, w = 3/4, logit ln 3, PBO = 0.
    persistent = pbo_cscv(blocks_of([[3, 2, 1], [3, 2, 1]]), n_splits=2, statistic="mean")
    assert np.allclose(persistent.logits, math.log(3))
    assert persistent.pbo == 0.0


def test_pbo_combination_count_and_random_subset():
    returns = np.random.default_rng(0).normal(0, 0.01, (160, 6))
    assert pbo_cscv(returns, n_splits=8).n_combinations == math.comb(8, 4)
    sampled = pbo_cscv(returns, n_splits=16, max_combinations=500, seed=1)
    assert sampled.n_combinations == 500 and not sampled.exhaustive
    assert len(np.unique(sampled.logits.round(12))) > 1


def test_pbo_callable_statistic_matches_fast_sharpe():
    returns = np.random.default_rng(4).normal(0.0002, 0.01, (300, 7))
    fast = pbo_cscv(returns, n_splits=6)
    slow = pbo_cscv(returns, n_splits=6,
                    statistic=lambda block: block.mean(axis=0) / block.std(axis=0, ddof=1))
    assert np.allclose(fast.logits, slow.logits)


def test_pbo_noise_demeaned_is_one_iid_is_a_coin_flip_real_edge_is_low():
    iid, demeaned_sharpe, demeaned_mean, edge = [], [], [], []
    for seed in range(20):
        noise = np.random.default_rng(seed).normal(0, 0.01, (1000, 30))
        iid.append(pbo_cscv(noise, n_splits=8).pbo)
        zero_total = noise - noise.mean(axis=0)
        demeaned_sharpe.append(pbo_cscv(zero_total, n_splits=8).pbo)
        demeaned_mean.append(pbo_cscv(zero_total, n_splits=8, statistic="mean").pbo)
        planted = noise.copy()
        planted[:, 7] += 0.002              # one strategy with a daily Sharpe of 0.2
        edge.append(pbo_cscv(planted, n_splits=8).pbo)
    assert np.all(np.array(demeaned_mean) == 1.0)        # exact anti-correlation of halves
    assert np.mean(demeaned_sharpe) > 0.95
    assert 0.35 < np.mean(iid) < 0.65
    assert np.mean(edge) < 0.05 and max(edge) < 0.25


@pytest.mark.parametrize("splits", [3, 0])
def test_pbo_refuses_odd_splits(splits):
    with pytest.raises(ValueError, match="even"):
        pbo_cscv(np.zeros((100, 3)), n_splits=splits)
