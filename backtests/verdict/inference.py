"""Is a rule's edge over its benchmark distinguishable from luck, and what survives testing six
claims at once?

Daily strategy returns are autocorrelated and heteroskedastic, so i.i.d. formulas overstate
confidence. The tools, all on paired daily returns (rule, benchmark) over the same sessions:

- `bootstrap_sharpe_differences`: Politis-Romano stationary bootstrap (random blocks with mean
  length `mean_block` sessions, resampling the *pairs* so the correlation between rule and
  benchmark is kept) of the annualised Sharpe difference of every specification at once, on the
  same resamples (`bootstrap_nb` resamples column sums) -> point estimate, two-sided CI, one-sided p-value of
  "difference <= 0" (the bootstrap distribution centred on zero).
- `bootstrap_mean_gaps`: the same resampling for a difference of conditional means (claim 5).
- `excess_return_tstat`: t-statistic of the mean daily excess return (rule - benchmark) with a
  Newey-West (Bartlett kernel) long-run variance.
- `holm_adjust`: Holm's step-down adjustment of the claims' p-values (family-wise error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from backtests.metrics import FLAT_EXCESS, TRADING_DAYS
from backtests.verdict.bootstrap_nb import bootstrap_positions_nb, resampled_sums_nb


def annualised_sharpe(returns: np.ndarray, axis: int = -1) -> np.ndarray:
    """mean / std * sqrt(252); a zero series (the risk-free asset in excess of itself, to
    round-off) has Sharpe 0, any other zero-variance series NaN."""
    mean = np.asarray(np.mean(returns, axis=axis))
    std = np.asarray(np.std(returns, axis=axis, ddof=1))
    flat_zero = (std < FLAT_EXCESS) & (np.abs(mean) < FLAT_EXCESS)
    sharpe = np.divide(mean, std, out=np.full(mean.shape, np.nan), where=std > 0)
    return np.where(flat_zero, 0.0, sharpe) * math.sqrt(TRADING_DAYS)


def sharpe_from_sums(total: np.ndarray, squares: np.ndarray, n: int) -> np.ndarray:
    """`annualised_sharpe` of n daily returns from their sum and sum of squares."""
    mean = total / n
    variance = (squares - total * total / n) / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sharpe = np.where(variance > 0, mean / np.sqrt(np.maximum(variance, 0.0)), np.nan)
    flat_zero = (variance < FLAT_EXCESS ** 2) & (np.abs(mean) < FLAT_EXCESS)
    return np.where(flat_zero, 0.0, sharpe) * math.sqrt(TRADING_DAYS)


def resampled_sums(columns: list[np.ndarray], n_boot: int, mean_block: float, seed: int
                   ) -> np.ndarray:
    """(n_boot, F, m) sums of F (n, m) arrays over stationary-bootstrap resamples (shared)."""
    stacked = np.ascontiguousarray(np.stack(columns), dtype=float)
    out = np.empty((n_boot, stacked.shape[0], stacked.shape[2]))
    resampled_sums_nb(stacked, float(mean_block), seed, out)
    return out


def stationary_bootstrap_indices(n: int, mean_block: float, n_boot: int, seed: int = 0
                                 ) -> np.ndarray:
    """(n_boot, n) resampled positions, exactly those the kernels use for `seed`: each step
    continues the current block with probability 1 - 1/mean_block (wrapping around) or jumps to
    a uniformly random start."""
    out = np.empty((n_boot, n), dtype=np.int64)
    bootstrap_positions_nb(n, float(mean_block), n_boot, seed, out)
    return out


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


def summarise_draws(draws: np.ndarray, points: np.ndarray, confidence: float
                    ) -> list[tuple[float, float, float]]:
    """Per column: (CI low, CI high, one-sided p of "<= 0") from bootstrap draws (n_boot, m)
    around the point estimates (m,); NaN where nothing is finite."""
    tail = (1.0 - confidence) / 2.0
    summary = []
    for j, point in enumerate(points):
        column = draws[:, j][np.isfinite(draws[:, j])]
        if not len(column) or not np.isfinite(point):
            summary.append((math.nan, math.nan, math.nan))
            continue
        low, high = np.quantile(column, [tail, 1.0 - tail])
        # Centre the bootstrap distribution on zero to test H0: difference <= 0.
        summary.append((float(low), float(high), float(np.mean(column - point >= point))))
    return summary


def bootstrap_sharpe_differences(rule: np.ndarray, benchmark: np.ndarray, n_boot: int = 1000,
                                 mean_block: float = 21.0, confidence: float = 0.90,
                                 seed: int = 0) -> list[SharpeDifference]:
    """Annualised Sharpe(rule[:, j]) - Sharpe(benchmark[:, j]) with paired stationary-bootstrap
    CIs, for every column j of (n, m) daily returns, on common resamples."""
    rule = np.ascontiguousarray(rule, dtype=float)
    benchmark = np.ascontiguousarray(benchmark, dtype=float)
    if rule.shape != benchmark.shape or rule.ndim != 2 or rule.shape[0] < 30:
        raise ValueError("need two aligned (sessions, specs) return arrays of >= 30 sessions")
    points = annualised_sharpe(rule, axis=0) - annualised_sharpe(benchmark, axis=0)
    sums = resampled_sums([rule, rule * rule, benchmark, benchmark * benchmark], n_boot,
                          mean_block, seed)
    n = rule.shape[0]
    draws = sharpe_from_sums(sums[:, 0], sums[:, 1], n) - sharpe_from_sums(sums[:, 2],
                                                                          sums[:, 3], n)
    return [SharpeDifference(float(point), low, high, p, n_boot, confidence)
            for point, (low, high, p) in zip(points, summarise_draws(draws, points, confidence))]


def bootstrap_sharpe_difference(rule: np.ndarray, benchmark: np.ndarray, n_boot: int = 1000,
                                mean_block: float = 21.0, confidence: float = 0.90,
                                seed: int = 0) -> SharpeDifference:
    """`bootstrap_sharpe_differences` for one pair of 1-D series."""
    rule, benchmark = np.asarray(rule, dtype=float), np.asarray(benchmark, dtype=float)
    if rule.ndim != 1 or rule.shape != benchmark.shape:
        raise ValueError("need two aligned 1-D return series of at least 30 sessions")
    return bootstrap_sharpe_differences(rule[:, None], benchmark[:, None], n_boot, mean_block,
                                        confidence, seed)[0]


def mean_gap(values: np.ndarray, codes: np.ndarray, high: int, low: int) -> np.ndarray:
    """(m,) annualised mean(values | high) - mean(values | low) per column of (n, m) arrays."""
    hi, lo = codes == high, codes == low
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((np.where(hi, values, 0.0).sum(0) / hi.sum(0)
                 - np.where(lo, values, 0.0).sum(0) / lo.sum(0)) * TRADING_DAYS)


def bootstrap_mean_gaps(values: np.ndarray, codes: np.ndarray, high: int, low: int,
                        n_boot: int, mean_block: float, confidence: float, seed: int
                        ) -> list[dict]:
    """Per column: the annualised gap between conditional means, its block-bootstrap CI (the
    (value, code) pairs resampled together) and one-sided p of gap <= 0."""
    values = np.nan_to_num(np.asarray(values, dtype=float))
    hi, lo = (codes == high).astype(float), (codes == low).astype(float)
    points = mean_gap(values, codes, high, low)
    sums = resampled_sums([values * hi, hi, values * lo, lo], n_boot, mean_block, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = (sums[:, 0] / sums[:, 1] - sums[:, 2] / sums[:, 3]) * TRADING_DAYS
    return [{"ann_mean_gap": float(point), "ci_low": low_q, "ci_high": high_q, "p_value": p,
             "confidence": confidence}
            for point, (low_q, high_q, p) in zip(points, summarise_draws(draws, points,
                                                                         confidence))]


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


def holm_adjust(p_values: list[float] | np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the input order: sort ascending, multiply the i-th
    smallest (from 0) by (m - i), carry the running maximum, cap at 1. An undefined p counts as 1
    (a claim that could not be tested cannot lend significance to the others)."""
    p = np.nan_to_num(np.asarray(p_values, dtype=float), nan=1.0)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted_sorted = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted
