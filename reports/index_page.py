"""index.html: the run at a glance. From the top: how old the data is, warnings, the overview
chart (every strategy's cumulative return, drawdown and rolling Sharpe over the liquidity regime and
the Fed's announcements), every strategy's metrics in a sortable table (linking its tearsheet),
where the run stands now (reports/latest.py), every other page, the data files and the manifest.

Opens from disk with no network: plotly.js is the output folder's one local copy
(reports/plotly_assets.py) and the table sorts with a few lines of inline JavaScript.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Sequence

from backtests.results import RunResult
from feeds.atomic import write_text_atomic
from reports import formats
from reports.latest import latest_html, latest_state
from reports.manifest_html import manifest_block, warnings_block
from reports.overview import ROLLING_SESSIONS, SHARPE_LIMITS, overview_chart
from reports.pages import PageLink, RunReport
from reports.plotly_assets import plotly_script_tag

COLUMNS = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar", "volatility",
           "turnover")
STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1300px}
h2{margin-top:1.5em}table{border-collapse:collapse}
td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}
#summary td:first-child,#summary th:first-child,#summary td:nth-child(2),#summary th:nth-child(2)
{text-align:left}#summary tr.sleeve td{color:#666}#summary th{cursor:pointer;user-select:none}
#summary th[aria-sort=ascending]::after{content:" ▲"}#summary th[aria-sort=descending]::after
{content:" ▼"}#warnings{background:#fff8e1;padding:.2em 1em;border-left:4px solid #f0ad4e}
#warnings td,#warnings th{text-align:left;font-size:90%}#data-age{font-size:110%}
#latest td,#latest th{text-align:left;font-size:92%}#latest table{margin:.6em 0}
ul#pages li{margin:.3em 0}p.note{color:#555;font-size:90%}nav#top a{margin-right:1em}"""
# Click a header: sort by that column (numbers by their data-v value), again: reverse.
SORT_SCRIPT = """<script>(function(){var t=document.getElementById("summary");
t.querySelectorAll("thead th").forEach(function(th,i){th.addEventListener("click",function(){
var up=th.getAttribute("aria-sort")!=="ascending",body=t.tBodies[0];
t.querySelectorAll("thead th").forEach(function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",up?"ascending":"descending");
var key=function(r){var c=r.cells[i],v=c.getAttribute("data-v");
return v===null?c.textContent.trim():(v===""?NaN:parseFloat(v));};
Array.from(body.rows).sort(function(a,b){var x=key(a),y=key(b);
if(typeof x==="number"&&isNaN(x))return 1;if(typeof y==="number"&&isNaN(y))return -1;
var c=x<y?-1:x>y?1:0;return up?c:-c;}).forEach(function(r){body.appendChild(r);});});});})();
</script>"""


def _cell(metric: str, value, mark: bool = False) -> str:
    raw = "" if formats.missing(value) else repr(float(value))
    dagger = "†" if mark and metric in formats.RATIO_METRICS else ""
    return f'<td data-v="{raw}">{formats.metric(metric, value)}{dagger}</td>'


def summary_rows(result: RunResult, tearsheets: dict[str, str]) -> list[str]:
    """One row per strategy (linked to its tearsheet), then one per sleeve buy-and-hold benchmark."""
    rows = []
    for name, metrics in result.summary.items():
        link = (f'<a href="{html.escape(tearsheets[name])}">{html.escape(name)}</a>'
                if name in tearsheets else html.escape(name))
        bench = (result.benchmark_returns(name) or ("–", None))[0]
        bench = "(itself)" if bench == name else bench
        cells = "".join(_cell(c, metrics.get(c), formats.near_riskless(metrics)) for c in COLUMNS)
        rows.append(f'<tr class="strategy"><td>{link}</td><td>{html.escape(bench)}</td>{cells}</tr>')
    for name, metrics in result.benchmark_summary.items():
        cells = "".join(_cell(c, metrics.get(c), formats.near_riskless(metrics)) for c in COLUMNS)
        rows.append(f'<tr class="sleeve"><td>{html.escape(name)}</td><td>(sleeve held)</td>{cells}'
                    "</tr>")
    return rows


def _near_riskless_note(result: RunResult) -> str:
    rows = [*result.summary.values(), *result.benchmark_summary.values()]
    if not any(formats.near_riskless(metrics) for metrics in rows):
        return ""
    return f'<p class="note" id="near-riskless">{html.escape(formats.NEAR_RISKLESS_NOTE)}.</p>'


def _days_between(first, last) -> int | None:
    try:
        return (date.fromisoformat(str(last)[:10]) - date.fromisoformat(str(first)[:10])).days
    except ValueError:
        return None


