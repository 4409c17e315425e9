"""The verdict end to end: able to say "not supported", supported only when the primary is
significant after Holm and the specification set agrees, honest about timing, one consistent row
per article claim with every number the contract promises."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from backtests.verdict.stress_claims import purchase_responses, rotation_test, stress_episodes
from backtests.verdict.thresholds import (
    INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, decide_backtest, decide_scenarios, decide_stress,
)
from liqbt.config import RunConfig, load_config
from liqbt.run import run_backtest
from tests.fakes import MemorySource, business_days
from tests.verdict_fixtures import ARTICLE, article_verdict_run  # noqa: F401  (fixture)


def test_episodes_need_a_quiet_spell_and_only_new_or_larger_purchases_are_hits():
    flag = np.array([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, np.nan])
    assert stress_episodes(flag, cooldown=3).tolist() == [1, 10]
    pace = np.array([-50, -50, -50, -50, -50, -35, -35, 0, 0, np.nan, np.nan, 60.0])
    announced = np.full(12, np.nan)
    announced[2] = -35.0                       # announced at 2, effective at 5 ...
    pending = np.full(12, np.nan)
    pending[2:5] = -35.0                       # ... so already known on 2, 3 and 4
    buys, eases = purchase_responses(pace, announced, pending, horizon=2)
    # QT slowing (-50 -> -35) and ending (-> 0) are not purchases: reported apart. 0 and 1 see
    # the slowdown coming; 2-4 already knew it; 5 sees QT end at 7. 7 and 8 see lump-sum QE.
    assert eases[:6].tolist() == [True, True, False, False, False, True]
    assert buys[:9].tolist() == [False] * 7 + [True, True]
    assert not buys[9] and not eases[9]       # lump-sum QE (NaN) = +inf: nothing exceeds it


def test_the_rotation_test_does_not_treat_clustered_episodes_as_independent():
    """Three episodes a week apart inside one purchase response: the binomial test, counting
    them as three independent hits, calls it significant; rotating the flag moves the cluster as
    a block, and a block that lands in the one response window scores 3/3 as often as the
    observed one does, so the rotation p is far larger."""
    n = 600
    buys = np.zeros(n, bool)
    buys[300:360] = True                                    # one response window (10%)
    flag = np.zeros(n)
    flag[[310, 317, 324]] = 1.0                             # three episodes, one cluster
    judged = np.ones(n, bool)
    result = rotation_test(flag, buys, judged, cooldown=5, confidence=0.9)
    assert (result["n_episodes"], result["hits"]) == (3, 3)
    assert result["p_binomial"] < 0.01
    assert result["p_value"] > 0.05
    assert result["base_rate"] == pytest.approx(0.1)


def synthetic_config(strategy_weights: dict, benchmark_weights: dict, specifications=()
                     ) -> RunConfig:
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
        "verdict": {"n_boot": 300, "since": None, "walk_forward": {"train": 504, "test": 252},
                    "claims": [{"id": 2, "test": "backtest", "strategy": "rule",
                                "benchmark": "bench", "specifications": list(specifications)},
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


def spec(name: str, weights: dict | None = None, rebalance: str | None = None) -> dict:
    entry = {"name": name, "about": name}
    if weights is not None:
        entry["params"] = {"weights": weights}
    if rebalance is not None:
        entry["rebalance"] = rebalance
    return entry


WINNING_SPECS = [spec("weekly", rebalance="weekly"), spec("quarterly", rebalance="quarterly"),
                 spec("daily", rebalance="daily"), spec("good-90", {"good": 0.9}),
                 spec("good-80", {"good": 0.8, "bad": 0.2}), spec("good-70", {"good": 0.7}),
                 spec("good-60", {"good": 0.6, "bad": 0.1}), spec("good-95", {"good": 0.95})]


def test_a_planted_edge_is_supported_across_its_specification_set(synthetic_source):
    winning = run_backtest(synthetic_config({"good": 1.0}, {"bad": 1.0}, WINNING_SPECS),
                           synthetic_source)
    row = winning.verdict_rows()[0]
    assert row["verdict"] == SUPPORTED, row["reason"]
    assert len(row["specifications"]) == 9 and row["specifications"][0]["primary"]
    assert all(s["sharpe_difference"] > 0 and s["ci_low"] > 0 for s in row["specifications"])
    assert row["spec_agreement"] == {"agree": 9, "total": 9, "share": 1.0, "required": 0.8}
    assert row["p_adjusted"] >= row["p_value"]
    assert row["dsr"]["n_trials"] == 9 and row["pbo"]["pbo"] is None   # no grid: nothing chosen
    grid_row = winning.verdict_rows()[1]
    assert grid_row["metrics"]["grid_size"] == 3 and grid_row["pbo"]["grid_size"] == 3
    sessions = len(winning.panel.sessions) - winning.panel.start_position
    assert grid_row["metrics"]["walk_forward"]["windows"] == len(range(0, sessions - 504, 252))
    first_oos = pd.Timestamp(grid_row["metrics"]["out_of_sample"]["first"])
    assert first_oos > pd.Timestamp("2012-01-02") + pd.Timedelta(days=700)  # after a 2-year train


def test_a_losing_rule_is_not_supported_and_half_the_specifications_losing_is_inconclusive(
        synthetic_source):
    losing = run_backtest(synthetic_config({"bad": 1.0}, {"good": 1.0}), synthetic_source)
    assert losing.verdict_rows()[0]["verdict"] == NOT_SUPPORTED
    half = WINNING_SPECS[:4] + [spec(f"loses-{i}", {"bad": 1.0 - i / 10}) for i in range(5)]
    fragile = run_backtest(synthetic_config({"good": 1.0}, {"bad": 1.0}, half), synthetic_source)
    row = fragile.verdict_rows()[0]
    assert row["spec_agreement"]["agree"] == 5 and row["spec_agreement"]["total"] == 10
    assert row["p_adjusted"] < 0.05                       # the primary alone would pass
    assert row["verdict"] == INCONCLUSIVE and row["reason"].startswith("fragile: 5 of 10 specs")


def test_the_article_verdict_has_one_consistent_row_per_claim(article_verdict_run):
    section = article_verdict_run.spec.verdict
    rows = article_verdict_run.verdict_rows()
    assert [row["id"] for row in rows] == [1, 2, 3, 4, 5, 6]
    claims = {c.id: c for c in section.claims}
    for row in rows:
        m, agreed, p_adj = row["metrics"], row["spec_agreement"], row["p_adjusted"]
        assert row["verdict"] in (SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE)
        assert row["p_value"] <= p_adj <= 1.0 or np.isnan(row["p_value"])
        if row["kind"] == "backtest":
            assert decide_backtest(m, p_adj, agreed, section) == (row["verdict"], row["reason"])
            assert m["out_of_sample"]["first"] > "2010-12-01"   # after the first 3-year train
        elif row["kind"] == "scenario_returns":
            assert decide_scenarios(m, p_adj, agreed, section)[0] == row["verdict"]
            assert set(m["by_scenario"]) == {"none", "C", "A", "B", "QE"}
        else:
            assert decide_stress(m, claims[6], p_adj, agreed, section)[0] == row["verdict"]
            assert "2019-09-17" in [e["date"] for e in m["episodes"]]
            assert m["hits"] + m["qt_eased"] <= m["n_episodes"]


def test_the_short_vol_claim_reports_its_real_product_window(article_verdict_run):
    row = article_verdict_run.verdict_rows()[0]
    real = row["real_product_window"]
    assert real["from"] == "2018-02-28" and real["sessions"] > 2000
    assert np.isfinite(real["sharpe_difference"]) and real["ci_low"] < real["ci_high"]
    names = [s["name"] for s in row["specifications"]]
    assert {"no-liquidity-gate", "policy-weight-0", "regime-z-1.0", "listed-svxy"} <= set(names)


def test_verdict_json_carries_every_number_the_issue_asks_for(article_verdict_run, tmp_path):
    from liqbt.run import config_record
    from reports.config import ReportSection
    from reports.manifest import build_manifest
    from reports.pages import RunReport
    from reports.verdict_page import write_verdict_page

    record = config_record(load_config(ARTICLE), ARTICLE)
    report = RunReport(article_verdict_run, ReportSection(), record)
    write_verdict_page(report, tmp_path, build_manifest(article_verdict_run, record))
    payload = json.loads((tmp_path / "verdict.json").read_text())
    assert len(payload["claims"]) == 6
    for claim in payload["claims"]:
        assert {"id", "claim", "test", "metrics", "verdict", "reason", "p_value", "p_adjusted",
                "specifications", "spec_agreement", "dsr", "pbo"} <= set(claim)
        assert len(claim["specifications"]) >= (8 if claim["id"] <= 4 else 5)
        assert "chart" not in claim
        if claim["kind"] == "backtest":
            dsr = claim["dsr"]
            assert 0 <= dsr["dsr"] <= 1 and dsr["n_trials"] == sum(
                s["grid_size"] for s in claim["specifications"])
            assert 0 <= claim["pbo"]["pbo"] <= 1
            for entry in claim["specifications"]:
                assert {"sharpe_difference", "ci_low", "ci_high", "p_value"} <= set(entry)
    claim5 = payload["claims"][4]
    assert 0 <= claim5["pbo"]["pbo"] <= 1 and claim5["dsr"]["n_trials"] == 9   # the rule's grid
    page = (tmp_path / "verdict.html").read_text()
    assert page.count('<tr class="claim"') == 6
    assert page.count('id="spec-curve-') == 6 and page.count('id="oos-') == 5
