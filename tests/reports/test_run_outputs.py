"""End to end: `liqbt run` on the real snapshot writes the whole output contract."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

SUMMARY_KEYS = {"total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar",
                "volatility", "turnover", "start", "end"}
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
                      re.I)


class _Checker(HTMLParser):
    """Collects tags and link targets so an unbalanced or empty document fails."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])


def test_every_contract_file_is_written(quickstart_run):
    for name in ("index.html", "summary.json", "returns.csv", "manifest.json",
                 "tearsheets/regime_allocator.html", "tearsheets/spy_buy_hold.html",
                 "weights/regime_allocator.csv", "weights/spy_buy_hold.csv",
                 "signals.html", "signals.csv"):
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
    pages = {page.stem: page.read_text() for page in (quickstart_run / "tearsheets").glob("*.html")}
    assert set(pages) == {"regime_allocator", "spy_buy_hold", "sixty_forty"}  # one per strategy
    for name, text in pages.items():
        checker = _Checker()
        checker.feed(text)
        assert {"html", "body", "table", "svg"} <= set(checker.tags), name
        assert 'id="liqbt-manifest"' in text and "../index.html" in checker.links
        assert f"<title>{name} — liqbt tearsheet</title>" in text
        assert 'onload="save()"' not in text  # quantstats' call to an undefined function
        # quantstats' "CAGR﹪" (U+FE6A, in no common font: a box on screen) reads "CAGR"
        assert "\ufe6a" not in text and "<tr><td>CAGR</td>" in text
    # Every page compares with a real benchmark whose returns are there (not all zeros).
    for name, benchmark in {"regime_allocator": "spy_buy_hold", "sixty_forty": "spy_buy_hold",
                            "spy_buy_hold": "sixty_forty"}.items():
        header = re.search(r"<tr><th>Metric</th><th>([^<]+)</th><th>Strategy</th></tr>",
                           pages[name])
        assert header and header.group(1) == benchmark, name
        row = re.search(r"<tr><td>Cumulative Return</td><td>([^<]+)</td>", pages[name])
        assert row and float(row.group(1).rstrip("%").replace(",", "")) > 100, name


def test_no_page_loads_anything_from_the_network(quickstart_run):
    for page in quickstart_run.rglob("*.html"):
        assert not EXTERNAL.findall(page.read_text(encoding="utf-8")), page.name
    (asset,) = (quickstart_run / "assets").glob("plotly-*.min.js")
    assert f'src="assets/{asset.name}"' in (quickstart_run / "signals.html").read_text()


def test_index_links_every_page_and_shows_warnings(quickstart_run):
    checker = _Checker()
    text = (quickstart_run / "index.html").read_text()
    checker.feed(text)
    pages = {p.relative_to(quickstart_run).as_posix() for p in quickstart_run.rglob("*.html")}
    assert pages - {"index.html"} <= set(checker.links)
    assert all((quickstart_run / link).is_file() for link in checker.links
               if "//" not in link and not link.startswith("#"))
    assert text.count('<tr class="strategy">') == 3
    assert 'id="overview"' in text and 'id="latest-weights"' in text
    # stance and pace are not configured in the quickstart: computed with defaults, and said so
    assert "(policy_stance, default parameters)" in text
    assert "(pace_in_effect, default parameters)" in text
    # The quickstart's one data defect (IEF's Saturday row) is a warning on the index.
    warnings = text[text.index('<section id="warnings">'):]
    assert "IEF" in warnings[:warnings.index("</section>")]


def test_run_is_quiet_on_stderr(quickstart_cli):
    """Only liqbt's own progress lines: no font-warning floods, no warnings or tracebacks from the
    tearsheet workers."""
    noise = [line for line in quickstart_cli.stderr.splitlines() if not line.startswith("liqbt: ")]
    assert noise == []
    assert "liqbt: tearsheets: 3 in 2 process(es)" in quickstart_cli.stderr


def test_manifest_traces_config_data_and_packages(quickstart_run):
    manifest = json.loads((quickstart_run / "manifest.json").read_text())
    assert len(manifest["config_sha256"]) == 64
    paths = {f["path"].rsplit(".", 1)[0] for f in manifest["data_files"]}
    assert {"prices/SPY", "prices/GLD", "fred/WRESBAL", "fred/SOFR"} <= paths
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
