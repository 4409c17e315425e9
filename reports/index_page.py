"""index.html: the run at a glance, linking every page it produced."""

from __future__ import annotations

import html

from reports.tearsheet import manifest_block

_COLUMNS = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar", "volatility",
            "turnover")
_PERCENT = {"total_return", "cagr", "max_drawdown", "volatility"}


def _cell(metric: str, value) -> str:
    if value is None or value != value:
        return "<td>–</td>"
    return f"<td>{value:.2%}</td>" if metric in _PERCENT else f"<td>{value:.2f}</td>"


def render_index(result, manifest: dict, tearsheets: dict[str, str],
                 pages: list[tuple[str, str]] = ()) -> str:
    title = html.escape(result.config.report.title or result.config.name)
    header = "".join(f"<th>{c}</th>" for c in ("strategy", "benchmark", *_COLUMNS))
    rows = []
    for name, metrics in result.summary.items():
        link = (f'<a href="{tearsheets[name]}">{html.escape(name)}</a>' if name in tearsheets
                else html.escape(name))
        bench = (result.benchmark_returns(name) or ("–", None))[0]
        cells = "".join(_cell(c, metrics.get(c)) for c in _COLUMNS)
        rows.append(f"<tr><td>{link}</td><td>{html.escape(bench)}</td>{cells}</tr>")
    sessions = manifest["sessions"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — liqbt</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}}
td:first-child,th:first-child,td:nth-child(2){{text-align:left}}</style></head>
<body><h1>{title}</h1>
<p>Backtest {sessions['first']} .. {sessions['last']} ({sessions['count']} sessions); decisions at
the close of t trade at the close of t+{result.config.execution.lag_days}; fees
{result.config.costs.fees_bps} bp, slippage {result.config.costs.slippage_bps} bp; 252-day years.</p>
{''.join(f'<p><a href="{href}">{html.escape(title)}</a></p>' for title, href in pages)}
<table id="summary"><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>
<p>Files: <a href="summary.json">summary.json</a> · <a href="returns.csv">returns.csv</a> ·
<a href="manifest.json">manifest.json</a> · weights/&lt;strategy&gt;.csv</p>
{manifest_block(manifest)}
</body></html>
"""
