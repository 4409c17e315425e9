"""verdict.html + verdict.json: one row per article claim — the test, the numbers, the verdict.

The page states the thresholds it applied (from `backtests.verdict.thresholds`), the raw and
Holm-adjusted p-value of every claim, how many of its specifications agree, the DSR of rule minus
benchmark (with its trial count) and the PBO of its grid; per claim the out-of-sample cumulative
excess of rule over benchmark (walk-forward windows marked, the months since the articles shaded),
its specification curve, the real-product window when a sleeve is synthetic for part of history,
and its details. Charts use the run's local plotly.js copy: the page opens from disk.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from backtests.verdict import thresholds
from feeds.atomic import json_ready, write_json, write_text_atomic
from reports import formats
from reports.manifest_html import manifest_block
from reports.pages import PageLink, RunReport
from reports.plotly_assets import plotly_div, plotly_script_tag
from reports.verdict_charts import ESTIMATES, oos_figure, specification_curve

COLOURS = {"supported": "#1b7f3b", "not supported": "#b42318", "inconclusive": "#9a6700"}
#: Row keys written to verdict.json (the chart series stay on the page).
JSON_KEYS = ("id", "claim", "kind", "test", "verdict", "reason", "p_value", "p_adjusted",
             "spec_agreement", "specifications", "dsr", "pbo", "real_product_window", "metrics",
             "rule_specifications")
STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse}td,th{padding:6px 10px;border-bottom:1px solid #ddd;
vertical-align:top;text-align:left}.verdict{color:#fff;padding:2px 8px;border-radius:4px;
white-space:nowrap}pre{font-size:11px;max-height:300px;overflow:auto;background:#f6f6f6}
.num{text-align:right;white-space:nowrap}section.claim-detail{margin:2em 0;padding-top:.5em;
border-top:2px solid #ccc}table.specs td,table.specs th{font-size:90%;padding:3px 8px}
tr.primary td{font-weight:600}pre.rules{max-height:none;font-size:12px}"""


def _p(value) -> str:
    return formats.number(value, 3)


def headline_numbers(row: dict) -> str:
    """The primary specification's numbers that decided the row, as a short HTML fragment."""
    m = row["metrics"]
    if "out_of_sample" in m:
        oos = m["out_of_sample"]
        return (f"OOS {oos['first']}..{oos['last']}: Sharpe {formats.number(oos['sharpe_rule'])} "
                f"vs {formats.number(oos['sharpe_benchmark'])}, difference "
                f"<b>{formats.signed_number(oos['sharpe_difference'])}"
                f"</b> [{formats.signed_number(oos['ci_low'])}, {formats.signed_number(oos['ci_high'])}], HAC t "
                f"{formats.signed_number(oos['t_stat_excess'])}")
    if "b_minus_none" in m:
        gap = m["b_minus_none"]
        cells = ", ".join(f"{name}: {formats.signed_percent(v['ann_mean_excess'])} ({v['sessions']} d)"
                          for name, v in m["by_scenario"].items())
        return (f"B − none <b>{formats.signed_percent(gap['ann_mean_gap'])}/yr</b> [{formats.signed_percent(gap['ci_low'])}, "
                f"{formats.signed_percent(gap['ci_high'])}]; by scenario {cells}")
    return (f"<b>{m['hits']}/{m['n_episodes']}</b> stress episodes followed by new or larger "
            f"purchases within {m['horizon_sessions']} sessions vs base rate "
            f"{formats.percent(m['base_rate'], 0)} ({m['qt_eased']} more by QT slowing or "
            f"ending; binomial p {_p(m['p_binomial'])} assumes independent episodes)")


def _dsr_cell(row: dict) -> str:
    dsr = row["dsr"]
    if dsr.get("dsr") is None:
        return "n/a"
    return f"{formats.number(dsr['dsr'])}<br><small>{dsr['n_trials']} trials</small>"


def _pbo_cell(row: dict) -> str:
    pbo = row["pbo"]
    if pbo.get("pbo") is None:
        return "n/a"
    return f"{formats.number(pbo['pbo'])}<br><small>grid of {pbo['grid_size']}</small>"


