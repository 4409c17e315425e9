"""Is a rule's edge over its benchmark distinguishable from luck?

Daily strategy returns are autocorrelated and heteroskedastic, so i.i.d. formulas overstate
confidence. Two tools, both on paired daily returns (rule, benchmark) over the same sessions:

- `bootstrap_sharpe_difference`: Politis-Romano stationary bootstrap (random blocks with mean length
  `mean_block` sessions, resampling the *pairs* so the correlation between rule and benchmark is
  kept) of the annualised Sharpe difference -> point estimate, two-sided CI, one-sided p-value of
  "difference <= 0".
- `excess_return_tstat`: t-statistic of the mean daily excess return (rule - benchmark) with a
  Newey-West (Bartlett kernel) long-run variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from backtests.metrics import TRADING_DAYS


def annualised_sharpe(returns: np.ndarray, axis: int = -1) -> np.ndarray:
    """mean / std * sqrt(252); a constant zero series (the risk-free asset in excess of itself)
    has Sharpe 0, any other zero-variance series NaN."""
    mean = np.asarray(np.mean(returns, axis=axis))
    std = np.asarray(np.std(returns, axis=axis, ddof=1))
    flat_zero = (std == 0) & (mean == 0)
    sharpe = np.divide(mean, std, out=np.full(mean.shape, np.nan), where=std > 0)
    return np.where(flat_zero, 0.0, sharpe) * math.sqrt(TRADING_DAYS)


def stationary_bootstrap_indices(n: int, mean_block: float, n_boot: int,
                                 rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) resampled positions: each step continues the current block with probability
    1 - 1/mean_block (wrapping around) or jumps to a uniformly random start."""
    starts = rng.integers(0, n, size=(n_boot, n))
    restart = rng.random((n_boot, n)) < 1.0 / mean_block
    restart[:, 0] = True
    # Position = random start drawn where the current block began + steps since then (mod n).
    block_start_col = np.maximum.accumulate(np.where(restart, np.arange(n), 0), axis=1)
    offset = np.arange(n)[None, :] - block_start_col
    first = np.take_along_axis(starts, block_start_col, axis=1)
    return (first + offset) % n


@dataclass(frozen=True)
class SharpeDifference:
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    n_boot: int
    confidence: float

    def as_dict(self) -> dict:
        return {"sharpe_difference": self.difference, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "p_value": self.p_value, "n_boot": self.n_boot,
                "confidence": self.confidence}


def bootstrap_sharpe_difference(rule: np.ndarray, benchmark: np.ndarray, n_boot: int = 1000,
                                mean_block: float = 21.0, confidence: float = 0.90,
                                seed: int = 0, chunk: int = 250) -> SharpeDifference:
    """Annualised Sharpe(rule) - Sharpe(benchmark) with a paired stationary-bootstrap CI."""
    rule = np.asarray(rule, dtype=float)
    benchmark = np.asarray(benchmark, dtype=float)
    if rule.shape != benchmark.shape or rule.ndim != 1 or len(rule) < 30:
        raise ValueError("need two aligned 1-D return series of at least 30 sessions")
    point = float(annualised_sharpe(rule) - annualised_sharpe(benchmark))
    rng = np.random.default_rng(seed)
    draws = []
    for start in range(0, n_boot, chunk):
        idx = stationary_bootstrap_indices(len(rule), mean_block, min(chunk, n_boot - start), rng)
        draws.append(annualised_sharpe(rule[idx]) - annualised_sharpe(benchmark[idx]))
    boot = np.concatenate(draws)
    boot = boot[np.isfinite(boot)]
    if not len(boot) or not np.isfinite(point):
        nan = float("nan")
        return SharpeDifference(point, nan, nan, nan, n_boot, confidence)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(boot, [tail, 1.0 - tail])
    # Centre the bootstrap distribution on zero to test H0: difference <= 0.
    p_value = float(np.mean(boot - point >= point))
    return SharpeDifference(point, float(low), float(high), p_value, n_boot, confidence)


def newey_west_variance(x: np.ndarray, lags: int | None = None) -> float:
    """Long-run variance of the mean's numerator (Bartlett weights, Newey-West lag rule)."""
    x = np.asarray(x, dtype=float) - np.mean(x)
    n = len(x)
    lags = int(4 * (n / 100) ** (2 / 9)) if lags is None else lags
    variance = float(np.dot(x, x) / n)
    for lag in range(1, min(lags, n - 1) + 1):
        weight = 1.0 - lag / (lags + 1)
        variance += 2 * weight * float(np.dot(x[lag:], x[:-lag]) / n)
    return variance


def excess_return_tstat(rule: np.ndarray, benchmark: np.ndarray, lags: int | None = None) -> float:
    """HAC t-statistic of mean(rule - benchmark)."""
    excess = np.asarray(rule, dtype=float) - np.asarray(benchmark, dtype=float)
    variance = newey_west_variance(excess, lags)
    if variance <= 0:
        return float("nan")
    return float(np.mean(excess) / math.sqrt(variance / len(excess)))
