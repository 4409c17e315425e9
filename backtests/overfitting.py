"""How likely is a sweep's winner an overfit? Deflated Sharpe ratio and PBO by CSCV.

Sharpe ratios inside every formula here are PER PERIOD (daily for liqbt: mean / std of daily
excess returns, ddof=1), never annualised: the standard errors of Bailey & López de Prado are
stated per observation. Convert a 252-day annualised Sharpe with `per_period_sharpe`.

- Probabilistic Sharpe ratio (Bailey & López de Prado 2012): the probability that the true
  Sharpe exceeds a benchmark SR*, given the estimate SR over T observations with skewness g3 and
  (non-excess) kurtosis g4:  PSR = Phi((SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2)).
- Deflated Sharpe ratio (Bailey & López de Prado 2014): PSR against the Sharpe the best of N
  zero-skill trials is expected to reach, SR0 = sqrt(V) ((1 - gamma) Phi^-1(1 - 1/N)
  + gamma Phi^-1(1 - 1/(N e))), V the variance of the trials' Sharpe estimates and gamma the
  Euler-Mascheroni constant. With N = 1 there is no selection and SR0 = 0 (DSR = PSR(0)).
- Probability of backtest overfitting (Bailey, Borwein, López de Prado & Zhu 2017), see `pbo_cscv`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Callable

import numpy as np
from scipy import stats

from backtests.metrics import TRADING_DAYS

EULER_GAMMA = 0.5772156649015329


def per_period_sharpe(annual_sharpe: float | np.ndarray, periods_per_year: int = TRADING_DAYS
                      ) -> float | np.ndarray:
    """A sqrt(periods)-annualised Sharpe (as in `backtests.metrics`) back to per period."""
    return annual_sharpe / math.sqrt(periods_per_year)


def probabilistic_sharpe_ratio(sharpe: float, n_obs: int, skew: float = 0.0,
                               kurtosis: float = 3.0, benchmark: float = 0.0) -> float:
    """P(true Sharpe > benchmark); `sharpe` and `benchmark` per period, kurtosis non-excess."""
    if n_obs < 2:
        return float("nan")
    variance_term = 1.0 - skew * sharpe + (kurtosis - 1.0) / 4.0 * sharpe ** 2
    if not variance_term > 0:
        return float("nan")
    z = (sharpe - benchmark) * math.sqrt(n_obs - 1) / math.sqrt(variance_term)
    return float(stats.norm.cdf(z))


def expected_max_sharpe(n_trials: int, trial_sharpe_variance: float) -> float:
    """Expected maximum per-period Sharpe of `n_trials` zero-skill trials whose Sharpe estimates
    have variance `trial_sharpe_variance` (per period squared). 0 for a single trial."""
    if n_trials < 1:
        raise ValueError("n_trials must be >= 1")
    if n_trials == 1:
        return 0.0
    max_z = ((1 - EULER_GAMMA) * stats.norm.ppf(1 - 1 / n_trials)
             + EULER_GAMMA * stats.norm.ppf(1 - 1 / (n_trials * math.e)))
    return float(math.sqrt(trial_sharpe_variance) * max_z)


@dataclass(frozen=True)
class DeflatedSharpe:
    """The deflated Sharpe ratio and its ingredients (Sharpes per period)."""

    dsr: float                  # P(true Sharpe > expected max of N null trials)
    psr: float                  # P(true Sharpe > 0), no deflation
    sharpe: float               # selected combination's per-period Sharpe
    expected_max_sharpe: float  # SR0, the benchmark the winner must beat
    n_obs: int
    n_trials: int
    trial_sharpe_variance: float
    skew: float
    kurtosis: float


def deflated_sharpe_ratio(sharpe: float, n_obs: int, n_trials: int,
                          trial_sharpe_variance: float, skew: float = 0.0,
                          kurtosis: float = 3.0) -> DeflatedSharpe:
    """DSR from moments: per-period `sharpe` of the selected trial over `n_obs` observations."""
    benchmark = expected_max_sharpe(n_trials, trial_sharpe_variance)
    return DeflatedSharpe(
        dsr=probabilistic_sharpe_ratio(sharpe, n_obs, skew, kurtosis, benchmark),
        psr=probabilistic_sharpe_ratio(sharpe, n_obs, skew, kurtosis, 0.0),
        sharpe=float(sharpe), expected_max_sharpe=benchmark, n_obs=int(n_obs),
        n_trials=int(n_trials), trial_sharpe_variance=float(trial_sharpe_variance),
        skew=float(skew), kurtosis=float(kurtosis))


def deflated_sharpe_of_returns(returns: np.ndarray, n_trials: int,
                               trial_sharpe_variance: float, risk_free_daily: float = 0.0
                               ) -> DeflatedSharpe:
    """DSR of the selected combination's daily returns. Skewness and kurtosis are the sample
    moments of the excess returns (scipy's biased estimators, kurtosis non-excess)."""
    excess = np.asarray(returns, dtype=float) - risk_free_daily
    if excess.ndim != 1 or len(excess) < 3 or np.isnan(excess).any():
        raise ValueError("returns must be a 1-D NaN-free array of at least 3 observations")
    sd = float(np.std(excess, ddof=1))
    sharpe = float(np.mean(excess)) / sd if sd > 0 else float("nan")
    return deflated_sharpe_ratio(sharpe, len(excess), n_trials, trial_sharpe_variance,
                                 float(stats.skew(excess)),
                                 float(stats.kurtosis(excess, fisher=False)))


def trial_sharpe_variance(annual_sharpes: np.ndarray, periods_per_year: int = TRADING_DAYS
                          ) -> float:
    """Sample variance (ddof=1) of the trials' per-period Sharpes, from annualised ones."""
    per_period = per_period_sharpe(np.asarray(annual_sharpes, dtype=float), periods_per_year)
    per_period = per_period[np.isfinite(per_period)]
    return float(np.var(per_period, ddof=1)) if len(per_period) > 1 else 0.0


@dataclass(frozen=True)
class PBOResult:
    """PBO and the logit distribution it summarises (one logit per CSCV combination)."""

    pbo: float
    logits: np.ndarray
    n_splits: int
    n_combinations: int
    exhaustive: bool


Statistic = Callable[[np.ndarray], np.ndarray]


def _block_moments(matrix: np.ndarray, n_splits: int) -> tuple[np.ndarray, np.ndarray,
                                                               np.ndarray, np.ndarray]:
    """Per block: row counts, sums and sums of squares of the column-demeaned matrix."""
    centre = matrix.mean(axis=0)
    blocks = np.array_split(np.arange(matrix.shape[0]), n_splits)
    counts = np.array([len(b) for b in blocks], dtype=float)
    sums = np.empty((n_splits, matrix.shape[1]))
    squares = np.empty((n_splits, matrix.shape[1]))
    for j, rows in enumerate(blocks):
        shifted = matrix[rows] - centre   # demeaned: sums of squares without cancellation
        sums[j] = shifted.sum(axis=0)
        squares[j] = (shifted ** 2).sum(axis=0)
    return counts, sums, squares, centre


def _moment_scores(members: np.ndarray, counts, sums, squares, centre, statistic: str
                   ) -> np.ndarray:
    """Scores (combinations, N) of the rows in the blocks flagged by `members` (combos, S)."""
    n = members @ counts
    total = members @ sums
    mean = total / n[:, None] + centre
    if statistic == "mean":
        return mean
    variance = (members @ squares - total ** 2 / n[:, None]) / (n[:, None] - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(variance > 0, mean / np.sqrt(np.maximum(variance, 0)), np.nan)


def _oos_logit(in_sample: np.ndarray, out_of_sample: np.ndarray) -> np.ndarray:
    """Logit of the OOS relative rank of each row's in-sample best (average rank for ties)."""
    n_strategies = in_sample.shape[1]
    best = np.nanargmax(in_sample, axis=1)
    chosen = out_of_sample[np.arange(len(best)), best][:, None]
    below = np.sum(out_of_sample < chosen, axis=1)
    equal = np.sum(out_of_sample == chosen, axis=1)
    rank = below + (equal + 1) / 2.0          # 1 = worst, N = best
    omega = rank / (n_strategies + 1)
    return np.log(omega / (1 - omega))


def pbo_cscv(returns: np.ndarray, n_splits: int = 16, statistic: str | Statistic = "sharpe",
             max_combinations: int = 20_000, seed: int = 0, batch: int = 512) -> PBOResult:
    """Probability of backtest overfitting by combinatorially symmetric cross-validation.

    returns     (T, N) per-period returns, one column per strategy/combination (NaN-free)
    n_splits    S, even: rows are cut into S contiguous blocks (sizes differ by at most one)
    statistic   "sharpe" (per period, ddof=1), "mean", or a callable mapping a (rows, N) block
                to N scores (slow path); higher is better

    For every choice of S/2 blocks as the in-sample set (C(S, S/2) of them; above
    `max_combinations` a seeded random subset of that size is used and `exhaustive` is False),
    the in-sample best strategy is located in the complementary out-of-sample set: relative rank
    w = rank / (N + 1) (1 = worst), logit = ln(w / (1 - w)). PBO = share of logits <= 0, i.e. how
    often the in-sample winner lands in the bottom half out of sample.

    What to expect (both tested):
    - i.i.d. noise strategies: in- and out-of-sample performance are independent, the OOS rank
      of the winner is uniform and PBO is about 0.5 -- selection adds nothing, but also costs
      nothing on average.
    - noise strategies each demeaned over the full sample (zero total P&L, the usual "no true
      edge" null): a half that looks good in sample forces the complementary half to look bad,
      so with the "mean" statistic the in-sample winner is exactly the OOS loser and PBO = 1;
      with Sharpe it is close to 1. This is the construction under which the method's "PBO near 1
      for pure noise" holds.
    - one strategy with a real edge among noise: it wins in sample and stays on top out of
      sample, PBO near 0.
    """
    matrix = np.asarray(returns, dtype=float)
    if matrix.ndim != 2 or matrix.shape[1] < 2:
        raise ValueError("returns must be (periods, strategies) with at least 2 strategies")
    if np.isnan(matrix).any():
        raise ValueError("returns must not contain NaN (trim every strategy to common dates)")
    if n_splits < 2 or n_splits % 2:
        raise ValueError(f"n_splits must be an even number >= 2, got {n_splits}")
    if matrix.shape[0] < 2 * n_splits:
        raise ValueError(f"{matrix.shape[0]} periods are too few for {n_splits} splits "
                         "(need at least 2 per block)")
    half = n_splits // 2
    total = math.comb(n_splits, half)
    if total <= max_combinations:
        chosen = np.array(list(combinations(range(n_splits), half)))
        exhaustive = True
    else:
        rng = np.random.default_rng(seed)
        picks: set[tuple[int, ...]] = set()
        while len(picks) < max_combinations:
            picks.add(tuple(sorted(rng.choice(n_splits, size=half, replace=False))))
        chosen = np.array(sorted(picks))
        exhaustive = False
    members = np.zeros((len(chosen), n_splits))
    members[np.arange(len(chosen))[:, None], chosen] = 1.0
    logits = np.empty(len(chosen))
    if callable(statistic):
        blocks = np.array_split(np.arange(matrix.shape[0]), n_splits)
        for row, flags in enumerate(members.astype(bool)):
            inside = np.concatenate([blocks[b] for b in np.flatnonzero(flags)])
            outside = np.concatenate([blocks[b] for b in np.flatnonzero(~flags)])
            logits[row] = _oos_logit(np.asarray(statistic(matrix[inside]))[None, :],
                                     np.asarray(statistic(matrix[outside]))[None, :])[0]
    elif statistic in ("sharpe", "mean"):
        moments = _block_moments(matrix, n_splits)
        for lo in range(0, len(members), batch):
            flags = members[lo: lo + batch]
            logits[lo: lo + batch] = _oos_logit(_moment_scores(flags, *moments, statistic),
                                                _moment_scores(1 - flags, *moments, statistic))
    else:
        raise ValueError(f"statistic must be 'sharpe', 'mean' or a callable, got {statistic!r}")
    return PBOResult(float(np.mean(logits <= 0)), logits, n_splits, len(chosen), exhaustive)
