"""Numba kernels for the eight summary metrics of `backtests.metrics`, bit-for-bit where possible.

`summary_metrics` is written with numpy reductions; numpy sums float64 arrays pairwise (blocks of 8
accumulators, halves above 128 elements), not left to right. `pairwise_sum_nb` reproduces that
order exactly, so a sweep computed here and a full run summarised by `summary_metrics` agree to
the last bit on the same return array rather than merely to ~1e-12. Pure kernels only: no pandas.

Metric slots in the output vector follow `backtests.metrics.METRIC_NAMES`:
0 total_return, 1 cagr, 2 sharpe, 3 sortino, 4 max_drawdown, 5 calmar, 6 volatility, 7 turnover.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

TRADING_DAYS = 252.0
SQRT_TRADING_DAYS = math.sqrt(252)
N_METRICS = 8
FLAT_EXCESS = 1e-12  # backtests.metrics.FLAT_EXCESS


@njit(cache=True)
def _block_sum_nb(a, lo, n):
    """numpy's leaf of the pairwise sum: n <= 128 elements, eight running accumulators."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0 = a[lo]
    r1 = a[lo + 1]
    r2 = a[lo + 2]
    r3 = a[lo + 3]
    r4 = a[lo + 4]
    r5 = a[lo + 5]
    r6 = a[lo + 6]
    r7 = a[lo + 7]
    stop = n - n % 8
    i = 8
    while i < stop:
        j = lo + i
        r0 += a[j]
        r1 += a[j + 1]
        r2 += a[j + 2]
        r3 += a[j + 3]
        r4 += a[j + 4]
        r5 += a[j + 5]
        r6 += a[j + 6]
        r7 += a[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def pairwise_sum_nb(a, lo, n):
    """Sum of a[lo:lo+n] in numpy's pairwise order (float64, contiguous): identical to np.sum.

    Above 128 elements numpy splits at half (rounded down to a multiple of 8) and adds the two
    halves' sums. The recursion is unrolled onto a small explicit stack because numba's on-disk
    cache cannot reload self-recursive functions (it segfaults).
    """
    if n <= 128:
        return _block_sum_nb(a, lo, n)
    frame_lo = np.empty(64, dtype=np.int64)
    frame_n = np.empty(64, dtype=np.int64)
    frame_stage = np.empty(64, dtype=np.int64)   # 0 new, 1 left pending, 2 right pending
    frame_left = np.empty(64)
    top = 0
    frame_lo[0] = lo
    frame_n[0] = n
    frame_stage[0] = 0
    result = 0.0
    while top >= 0:
        m = frame_n[top]
        if frame_stage[top] == 0 and m <= 128:
            value = _block_sum_nb(a, frame_lo[top], m)
            top -= 1
            # Hand the value to the parent frames, folding completed ones.
            while True:
                if top < 0:
                    result = value
                    break
                if frame_stage[top] == 1:
                    frame_left[top] = value
                    frame_stage[top] = 2
                    half = frame_n[top] // 2
                    half -= half % 8
                    top += 1
                    frame_lo[top] = frame_lo[top - 1] + half
                    frame_n[top] = frame_n[top - 1] - half
                    frame_stage[top] = 0
                    break
                value = frame_left[top] + value
                top -= 1
        else:
            half = m // 2
            half -= half % 8
            frame_stage[top] = 1
            top += 1
            frame_lo[top] = frame_lo[top - 1]
            frame_n[top] = half
            frame_stage[top] = 0
    return result


@njit(cache=True)
def summary_metrics_nb(returns, traded, has_traded, rf_daily, scratch, out):
    """Fill `out[:8]` with the summary metrics of daily simple `returns` (length n, no NaN).

    `traded` is the per-session traded notional / equity (same length; ignored unless
    `has_traded`), `rf_daily` the daily risk-free returns (length n: a constant rate is a filled
    array), `scratch` a work buffer of length >= n.
    Definitions and 252-day annualisation are those of `backtests.metrics.summary_metrics`.
    """
    n = returns.shape[0]
    if n < 2:
        for m in range(N_METRICS):
            out[m] = np.nan
        return
    # Equity curve, total return and drawdown against a running peak that starts at 1.
    equity = 1.0
    peak = 1.0
    max_dd = 0.0
    for t in range(n):
        growth = 1.0 + returns[t]
        equity = growth if t == 0 else equity * growth
        if equity > peak:
            peak = equity
        drawdown = equity / peak - 1.0
        if drawdown < max_dd:
            max_dd = drawdown
    total = equity - 1.0
    cagr = (1.0 + total) ** (TRADING_DAYS / n) - 1.0 if total > -1.0 else -1.0
    # Excess returns; mean and ddof=1 deviation exactly as np.mean / np.std compute them.
    for t in range(n):
        scratch[t] = returns[t] - rf_daily[t]
    mean = pairwise_sum_nb(scratch, 0, n) / n
    for t in range(n):
        centred = scratch[t] - mean
        scratch[t] = centred * centred
    sd = math.sqrt(pairwise_sum_nb(scratch, 0, n) / (n - 1))
    for t in range(n):
        excess = returns[t] - rf_daily[t]
        low = excess if excess < 0.0 else 0.0
        scratch[t] = low * low
    downside = math.sqrt(pairwise_sum_nb(scratch, 0, n) / n)
    scaled_mean = mean * SQRT_TRADING_DAYS
    flat = sd < FLAT_EXCESS and abs(mean) < FLAT_EXCESS
    out[0] = total
    out[1] = cagr
    out[2] = 0.0 if flat else (scaled_mean / sd if sd > 0 else np.nan)
    out[3] = 0.0 if flat else (scaled_mean / downside if downside > 0 else np.nan)
    out[4] = max_dd
    out[5] = cagr / abs(max_dd) if abs(max_dd) > 0 else np.nan
    out[6] = sd * SQRT_TRADING_DAYS
    out[7] = pairwise_sum_nb(traded, 0, n) / (n / TRADING_DAYS) if has_traded else np.nan


@njit(cache=True, parallel=True)
def column_metrics_nb(returns_by_column, rf_daily, out):
    """`summary_metrics_nb` for each row of `returns_by_column` (K, n), without turnover, in
    parallel: out (K, 8); `rf_daily` (n,) the window's daily risk-free returns. Used to score
    every combination on a window (walk-forward)."""
    n = returns_by_column.shape[1]
    for k in prange(returns_by_column.shape[0]):
        scratch = np.empty(n)
        summary_metrics_nb(returns_by_column[k], returns_by_column[k], False, rf_daily, scratch,
                           out[k])