def _summary_row(row: dict) -> str:
    agreed = row["spec_agreement"]
    colour = COLOURS[row["verdict"]]
    return (f'<tr class="claim" data-verdict="{html.escape(row["verdict"])}" '
            f'data-p-adjusted="{row["p_adjusted"]:.6f}"><td><a href="#claim-{row["id"]}">'
            f'{row["id"]}</a></td><td>{html.escape(row["claim"])}</td>'
            f"<td>{headline_numbers(row)}</td>"
            f'<td class="num">{_p(row["p_value"])}</td><td class="num">{_p(row["p_adjusted"])}'
            f'</td><td class="num">{agreed["agree"]} of {agreed["total"]}</td>'
            f'<td class="num">{_dsr_cell(row)}</td><td class="num">{_pbo_cell(row)}</td>'
            f'<td><span class="verdict" style="background:{colour}">{row["verdict"]}</span>'
            f"<br><small>{html.escape(row['reason'])}</small></td></tr>")


def _spec_table(specifications: list[dict], test: str) -> str:
    key, _, scale = ESTIMATES[test]
    lines = []
    fmt = formats.signed_number if scale == 1.0 else formats.signed_percent
    for spec in specifications:
        value, low, high = (spec.get(k) for k in (key, "ci_low", "ci_high"))
        lines.append(f'<tr class="{"primary" if spec["primary"] else ""}"><td>'
                     f'{html.escape(spec["name"])}</td><td>{html.escape(spec["about"])}</td>'
                     f'<td class="num">{fmt(value)}</td><td class="num">[{fmt(low)}, '
                     f'{fmt(high)}]</td><td class="num">{_p(spec.get("p_value"))}</td></tr>')
    return ('<table class="specs"><thead><tr><th>specification</th><th>what changes</th>'
            '<th>estimate</th><th>interval</th><th>p</th></tr></thead><tbody>'
            + "".join(lines) + "</tbody></table>")


def _real_window(row: dict) -> str:
    real = row["real_product_window"]
    if real.get("all_real", True):
        return ""
    if "synthetic_throughout" in real:
        return (f"<p>Synthetic throughout: {html.escape(', '.join(real['synthetic_throughout']))}"
                " (no real-product window).</p>")
    if "sharpe_difference" not in real:
        return f"<p>Real products only from {real['from']}: {html.escape(real.get('note', ''))}.</p>"
    return (f'<p class="real-window">On real products only (out-of-sample sessions from '
            f"{real['from']}, {real['sessions']} sessions): Sharpe difference "
            f"<b>{formats.signed_number(real['sharpe_difference'])}</b> [{formats.signed_number(real['ci_low'])}, "
            f"{formats.signed_number(real['ci_high'])}], p {_p(real['p_value'])}.</p>")


