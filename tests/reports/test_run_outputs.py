"""End to end: `liqbt run` on the real snapshot writes the whole output contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
SUMMARY_KEYS = {"total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar",
                "volatility", "turnover", "start", "end"}


class _Checker(HTMLParser):
    """Collects tags so an unbalanced or empty document fails."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


@pytest.fixture(scope="module")
def quickstart_run(tmp_path_factory, snapshot) -> Path:
    out = tmp_path_factory.mktemp("quickstart")
    env = {"LIQBT_SNAPSHOT": str(snapshot), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
           "HOME": str(out)}
    done = subprocess.run([sys.executable, "-m", "backtests.cli", "run",
                           "backtests/configs/quickstart.yaml", "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def test_every_contract_file_is_written(quickstart_run):
    for name in ("index.html", "summary.json", "returns.csv", "manifest.json",
                 "tearsheets/regime_allocator.html", "tearsheets/spy_buy_hold.html",
                 "weights/regime_allocator.csv", "weights/spy_buy_hold.csv"):
        assert (quickstart_run / name).is_file(), name


def test_summary_json_follows_the_contract(quickstart_run):
    summary = json.loads((quickstart_run / "summary.json").read_text())
    for name, metrics in summary["strategies"].items():
        assert set(metrics) == SUMMARY_KEYS, name
        assert metrics["max_drawdown"] < 0
        assert metrics["start"] == "2008-01-02"
    returns = pd.read_csv(quickstart_run / "returns.csv", index_col="date", parse_dates=True)
    total = (1 + returns["spy_buy_hold"]).prod() - 1
    assert total == pytest.approx(summary["strategies"]["spy_buy_hold"]["total_return"], rel=1e-6)


def test_tearsheets_are_valid_html_with_a_nonzero_benchmark(quickstart_run):
    for page in (quickstart_run / "tearsheets").glob("*.html"):
        text = page.read_text()
        checker = _Checker()
        checker.feed(text)
        assert {"html", "body", "table", "svg"} <= set(checker.tags), page.name
        header = re.search(r"<tr><th>Metric</th><th>([^<]+)</th><th>Strategy</th></tr>", text)
        assert header and header.group(1) == "spy_buy_hold"
        row = re.search(r"<tr><td>Cumulative Return</td><td>([^<]+)</td>", text)
        assert row and float(row.group(1).rstrip("%")) > 100, "benchmark returns are missing"
        assert 'id="liqbt-manifest"' in text


def test_manifest_traces_config_data_and_packages(quickstart_run):
    manifest = json.loads((quickstart_run / "manifest.json").read_text())
    assert len(manifest["config_sha256"]) == 64
    paths = {f["path"] for f in manifest["data_files"]}
    assert {"prices/SPY.csv", "prices/GLD.csv", "fred/WRESBAL.csv", "fred/SOFR.csv"} <= paths
    assert all(len(f["sha256"]) == 64 and f["first"] <= f["last"] for f in manifest["data_files"])
    assert manifest["packages"]["vectorbt"] == "1.2.0"
    # The one defect in the quickstart's data: IEF's Saturday row, dropped and recorded.
    assert [(i["id"], i["check"], i["action"]) for i in manifest["data_quality"]] == [
        ("IEF", "weekend", "warn")]
    assert manifest["sleeve_closures"] == {}


def test_weights_files_list_decisions_and_their_trade_dates(quickstart_run):
    weights = pd.read_csv(quickstart_run / "weights" / "regime_allocator.csv", parse_dates=["date",
                                                                                          "traded"])
    assert (weights["traded"].dropna() > weights["date"][weights["traded"].notna()]).all()
    sleeves = weights.drop(columns=["date", "traded"])
    assert (sleeves.sum(axis=1) <= 1 + 1e-9).all()
