"""OUT/summary.md: a run at a glance in Markdown, for people and for a CI job's summary page.

Built from sections, in order: the header (window, costs), warnings (data-quality issues not
allow-listed, sleeves closed during the backtest), where the signals and strategies stand now,
the strategies table, the verdict labels. A
section is a function `(run, manifest) -> str | None` (None: nothing to say); add one by appending
it to SECTIONS.
"""

from __future__ import annotations

from typing import Callable

from reports import formats
from reports.latest import latest_markdown, latest_state
from reports.markdown import join_sections, table, text as markdown_text
from reports.pages import RunReport

Section = Callable[[RunReport, dict], "str | None"]

COLUMNS = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "volatility", "turnover")
VERDICT_MARKS = {"supported": "✅", "not supported": "❌", "inconclusive": "❔"}


def header_section(run: RunReport, manifest: dict) -> str:
    spec, sessions = run.result.spec, manifest["sessions"]
    return (f"## liqbt run: {markdown_text(run.title)}\n\n"
            f"Backtest {sessions['first']} .. {sessions['last']} ({sessions['count']:,} "
            f"sessions); decisions at the close of t trade at t+{spec.execution.lag_days}; fees "
            f"{spec.costs.fees_bps:g} bp, slippage {spec.costs.slippage_bps:g} bp; 252-day years, "
            f"Sharpe and Sortino in excess of the risk-free "
            f"({formats.risk_free(run.result.risk_free_record())}).")


def warnings_section(run: RunReport, manifest: dict) -> str:
    issues = [i for i in manifest.get("data_quality", []) if i.get("action") != "allowed"]
    closures = manifest.get("sleeve_closures", {})
    if not issues and not closures:
        return "No data-quality warnings; no sleeve closed."
    parts = ["### ⚠️ Warnings"]
    if issues:
        parts.append(table(("id", "check", "date", "action", "detail"),
                           [(i.get("id"), i.get("check"), i.get("date"), i.get("action"),
                             i.get("detail")) for i in issues], "lllll"))
    if closures:
        parts.append("Sleeves closed during the backtest (flat and untradable afterwards):\n\n"
                     + table(("sleeve", "closed at", "why"),
                             [(s, c.get("date"), c.get("reason")) for s, c in closures.items()],
                             "lll"))
    return "\n\n".join(parts)


def strategies_section(run: RunReport, manifest: dict) -> str:
    result = run.result
    rows, marked = [], False
    entries = [(name, metrics, None) for name, metrics in result.summary.items()]
    entries += [(name, metrics, "(sleeve held)") for name, metrics in result.benchmark_summary.items()]
    for name, metrics, bench in entries:
        if bench is None:
            bench = (result.benchmark_returns(name) or ("–", None))[0]
            bench = "(itself)" if bench == name else bench
        mark = "†" if formats.near_riskless(metrics) else ""
        marked = marked or bool(mark)
        rows.append((name, bench, *(formats.metric(c, metrics.get(c))
                                    + (mark if c in formats.RATIO_METRICS else "")
                                    for c in COLUMNS)))
    text = "### Strategies\n\n" + table(("strategy", "benchmark", *COLUMNS), rows,
                                        "ll" + "r" * len(COLUMNS))
    if marked:
        text += f"\n\n{formats.NEAR_RISKLESS_NOTE}."
    return text


def verdict_section(run: RunReport, manifest: dict) -> str | None:
    rows = run.result.verdict_rows()
    if not rows:
        return None
    cells = [(row["id"], row["claim"], f"{VERDICT_MARKS.get(row['verdict'], '')} "
              f"**{row['verdict']}**", row.get("reason", "")) for row in rows]
    return "### Verdict on the article claims\n\n" + table(("#", "claim", "verdict", "why"),
                                                           cells, "llll")


def latest_section(run: RunReport, manifest: dict) -> str:
    """Where the signals and the strategies stand at the last session (as on index.html)."""
    return latest_markdown(latest_state(run.result), level=3)


def footer_section(run: RunReport, manifest: dict) -> str:
    commit = manifest.get("git_commit") or "n/a"
    dirty = " (uncommitted changes)" if manifest.get("git_dirty") else ""
    return (f"<sub>config {run.config.name} (sha256 {str(manifest.get('config_sha256'))[:12]}), "
            f"git {commit}{dirty}. Files: index.html, summary.json, returns.csv, manifest.json."
            "</sub>")


SECTIONS: list[Section] = [header_section, warnings_section, latest_section, strategies_section,
                           verdict_section, footer_section]


def run_summary_markdown(run: RunReport, manifest: dict) -> str:
    """The whole summary.md of a run: every section of SECTIONS that has something to say."""
    return join_sections([section(run, manifest) for section in SECTIONS])