def _detail(row: dict) -> str:
    m, number = row["metrics"], row["id"]
    test = row["kind"]
    parts = [f'<section class="claim-detail" id="claim-{number}"><h3>Claim {number}: '
             f"{html.escape(row['claim'])}</h3><p><small>{html.escape(row['test'])}</small></p>"]
    if row.get("chart"):
        parts.append("<h4>Out of sample: cumulative return of the rule over its benchmark</h4>")
        parts.append(plotly_div(f"oos-{number}", *oos_figure(row["chart"]), height_px=300))
    parts.append(_real_window(row))
    parts.append("<h4>Specification curve</h4>")
    parts.append(plotly_div(f"spec-curve-{number}",
                            *specification_curve(row["specifications"], test), height_px=340))
    parts.append(_spec_table(row["specifications"], test))
    since = m.get("since_articles") or m.get("rule_backtest", {}).get("since_articles")
    if since and "total_return_rule" in since:
        parts.append(f"<p>Since {since['since']} ({since['sessions']} sessions, too short to "
                     f"test): rule {formats.signed_percent(since['total_return_rule'])} vs benchmark "
                     f"{formats.signed_percent(since['total_return_benchmark'])}.</p>")
    if "rule_backtest_of" in m:
        rule = m["rule_backtest"]["out_of_sample"]
        parts.append(f"<p>The rule itself ({html.escape(m['rule_backtest_of'])}, DSR and PBO "
                     f"above): Sharpe difference {formats.signed_number(rule['sharpe_difference'])} "
                     f"[{formats.signed_number(rule['ci_low'])}, {formats.signed_number(rule['ci_high'])}], p "
                     f"{_p(rule['p_value'])}.</p>")
    if m.get("too_few_sessions"):
        parts.append(f"<p>Too few sessions to judge (fewer than {m['min_sessions']}): "
                     f"{html.escape(', '.join(m['too_few_sessions']))}.</p>")
    if "episodes" in m:
        items = "".join(f"<li>{e['date']}: "
                        f"{'new or larger purchases' if e['purchases_rose'] else 'no purchases'}"
                        f"{' (QT slowed or ended)' if e['qt_eased'] else ''}</li>"
                        for e in m["episodes"])
        parts.append(f"<ul>{items}</ul>")
    dump = html.escape(json.dumps(json_ready({k: row[k] for k in ("metrics", "dsr", "pbo")}),
                                  indent=1, default=str))
    parts.append(f"<details><summary>all numbers</summary><pre>{dump}</pre></details></section>")
    return "".join(parts)


def render_verdict(rows: list[dict], manifest: dict, title: str, plotly_tag: str,
                   risk_free: str) -> str:
    rules = html.escape(thresholds.__doc__ or "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verdict — {html.escape(title)}</title>
{plotly_tag}<style>{STYLE}</style>
</head><body><h1>Verdict: {html.escape(title)}</h1>
<p>Each claim of the 2025–26 "QT ends, reserve-management purchases begin" thesis, tested on
history with values used only from the session they were public and trades one session after the
decision. Sharpe ratios are in excess of the risk-free ({html.escape(risk_free)}). Every claim is
tested across a declared set of specifications; p-values are adjusted for testing six claims
(Holm). <a href="index.html">Back to the run</a>.</p>
<table id="verdict"><thead><tr><th>#</th><th>claim</th><th>primary result</th><th>p</th>
<th>Holm p</th><th>specs agreeing</th><th>DSR</th><th>PBO</th><th>verdict</th></tr></thead>
<tbody>{''.join(_summary_row(row) for row in rows)}</tbody></table>
<h2>Claims in detail</h2>{''.join(_detail(row) for row in rows)}
<h2>Thresholds</h2><pre class="rules">{rules}</pre>
{manifest_block(manifest)}
</body></html>
"""


def write_verdict_page(run: RunReport, out_dir: Path, manifest: dict) -> PageLink | None:
    """Page writer of a run: the verdict when the config has a `verdict:` section."""
    rows = run.result.verdict_rows()
    if rows is None:
        return None
    return write_verdict_files(rows, out_dir, manifest, run.title,
                               formats.risk_free(run.result.risk_free_record()))


def write_verdict_files(rows: list[dict], out_dir: Path, manifest: dict, title: str,
                        risk_free: str = "none") -> PageLink:
    """Write verdict.json ({"claims": [{id, claim, test, verdict, reason, p_value, p_adjusted,
    spec_agreement, specifications, dsr, pbo, real_product_window, metrics}]}) and verdict.html."""
    claims = [{key: row[key] for key in JSON_KEYS if key in row} for row in rows]
    write_json(out_dir / "verdict.json", {"claims": claims,
                                          "thresholds": {"spec_majority": _majority(rows)}})
    page = render_verdict(rows, manifest, title, plotly_script_tag(out_dir), risk_free)
    write_text_atomic(out_dir / "verdict.html", page)
    return PageLink("Verdict on the article claims", "verdict.html",
                    "each claim of the 2025-26 thesis: the test, its specification curve, the "
                    "verdict")


def _majority(rows: list[dict]) -> float | None:
    return rows[0]["spec_agreement"]["required"] if rows else None
