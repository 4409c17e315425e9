"""Numba kernel of the paired stationary bootstrap: many specifications resampled at once.

Politis-Romano stationary bootstrap: a resampled series follows the original from a random start,
and at each step jumps to a new random start with probability 1 / mean_block (wrapping around at
the end), so blocks have a geometric length with mean `mean_block` sessions. The kernel draws each
block's start and geometric length once (two random numbers per block, not one per step).

Every statistic the verdict bootstraps is a function of a few column sums (a Sharpe ratio of the
sum and the sum of squares; a conditional mean of sums of masked values and of the mask), so the
kernel only resamples sums: `columns` (F, n, m) are F per-session quantities of m specifications,
and each draw writes their sums over the resampled sessions. All columns share the same positions
in a draw (common random numbers): a rule and its benchmark stay paired, and the specifications of
a claim are compared on the same resamples. Nothing of size n_boot x n is stored;
`bootstrap_positions_nb` writes the positions out with the same random sequence, for tests.
"""

from __future__ import annotations

import numpy as np
from numba import njit


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
    """out (n_boot, n): the resampled positions `resampled_sums_nb` uses for the same seed."""
    np.random.seed(seed)
    for b in range(n_boot):
        _fill_positions(n, 1.0 / mean_block, out[b])


@njit(cache=True)
def resampled_sums_nb(columns, mean_block, seed, out):
    """out (n_boot, F, m): per draw, the sums of `columns` (F, n, m) over the resampled sessions."""
    np.random.seed(seed)
    n_columns, n, m = columns.shape
    positions = np.empty(n, dtype=np.int64)
    for b in range(out.shape[0]):
        _fill_positions(n, 1.0 / mean_block, positions)
        out[b] = 0.0
        for t in range(n):
            position = positions[t]
            for f in range(n_columns):
                for j in range(m):
                    out[b, f, j] += columns[f, position, j]
