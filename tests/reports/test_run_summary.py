"""OUT/summary.md of `liqbt run`: the run at a glance in Markdown (header, warnings, where it
stands now, strategies, verdict labels), appended to the CI job's summary (GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from reports.run_summary import SECTIONS, run_summary_markdown, verdict_section


def test_summary_md_lists_every_strategy_and_the_warnings(quickstart_run):
    markdown = (quickstart_run / "summary.md").read_text()
    summary = json.loads((quickstart_run / "summary.json").read_text())
    manifest = json.loads((quickstart_run / "manifest.json").read_text())
    sessions = manifest["sessions"]
    assert markdown.startswith("## liqbt run: ")
    assert f"Backtest {sessions['first']} .. {sessions['last']} ({sessions['count']:,} " in markdown
    latest, strategies = markdown.split("### Strategies", 1)
    assert "### Where it stands now (close of " + sessions["last"] + ")" in latest
    for name in summary["strategies"]:          # each strategy's latest target weights
        assert any(line.startswith(f"| {name} | ") for line in latest.splitlines())
    rows = [line for line in strategies.splitlines() if line.startswith("| ")]
    for name, metrics in summary["strategies"].items():
        row = next(r for r in rows if r.startswith(f"| {name} | "))
        assert f" {metrics['cagr']:.2%} | {metrics['sharpe']:.2f} | " in row, row
    warned = [i for i in manifest["data_quality"] if i["action"] != "allowed"]
    assert warned and "### ⚠️ Warnings" in markdown
    for issue in warned:
        assert f"| {issue['id']} | {issue['check']} | {issue['date']} |" in markdown
    assert "Verdict" not in markdown                   # the quickstart has no verdict: section


def test_summary_md_goes_to_the_job_summary(quickstart_run):
    job_summary = quickstart_run.parent / f"{quickstart_run.name}.step.md"
    assert job_summary.read_text() == (quickstart_run / "summary.md").read_text()


def test_verdict_labels_and_sections_can_be_added(quickstart_run):
    rows = [{"id": 1, "claim": "be short VIX", "test": "backtest", "verdict": "inconclusive",
             "reason": "CI spans 0", "metrics": {}},
            {"id": 2, "claim": "overweight gold | real assets", "test": "backtest",
             "verdict": "supported", "reason": "CI above 0", "metrics": {}}]
    run = SimpleNamespace(result=SimpleNamespace(verdict_rows=lambda: rows))
    section = verdict_section(run, {})
    assert "| 1 | be short VIX | ❔ **inconclusive** | CI spans 0 |" in section
    assert "| 2 | overweight gold \\| real assets | ✅ **supported** | CI above 0 |" in section
    assert verdict_section(SimpleNamespace(result=SimpleNamespace(verdict_rows=lambda: None)),
                           {}) is None
    assert len(SECTIONS) >= 5 and run_summary_markdown.__doc__


def test_a_report_title_cannot_inject_markdown_or_html_into_the_job_page():
    from reports.run_summary import header_section

    spec = SimpleNamespace(execution=SimpleNamespace(lag_days=1),
                           costs=SimpleNamespace(fees_bps=0, slippage_bps=0))
    record = {"sleeve": None, "annual": 0.0}
    run = SimpleNamespace(title="T|`x`<script>alert(2)</script>\n\n## injected\n| a | b |",
                          result=SimpleNamespace(spec=spec, risk_free_record=lambda: record))
    head = header_section(run, {"sessions": {"first": "a", "last": "b", "count": 2}})
    first = head.splitlines()[0]
    assert first == ("## liqbt run: T\\|\\`x\\`&lt;script&gt;alert(2)&lt;/script&gt;  "
                     "## injected \\| a \\| b \\|")
    assert head.splitlines()[1] == "" and "<script>" not in head
