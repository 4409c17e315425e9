"""The verdict end to end: able to say "not supported", honest about timing, one consistent row
per article claim."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from backtests.verdict.conditional_claims import purchases_rise, stress_episodes
from backtests.verdict.thresholds import (
    INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, decide_backtest, decide_scenarios, decide_stress,
)
from liqbt.config import RunConfig, load_config
from liqbt.run import run_backtest
from tests.fakes import MemorySource, business_days


def test_episodes_need_a_quiet_spell_and_rises_include_announcements():
    flag = np.array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, np.nan])
    assert stress_episodes(flag, cooldown=3).tolist() == [1, 10]
    pace = np.array([-50, -50, -50, -50, -50, -35, -35, 0, 0, np.nan, np.nan, 60.0])
    announced = np.full(12, np.nan)
    announced[2] = -35.0                       # announced at 2, effective at 5 ...
    pending = np.full(12, np.nan)
    pending[2:5] = -35.0                       # ... so already known on 2, 3 and 4
    rises = purchases_rise(pace, announced, pending, horizon=2)
    # 0 and 1 see the announcement coming; 2-4 already knew it, and its taking effect at 5 is
    # not a new response; 5 sees QT end (0) at 7.
    assert rises[:6].tolist() == [True, True, False, False, False, True]
    assert rises[8] and not rises[9]                          # lump-sum QE (NaN) = +inf


def synthetic_config(strategy_weights: dict, benchmark_weights: dict) -> RunConfig:
    return RunConfig.model_validate({
        "name": "synthetic", "data": {"start": "2012-01-02"},
        "universe": {"good": "GOOD", "bad": "BAD"},
        "signals": {"stance": {"fn": "policy_stance"}},
        "strategies": [
            {"name": "rule", "rule": "fixed_weights", "params": {"weights": strategy_weights}},
            {"name": "bench", "rule": "fixed_weights", "params": {"weights": benchmark_weights}},
            {"name": "gold_like", "rule": "gold", "params": {
                "gold_sleeve": "good", "stance_signal": "stance", "base_weight": 0.2,
                "overweight": 0.6, "rest": {"bad": 1.0}}}],
        "verdict": {"risk_free_sleeve": None, "n_boot": 300, "since": None,
                    "walk_forward": {"train": 504, "test": 252},
                    "claims": [{"id": 2, "test": "backtest", "strategy": "rule", "benchmark": "bench"},
                               {"id": 3, "test": "backtest", "strategy": "gold_like",
                                "benchmark": "bench", "grid": {"overweight": [0.3, 0.6, 0.9]}}]}})


@pytest.fixture(scope="module")
def synthetic_source() -> MemorySource:
    sessions = business_days("2010-01-01", 3000)
    rng = np.random.default_rng(8)
    good = 100 * np.exp(np.cumsum(rng.normal(0.0008, 0.01, len(sessions))))
    bad = 100 * np.exp(np.cumsum(rng.normal(-0.0004, 0.01, len(sessions))))
    return MemorySource(prices={"GOOD": pd.Series(good, index=sessions),
                                "BAD": pd.Series(bad, index=sessions)})


def test_a_losing_rule_is_not_supported_and_a_planted_edge_is(synthetic_source):
    losing = run_backtest(synthetic_config({"bad": 1.0}, {"good": 1.0}), synthetic_source)
    winning = run_backtest(synthetic_config({"good": 1.0}, {"bad": 1.0}), synthetic_source)
    assert losing.verdict_rows()[0]["verdict"] == NOT_SUPPORTED
    assert winning.verdict_rows()[0]["verdict"] == SUPPORTED
    grid_row = winning.verdict_rows()[1]
    assert grid_row["metrics"]["grid_size"] == 3
    sessions = len(winning.panel.sessions) - winning.panel.start_position
    assert grid_row["metrics"]["walk_forward"]["windows"] == len(range(0, sessions - 504, 252))
    first_oos = pd.Timestamp(grid_row["metrics"]["out_of_sample"]["first"])
    assert first_oos > pd.Timestamp("2012-01-02") + pd.Timedelta(days=700)  # after a 2-year train


ARTICLE = Path(__file__).resolve().parents[3] / "liqbt" / "configs" / "article.yaml"


@pytest.fixture(scope="module")
def article_run(snapshot):
    return run_backtest(load_config(ARTICLE), snapshot)


def test_the_article_verdict_has_one_consistent_row_per_claim(article_run):
    section = article_run.spec.verdict
    rows = article_run.verdict_rows()
    assert [row["id"] for row in rows] == [1, 2, 3, 4, 5, 6]
    claims = {c.id: c for c in section.claims}
    for row in rows:
        assert row["verdict"] in (SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE)
        m = row["metrics"]
        if "out_of_sample" in m:
            assert decide_backtest(m, section)[0] == row["verdict"]
            assert m["out_of_sample"]["first"] > "2010-12-01"   # after the first 3-year train
        elif "b_minus_none" in m:
            assert decide_scenarios(m, section)[0] == row["verdict"]
        else:
            assert decide_stress(m, claims[6], section)[0] == row["verdict"]
            assert "2019-09-17" in [e["date"] for e in m["episodes"]]


def test_verdict_json_follows_the_contract(article_run, tmp_path):
    from liqbt.run import config_record
    from reports.config import ReportSection
    from reports.manifest import build_manifest
    from reports.pages import RunReport
    from reports.verdict_page import write_verdict_page

    record = config_record(load_config(ARTICLE), ARTICLE)
    report = RunReport(article_run, ReportSection(), record)
    write_verdict_page(report, tmp_path, build_manifest(article_run, record))
    payload = json.loads((tmp_path / "verdict.json").read_text())
    assert len(payload["claims"]) == 6
    for claim in payload["claims"]:
        assert {"id", "claim", "test", "metrics", "verdict"} <= set(claim)
    page = (tmp_path / "verdict.html").read_text()
    assert page.count('<tr class="claim"') == 6
