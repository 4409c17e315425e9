"""sweep_summary.md: what a reviewer reads about a sweep, e.g. in a CI job's summary page.

The verdict of the gates first, then the winner and its parameters, the headline numbers (with
their change against a baseline sweep when one was given), the gates one by one, the walk-forward's
in- vs out-of-sample figures and the top 10 eligible combinations. Built from the summary dict of
`sweep_summary.json` and the sweep table only, so it can be rendered for any finished sweep.
"""

from __future__ import annotations

import pandas as pd

from backtests.sweep.review import HEADLINES, headline_numbers
from reports import formats
from reports.formats import PERCENT_METRICS, missing
from reports.markdown import code, join_sections, table, text
from reports.sweep_page import ranked

TOP_N = 10
TOP_METRICS = ("sharpe", "cagr", "max_drawdown", "volatility", "turnover")


def _headline_text(kind: str, value) -> str:
    if missing(value):
        return formats.MISSING
    if kind == "percent":
        return formats.percent(value)
    if kind == "ratio":
        return f"{value:.2e}"
    if kind == "count":
        return f"{value:,.0f}"
    return formats.number(value, 3)


def _change_text(kind: str, change) -> str:
    if missing(change):
        return formats.MISSING
    if kind == "percent":
        return f"{change * 100:+.2f} pp"
    if kind == "ratio":
        return f"{change:+.2e}"
    return f"{change:+,.0f}" if kind == "count" else formats.signed_number(change, 3)


def gates_line(summary: dict) -> str:
    gates = summary.get("gates") or {}
    results = gates.get("results", [])
    if not gates.get("checked"):
        return "**Gates: not checked** (`--no-gates`)."
    if not results:
        return "**Gates: none configured** (`sweep.gates`)."
    failed = [r["gate"] for r in results if not r["passed"]]
    if failed:
        return (f"**Gates: ❌ {len(failed)} of {len(results)} failed** "
                f"({', '.join(f'`{g}`' for g in failed)}).")
    return f"**Gates: ✅ all {len(results)} passed.**"


def _header(summary: dict) -> str:
    best = summary["best"]
    params = ", ".join(f"{k} = {formats.grid_value(v)}" for k, v in best["params"].items())
    return (f"## Sweep of `{summary['strategy']}` ({summary.get('config', '')})\n\n"
            f"{gates_line(summary)}\n\n"
            f"Winner by **{summary['metric']}** (combination {best['combo']}): **{params}**")


def _headlines(summary: dict) -> str:
    numbers = headline_numbers(summary)
    baseline = summary.get("baseline")
    metric_label = f"winner's {summary['metric']}"
    labels = {h.name: (metric_label if h.name == "metric" else h.label) for h in HEADLINES}
    shown = [h._replace(kind="percent") if h.name == "metric" and summary["metric"] in
             PERCENT_METRICS else h
             for h in HEADLINES if not (h.name == "metric" and summary["metric"] == "sharpe")]
    if baseline is None:
        rows = [(labels[h.name], _headline_text(h.kind, numbers[h.name])) for h in shown]
        return table(("headline", "value"), rows)
    changes = baseline["changes"]
    rows = [(labels[h.name], _headline_text(h.kind, numbers[h.name]),
             _headline_text(h.kind, changes[h.name]["baseline"]),
             _change_text(h.kind, changes[h.name]["change"])) for h in shown]
    old = baseline.get("winner") or {}
    moved = ("the winner changed from "
             + ", ".join(f"{text(k)} = {formats.grid_value(v)}" for k, v in old.items())
             if baseline["winner_changed"] else "same winner")
    return (table(("headline", "value", "baseline", "change"), rows)
            + f"\n\nBaseline: {code(baseline['file'])} ({text(baseline.get('config'))}); "
            f"{moved}.")


def _gates(summary: dict) -> str | None:
    results = (summary.get("gates") or {}).get("results", [])
    if not results:
        return None
    rows = [(f"`{r['gate']}`", _headline_text("number", r["value"]),
             ("≥ " if r["gate"].endswith("_min") else "≤ ") + f"{r['threshold']:g}",
             "✅ passed" if r["passed"] else "❌ failed") for r in results]
    return "### Gates\n\n" + table(("gate", "value", "threshold", "result"), rows)


def _walk_forward(summary: dict) -> str | None:
    wf = summary.get("walk_forward")
    if not wf:
        return None
    names = ("total_return", "cagr", "sharpe", "max_drawdown", "volatility")
    rows = [(label, *(formats.metric(n, wf[key].get(n)) for n in names))
            for label, key in (("in-sample (mean of train windows)", "in_sample"),
                               ("out-of-sample (stitched)", "out_of_sample"))]
    return (f"### In- vs out-of-sample\n\nWalk-forward: {wf['windows']} windows (train "
            f"{wf['train']}, test {wf['test']}, embargo {wf['embargo']} sessions), "
            f"{wf['distinct_picks']} distinct picks, out of sample {wf['oos_first']} .. "
            f"{wf['oos_last']}.\n\n" + table(("", *names), rows))


def _top(summary: dict, sweep_table: pd.DataFrame) -> str:
    metric = summary["metric"]
    order = ranked(sweep_table, metric, summary["metric_sense"]).head(TOP_N)
    params = list(summary["grid"])
    metrics = [metric] + [m for m in TOP_METRICS if m != metric]
    rows = [(int(row["combo"]), *(formats.grid_value(row[p]) for p in params),
             *(formats.metric(m, float(row[m])) for m in metrics)) for _, row in order.iterrows()]
    return (f"### Top {len(order)} by {metric} (of {summary['n_eligible']:,} eligible)\n\n"
            + table(("combo", *params, *metrics), rows))


def _footer(summary: dict) -> str:
    detail = summary["pbo_detail"]
    sessions = summary["sessions"]
    pbo = ("n/a: " + detail["note"]) if summary["pbo"] is None else (
        f"on {detail['sample_size']:,} combinations, {detail['n_splits']} CSCV blocks")
    return (f"<sub>{summary['combos']:,} combinations ({summary['n_eligible']:,} eligible), "
            f"sessions {sessions['first']} .. {sessions['last']}; fees {summary['fees_bps']:g} "
            f"bp, slippage {summary['slippage_bps']:g} bp, lag {summary['lag_days']}. Deflated "
            f"Sharpe over {summary['deflated_sharpe_detail']['n_trials']:,} trials; PBO {pbo}; "
            f"parity: {len(summary['parity']['combos'])} combinations rerun through vectorbt. "
            "Files: sweep.html, sweep_summary.json, sweep.csv.</sub>")


def sweep_summary_markdown(summary: dict, sweep_table: pd.DataFrame) -> str:
    """The whole sweep_summary.md."""
    return join_sections([_header(summary), _headlines(summary), _gates(summary),
                          _walk_forward(summary), _top(summary, sweep_table), _footer(summary)])
