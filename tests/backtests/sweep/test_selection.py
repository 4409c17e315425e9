"""Selection after the chunks: eligibility, the winner's sense per metric, seeded samples."""

from __future__ import annotations

import numpy as np
import pytest

from backtests.config import metric_sense
from backtests.metrics import METRIC_NAMES
from backtests.sweep.selection import (
    eligible_mask, parity_sample, pbo_sample, pbo_statistic, select_best,
)

SHARPE, DD, VOL, TURN = (METRIC_NAMES.index(m) for m in ("sharpe", "max_drawdown", "volatility",
                                                         "turnover"))


@pytest.fixture
def metrics() -> np.ndarray:
    table = np.zeros((5, len(METRIC_NAMES)))
    table[:, SHARPE] = [0.5, 1.2, np.nan, 1.2, 0.9]
    table[:, DD] = [-0.10, -0.40, -0.05, -0.20, -0.25]
    table[:, VOL] = [0.12, 0.08, 0.05, 0.20, 0.08]
    table[:, TURN] = [1.0, 6.0, 0.5, 2.0, 3.0]
    return table


def test_senses():
    assert [metric_sense(m) for m in METRIC_NAMES] == [
        "max", "max", "max", "max", "max", "max", "min", "min"]   # drawdown: closer to 0 wins


def test_constraints_filter_and_nan_is_never_eligible(metrics):
    bounds = (("max_drawdown", -0.3, None), ("turnover", None, 5.0))
    eligible = eligible_mask(metrics, "sharpe", bounds)
    assert eligible.tolist() == [True, False, False, True, True]
    assert select_best(metrics, "sharpe", eligible) == 3
    # Ties go to the lower index: without constraints combos 1 and 3 tie on Sharpe 1.2.
    assert select_best(metrics, "sharpe", eligible_mask(metrics, "sharpe", ())) == 1


def test_lower_is_better_metrics_pick_the_minimum(metrics):
    everyone = eligible_mask(metrics, "volatility", ())
    assert select_best(metrics, "volatility", everyone) == 2
    assert select_best(metrics, "turnover", everyone) == 2
    assert select_best(metrics, "max_drawdown", everyone) == 2     # -5% beats -10%
    assert select_best(metrics, "sharpe", np.zeros(5, dtype=bool)) == -1


def test_samples_are_seeded_exclude_or_keep_the_winner():
    a = parity_sample(1000, best=7, size=5, seed=1)
    assert len(a) == 5 and 7 not in a and np.array_equal(a, parity_sample(1000, 7, 5, 1))
    assert not np.array_equal(a, parity_sample(1000, 7, 5, 2))
    assert len(parity_sample(3, best=0, size=5, seed=0)) == 2
    eligible = np.zeros(10_000, dtype=bool)
    eligible[::2] = True
    sample = pbo_sample(eligible, best=42, max_combos=100, seed=0)
    assert len(sample) == 100 and 42 in sample and eligible[sample].all()
    assert np.array_equal(pbo_sample(eligible[:50], best=0, max_combos=100, seed=0),
                          np.flatnonzero(eligible[:50]))


def test_pbo_statistic_follows_the_metric():
    assert pbo_statistic("total_return") == pbo_statistic("cagr") == "mean"
    assert pbo_statistic("sharpe") == pbo_statistic("calmar") == "sharpe"
