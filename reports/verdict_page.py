"""verdict.html + verdict.json: one row per article claim — the test, the numbers, the verdict.

The page states the thresholds it applied (from `backtests.verdict.thresholds`), the out-of-sample window, the
months since the articles on their own, and for each claim its details (scenario table, stress
episodes, walk-forward choices). Plain HTML and CSS: it opens from disk with nothing else.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from backtests.verdict import thresholds
from feeds.atomic import json_ready, write_json, write_text_atomic
from reports.manifest_html import manifest_block
from reports.pages import PageLink, RunReport

COLOURS = {"supported": "#1b7f3b", "not supported": "#b42318", "inconclusive": "#9a6700"}


def _pct(value) -> str:
    return "–" if value is None or value != value else f"{value:+.1%}"


def _num(value, digits: int = 2) -> str:
    return "–" if value is None or value != value else f"{value:+.{digits}f}"


def headline_numbers(row: dict) -> str:
    """The few numbers that decided the row, as a short HTML fragment."""
    m = row["metrics"]
    if "out_of_sample" in m:
        oos = m["out_of_sample"]
        return (f"OOS {oos['first']}..{oos['last']}: Sharpe {oos['sharpe_rule']:.2f} vs "
                f"{oos['sharpe_benchmark']:.2f}, difference <b>{_num(oos['sharpe_difference'])}</b> "
                f"[{_num(oos['ci_low'])}, {_num(oos['ci_high'])}] (p {oos['p_value']:.3f}), "
                f"t {_num(oos['t_stat_excess'])}; full-sample DSR of the best of {m['grid_size']} "
                f"trials {m['dsr_full_sample_best']:.2f}")
    if "b_minus_none" in m:
        gap = m["b_minus_none"]
        cells = ", ".join(f"{name}: {_pct(v['ann_mean_excess'])} ({v['sessions']} d)"
                          for name, v in m["by_scenario"].items())
        return (f"B − none <b>{_pct(gap['ann_mean_gap'])}/yr</b> [{_pct(gap['ci_low'])}, "
                f"{_pct(gap['ci_high'])}] (p {gap['p_value']:.3f}); by scenario {cells}")
    return (f"<b>{m['hits']}/{m['n_episodes']}</b> stress episodes followed by more purchases "
            f"within {m['horizon_sessions']} sessions vs base rate {m['base_rate']:.0%} "
            f"(p {m['p_value']:.3f})")


def _details(row: dict) -> str:
    m = row["metrics"]
    extra = ""
    since = m.get("since_articles") or m.get("rule_backtest", {}).get("since_articles")
    if since and "total_return_rule" in since:
        extra += (f"<p>Since {since['since']} ({since['sessions']} sessions, too short to test): "
                  f"rule {_pct(since['total_return_rule'])} vs benchmark "
                  f"{_pct(since['total_return_benchmark'])}.</p>")
    if "rule_backtest_verdict" in m:
        extra += (f"<p>The rule itself ({html.escape(m['rule_backtest_of'])}): "
                  f"{m['rule_backtest_verdict']}.</p>")
    if "episodes" in m:
        items = "".join(f"<li>{e['date']}: {'purchases rose' if e['purchases_rose'] else 'no rise'}"
                        "</li>" for e in m["episodes"])
        extra += f"<ul>{items}</ul>"
    dump = html.escape(json.dumps(json_ready(m), indent=1, default=str))
    return f"{extra}<details><summary>all numbers</summary><pre>{dump}</pre></details>"


def render_verdict(rows: list[dict], manifest: dict, title: str) -> str:
    body = []
    for row in rows:
        colour = COLOURS[row["verdict"]]
        body.append(
            f'<tr class="claim" data-verdict="{html.escape(row["verdict"])}"><td>{row["id"]}</td>'
            f"<td>{html.escape(row['claim'])}</td><td>{html.escape(row['test'])}</td>"
            f"<td>{headline_numbers(row)}{_details(row)}</td>"
            f'<td><span class="verdict" style="background:{colour}">{row["verdict"]}</span>'
            f"<br><small>{html.escape(row['reason'])}</small></td></tr>")
    rules = html.escape(thresholds.__doc__ or "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verdict — {html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}}
table{{border-collapse:collapse}}td,th{{padding:6px 10px;border-bottom:1px solid #ddd;
vertical-align:top;text-align:left}}.verdict{{color:#fff;padding:2px 8px;border-radius:4px;
white-space:nowrap}}pre{{font-size:11px;max-height:300px;overflow:auto;background:#f6f6f6}}</style>
</head><body><h1>Verdict: {html.escape(title)}</h1>
<p>Each claim of the 2025–26 "QT ends, reserve-management purchases begin" thesis, tested on
history with values used only from the session they were public and trades one session after the
decision. Sharpe ratios are in excess of T-bills. <a href="index.html">Back to the run</a>.</p>
<table id="verdict"><thead><tr><th>#</th><th>claim</th><th>test</th><th>numbers</th>
<th>verdict</th></tr></thead><tbody>{''.join(body)}</tbody></table>
<h2>Thresholds</h2><pre>{rules}</pre>
{manifest_block(manifest)}
</body></html>
"""


def write_verdict_page(run: RunReport, out_dir: Path, manifest: dict) -> PageLink | None:
    """Page writer of a run: the verdict when the config has a `verdict:` section."""
    rows = run.result.verdict_rows()
    if rows is None:
        return None
    return write_verdict_files(rows, out_dir, manifest, run.title)


def write_verdict_files(rows: list[dict], out_dir: Path, manifest: dict, title: str) -> PageLink:
    """Write verdict.json ({"claims": [{id, claim, test, metrics, verdict}]}) and verdict.html."""
    claims = [{key: row[key] for key in ("id", "claim", "test", "metrics", "verdict", "reason")}
              for row in rows]
    write_json(out_dir / "verdict.json", {"claims": claims})
    write_text_atomic(out_dir / "verdict.html", render_verdict(rows, manifest, title))
    return PageLink("Verdict on the article claims", "verdict.html",
                     "each claim of the 2025-26 thesis: the test, the numbers, the verdict")
