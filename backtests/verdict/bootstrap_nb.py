"""Numba kernels of the paired stationary bootstrap: many specifications resampled at once.

Politis-Romano stationary bootstrap: a resampled series follows the original from a random start,
and at each step jumps to a new random start with probability 1 / mean_block (wrapping around at
the end), so blocks have a geometric length with mean `mean_block` sessions. The kernels draw each
block's start and geometric length once (two random numbers per block instead of one per step). Columns of the inputs
(one per specification) are resampled with the SAME positions in each draw (common random
numbers): the rule and its benchmark stay paired, and the specifications of a claim are compared
on the same resamples. Positions are generated on the fly (nothing of size n_boot x n is stored);
`bootstrap_positions_nb` writes them out with the same random sequence, for tests.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

TRADING_DAYS = 252.0
FLAT = 1e-12  # backtests.metrics.FLAT_EXCESS: a zero excess series has Sharpe 0


@njit(cache=True)
def _fill_positions(n, restart_probability, positions):
    """One resample's positions (length n) into `positions`: blocks from uniform random starts,
    geometric lengths (>= 1), wrapping around at the end."""
    t = 0
    while t < n:
        position = np.random.randint(0, n)
        length = np.random.geometric(restart_probability)
        stop = min(n, t + length)
        while t < stop:
            positions[t] = position
            position += 1
            if position == n:
                position = 0
            t += 1


@njit(cache=True)
def bootstrap_positions_nb(n, mean_block, n_boot, seed, out):
    """out (n_boot, n): the resampled positions the kernels below use for the same seed."""
    np.random.seed(seed)
    for b in range(n_boot):
        _fill_positions(n, 1.0 / mean_block, out[b])


@njit(cache=True)
def sharpe_from_sums_nb(total, squares, n):
    """Annualised Sharpe (ddof=1) from the sum and sum of squares of n daily returns; 0 for a
    zero series, NaN for any other without variance."""
    mean = total / n
    variance = (squares - total * total / n) / (n - 1)
    if variance < FLAT * FLAT and abs(mean) < FLAT:
        return 0.0
    if variance <= 0.0:
        return np.nan
    return mean / math.sqrt(variance) * math.sqrt(TRADING_DAYS)


@njit(cache=True)
def sharpe_difference_draws_nb(rule, bench, mean_block, seed, out):
    """out (n_boot, m): Sharpe(rule[:, j]) - Sharpe(bench[:, j]) of each resample; rule and bench
    (n, m) daily excess returns, C-contiguous."""
    np.random.seed(seed)
    n, m = rule.shape
    positions = np.empty(n, dtype=np.int64)
    sum_r = np.empty(m)
    sq_r = np.empty(m)
    sum_b = np.empty(m)
    sq_b = np.empty(m)
    for b in range(out.shape[0]):
        sum_r[:] = 0.0
        sq_r[:] = 0.0
        sum_b[:] = 0.0
        sq_b[:] = 0.0
        _fill_positions(n, 1.0 / mean_block, positions)
        for t in range(n):
            position = positions[t]
            for j in range(m):
                x = rule[position, j]
                y = bench[position, j]
                sum_r[j] += x
                sq_r[j] += x * x
                sum_b[j] += y
                sq_b[j] += y * y
        for j in range(m):
            out[b, j] = (sharpe_from_sums_nb(sum_r[j], sq_r[j], n)
                         - sharpe_from_sums_nb(sum_b[j], sq_b[j], n))


@njit(cache=True)
def mean_gap_draws_nb(values, codes, high, low, mean_block, seed, out):
    """out (n_boot, m): annualised mean(values | code == high) - mean(values | code == low) of each
    resample, column by column; values (n, m) float, codes (n, m) int (-1 = not classified). NaN
    when a resample has no session of either code."""
    np.random.seed(seed)
    n, m = values.shape
    positions = np.empty(n, dtype=np.int64)
    sum_h = np.empty(m)
    cnt_h = np.empty(m)
    sum_l = np.empty(m)
    cnt_l = np.empty(m)
    for b in range(out.shape[0]):
        sum_h[:] = 0.0
        cnt_h[:] = 0.0
        sum_l[:] = 0.0
        cnt_l[:] = 0.0
        _fill_positions(n, 1.0 / mean_block, positions)
        for t in range(n):
            position = positions[t]
            for j in range(m):
                code = codes[position, j]
                if code == high:
                    sum_h[j] += values[position, j]
                    cnt_h[j] += 1.0
                elif code == low:
                    sum_l[j] += values[position, j]
                    cnt_l[j] += 1.0
        for j in range(m):
            if cnt_h[j] > 0 and cnt_l[j] > 0:
                out[b, j] = (sum_h[j] / cnt_h[j] - sum_l[j] / cnt_l[j]) * TRADING_DAYS
            else:
                out[b, j] = np.nan