def data_age(manifest: dict) -> str:
    """'Data to <last session>, N days old on <run date>', and where the data came from when the
    manifest records it (issue 13's `data_origin` {kind, label, last_date} and `data_age_days`;
    read if present, never required)."""
    last = manifest.get("sessions", {}).get("last")
    created = (manifest.get("created_utc") or "")[:10]
    text = f"Data to <b>{html.escape(str(last))}</b> (the run's last session)"
    origin = manifest.get("data_origin")
    if isinstance(origin, dict) and (origin.get("label") or origin.get("kind")):
        text += f"; source: {html.escape(str(origin.get('label') or origin.get('kind')))}"
        if origin.get("last_date") and origin.get("last_date") != last:
            text += f", its data run to {html.escape(str(origin['last_date']))}"
            if manifest.get("data_age_days") is not None:
                text += f" ({html.escape(str(manifest['data_age_days']))} days old)"
    age = _days_between(last, created) if created else None
    if age is not None:
        text += f"; <b>{age} days old</b> on {html.escape(created)}, the day of the run"
    return f'<p id="data-age">{text}.</p>'


def _pages_list(pages: Sequence[PageLink]) -> str:
    if not pages:
        return ""
    items = "".join(f'<li><a href="{html.escape(p.href)}">{html.escape(p.title)}</a>'
                    + (f" — {html.escape(p.description)}" if p.description else "") + "</li>"
                    for p in pages)
    return f'<h2>Pages</h2><ul id="pages">{items}</ul>'


def _nav(pages: Sequence[PageLink]) -> str:
    links = [("#overview-section", "overview"), ("#strategies", "strategies"),
             ("#latest", "where it stands now")]
    links += [(p.href, p.title) for p in pages]
    return '<nav id="top">' + "".join(f'<a href="{html.escape(href)}">{html.escape(title)}</a>'
                                      for href, title in links) + "</nav>"


def _risk_free_text(result: RunResult) -> str:
    """What Sharpe ratios are in excess of (whatever the run configures: a constant rate, or a
    series such as the T-bill sleeve)."""
    return f"the run's risk-free ({html.escape(formats.risk_free(result.risk_free_record()))})"


def render_index(run: RunReport, manifest: dict, tearsheets: dict[str, str],
                 pages: Sequence[PageLink] = (), plotly_tag: str = "") -> str:
    """The page. `tearsheets`: {strategy: href}; `pages`: links returned by the page writers;
    `plotly_tag`: the <script> loading plotly.js (`plotly_script_tag`)."""
    result, spec = run.result, run.result.spec
    title = html.escape(run.title)
    header = "".join(f"<th>{c}</th>" for c in ("strategy", "benchmark", *COLUMNS))
    sessions = manifest["sessions"]
    risk_free = _risk_free_text(result)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — liqbt</title>
{plotly_tag}<style>{STYLE}</style></head>
<body><h1>{title}</h1>
{data_age(manifest)}
{_nav(pages)}
<p>Backtest {sessions['first']} .. {sessions['last']} ({sessions['count']:,} sessions); decisions at
the close of t trade at the close of t+{spec.execution.lag_days}; fees
{spec.costs.fees_bps:g} bp, slippage {spec.costs.slippage_bps:g} bp; daily returns, 252-day
years; Sharpe and Sortino in excess of {risk_free}.</p>
{warnings_block(manifest)}
<section id="overview-section"><h2>Overview</h2>
<p class="note">Every strategy's cumulative return (log scale), drawdown from the running peak
and {ROLLING_SESSIONS}-session rolling Sharpe ratio in excess of {risk_free} (the Sharpe axis
stops at {SHARPE_LIMITS[0]:g} and {SHARPE_LIMITS[1]:g}). Dashed: strategies other strategies are
compared with; dotted: sleeves held. Bottom strip: the
liquidity regime at each close and the Fed's balance-sheet announcements (▼) on the first close
they were public. Click a legend entry to hide or show a strategy; drag to zoom.</p>
{overview_chart(result)}</section>
<h2 id="strategies">Strategies</h2>
<p class="note">Click a strategy for its tearsheet against its benchmark, a column header to
sort.</p>
<table id="summary"><thead><tr>{header}</tr></thead><tbody>{''.join(summary_rows(result, tearsheets))}
</tbody></table>
{_near_riskless_note(result)}
{SORT_SCRIPT}
{latest_html(latest_state(result))}
{_pages_list(pages)}
<p>Files: <a href="summary.json">summary.json</a> · <a href="returns.csv">returns.csv</a> ·
<a href="manifest.json">manifest.json</a> · weights/&lt;strategy&gt;.csv</p>
{manifest_block(manifest)}
</body></html>
"""


def write_index_page(run: RunReport, out_dir: Path, manifest: dict, tearsheets: dict[str, str],
                     pages: Sequence[PageLink] = ()) -> Path:
    """OUT/index.html (and the shared OUT/assets/plotly-*.min.js it loads)."""
    target = out_dir / "index.html"
    write_text_atomic(target, render_index(run, manifest, tearsheets, pages,
                                           plotly_script_tag(out_dir)))
    return target
