"""index.html: the run at a glance: warnings first, every strategy's metrics (linking its
tearsheet), every other page of the run, the data files and the manifest."""

from __future__ import annotations

import html
from typing import Sequence

from backtests.results import RunResult
from reports.manifest_html import manifest_block, warnings_block
from reports.pages import PageLink, RunReport

COLUMNS = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar", "volatility",
           "turnover")
_PERCENT = {"total_return", "cagr", "max_drawdown", "volatility"}
STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1300px}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
#summary td:first-child,#summary th:first-child,#summary td:nth-child(2),#summary th:nth-child(2)
{text-align:left}#summary tr.sleeve td{color:#666}#warnings{background:#fff8e1;padding:.2em 1em;
border-left:4px solid #f0ad4e}#warnings td,#warnings th{text-align:left;font-size:90%}
ul#pages li{margin:.3em 0}"""


def _cell(metric: str, value) -> str:
    if value is None or value != value:
        return "<td>–</td>"
    return f"<td>{value:.2%}</td>" if metric in _PERCENT else f"<td>{value:.2f}</td>"


def summary_rows(result: RunResult, tearsheets: dict[str, str]) -> list[str]:
    """One row per strategy (linked to its tearsheet), then one per sleeve buy-and-hold benchmark."""
    rows = []
    for name, metrics in result.summary.items():
        link = (f'<a href="{html.escape(tearsheets[name])}">{html.escape(name)}</a>'
                if name in tearsheets else html.escape(name))
        bench = (result.benchmark_returns(name) or ("–", None))[0]
        bench = "(itself)" if bench == name else bench
        cells = "".join(_cell(c, metrics.get(c)) for c in COLUMNS)
        rows.append(f'<tr class="strategy"><td>{link}</td><td>{html.escape(bench)}</td>{cells}</tr>')
    for name, metrics in result.benchmark_summary.items():
        cells = "".join(_cell(c, metrics.get(c)) for c in COLUMNS)
        rows.append(f'<tr class="sleeve"><td>{html.escape(name)}</td><td>(sleeve held)</td>{cells}'
                    "</tr>")
    return rows


def _pages_list(pages: Sequence[PageLink]) -> str:
    if not pages:
        return ""
    items = "".join(f'<li><a href="{html.escape(p.href)}">{html.escape(p.title)}</a>'
                    + (f" — {html.escape(p.description)}" if p.description else "") + "</li>"
                    for p in pages)
    return f'<h2>Pages</h2><ul id="pages">{items}</ul>'


def render_index(run: RunReport, manifest: dict, tearsheets: dict[str, str],
                 pages: Sequence[PageLink] = ()) -> str:
    """The page. `tearsheets`: {strategy: href}; `pages`: links returned by the page writers."""
    result, spec = run.result, run.result.spec
    title = html.escape(run.title)
    header = "".join(f"<th>{c}</th>" for c in ("strategy", "benchmark", *COLUMNS))
    sessions = manifest["sessions"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — liqbt</title>
<style>{STYLE}</style></head>
<body><h1>{title}</h1>
<p>Backtest {sessions['first']} .. {sessions['last']} ({sessions['count']} sessions); decisions at
the close of t trade at the close of t+{spec.execution.lag_days}; fees {spec.costs.fees_bps} bp,
slippage {spec.costs.slippage_bps} bp; daily returns, 252-day years, risk-free
{html.escape(spec.risk_free.describe())} in Sharpe/Sortino. Click a strategy for its tearsheet
against its benchmark.</p>
{warnings_block(manifest)}
<h2>Strategies</h2>
<table id="summary"><thead><tr>{header}</tr></thead><tbody>{''.join(summary_rows(result, tearsheets))}
</tbody></table>
{_pages_list(pages)}
<p>Files: <a href="summary.json">summary.json</a> · <a href="returns.csv">returns.csv</a> ·
<a href="manifest.json">manifest.json</a> · weights/&lt;strategy&gt;.csv</p>
{manifest_block(manifest)}
</body></html>
"""
