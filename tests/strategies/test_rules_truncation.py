"""Every rule decides from what is known at its close: weights at t built from data cut at t equal
weights at t built from the full history (article.yaml's rules on the real snapshot), and so does
every signal article.yaml configures (the verdict's realised purchase pace among them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from liqbt.config import load_config
from liqbt.run import build_panel, compute_configured_signals
from strategies import RULES, StrategyContext, build_weights

REPO = Path(__file__).resolve().parents[2]
ARTICLE = REPO / "liqbt" / "configs" / "article.yaml"
# Around H.4.1 releases (Wed-Fri), FOMC/RMP days, quarter-ends, the 2018 VIX shock, 2019 repo spike.
DATES = ["2011-01-05", "2018-02-05", "2018-02-06", "2019-09-17", "2019-09-18", "2019-10-11",
         "2019-10-15", "2020-03-16", "2022-05-04", "2022-09-30", "2025-12-10", "2025-12-11",
         "2025-12-12", "2025-12-31", "2026-04-15", "2026-07-13"]


def weights_at(panel, config, t: pd.Timestamp) -> dict[str, np.ndarray]:
    signals = compute_configured_signals(config, panel)
    context = StrategyContext.of_panel(panel, signals)
    weights = {s.name: build_weights(context, s.rule, s.params, "daily").loc[t].to_numpy()
               for s in config.strategies}
    return weights | {f"signal {name}": np.asarray([values.loc[t]], dtype=object)
                      for name, values in signals.items()}


@pytest.fixture(scope="module")
def setup(snapshot):
    config = load_config(ARTICLE)
    return config, build_panel(config, snapshot)


def test_the_article_config_covers_every_registered_rule(setup):
    config, _ = setup
    assert {s.rule for s in config.strategies} == set(RULES)


def test_weights_at_t_do_not_depend_on_data_after_t(setup):
    config, panel = setup
    full_signals = compute_configured_signals(config, panel)
    context = StrategyContext.of_panel(panel, full_signals)
    full = {s.name: build_weights(context, s.rule, s.params, "daily") for s in config.strategies}
    full |= {f"signal {name}": values.to_frame() for name, values in full_signals.items()}
    assert {"signal realized_pace_4w", "signal realized_pace_13w"} <= set(full)
    violations = []
    for day in DATES:
        t = pd.Timestamp(day)
        cut = weights_at(panel.truncated(t), config, t)
        for name, row in cut.items():
            expected = full[name].loc[t].to_numpy()
            same = (np.array_equal(row, expected, equal_nan=True) if row.dtype != object
                    else all(a == b or (a != a and b != b) for a, b in zip(row, expected)))
            if not same:
                violations.append(f"{name} at {day}")
    assert violations == []
