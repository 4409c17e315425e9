"""sweep.html: what a parameter sweep found and how far to trust it.

The winner's equity curve beside the median combination's and the walk-forward's stitched
out-of-sample path (reports/sweep_charts.py), a heatmap of the selection metric over two grid axes
(every other axis held at the winner's value: a slice through the winner, not a best-of) and, with
more than two axes, every combination in parallel coordinates; the top and bottom combinations,
the deflated Sharpe ratio, PBO with its logit histogram, the parity check against vectorbt, and the
walk-forward out-of-sample figures beside the in-sample ones. Opens offline (plotly.js from the
output folder's assets/).
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.atomic import write_text_atomic
from reports.manifest import ConfigRecord, panel_manifest
from reports import formats
from reports.formats import number, percent
from reports.page_common import figure_div, html_table, page_html
from reports.plotly_assets import plotly_script_tag
from reports.sweep_charts import MAX_LINES, equity_chart, grid_chart

METRICS = ("total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar", "volatility",
           "turnover")
TOP_N = 10


def _formats(params: list[str]) -> dict:
    columns = {name: (lambda v, name=name: formats.metric(name, v)) for name in METRICS}
    columns.update({name: formats.grid_value for name in params})
    columns["eligible"] = lambda v: "yes" if v else "no"
    return columns


def ranked(table: pd.DataFrame, metric: str, sense: str) -> pd.DataFrame:
    """Eligible combinations, best first (ties: lower combo index first)."""
    eligible = table.loc[table["eligible"]]
    key = -eligible[metric] if sense == "max" else eligible[metric]
    return eligible.assign(_key=key).sort_values(["_key", "combo"], kind="stable").drop(
        columns="_key")


def heatmap_figure(table: pd.DataFrame, axes: list[str], params: list[str], best: dict,
                   metric: str):
    """Metric over two axes (or one), other axes sliced at the winner's values."""
    import plotly.graph_objects as go

    others = [p for p in params if p not in axes]
    sliced = table
    for name in others:
        sliced = sliced.loc[sliced[name] == best["params"][name]]
    if len(axes) < 2:
        ordered = sliced.sort_values(axes[0])
        figure = go.Figure(go.Scatter(x=ordered[axes[0]], y=ordered[metric], mode="lines+markers"))
        figure.update_layout(xaxis_title=axes[0], yaxis_title=metric)
    else:
        x, y = axes
        grid = sliced.pivot_table(index=y, columns=x, values=metric, aggfunc="first")
        eligible = sliced.pivot_table(index=y, columns=x, values="eligible", aggfunc="first")
        text = np.where(eligible.to_numpy(dtype=bool), "eligible", "fails constraints")
        figure = go.Figure(go.Heatmap(
            z=grid.to_numpy(), x=[formats.grid_value(v) for v in grid.columns],
            y=[formats.grid_value(v) for v in grid.index], text=text, colorscale="Viridis",
            colorbar={"title": metric},
            hovertemplate=f"{x}=%{{x}}<br>{y}=%{{y}}<br>{metric}=%{{z:.4g}}<br>%{{text}}"
                          "<extra></extra>"))
        bad = np.argwhere(~eligible.to_numpy(dtype=bool))
        if len(bad):
            figure.add_trace(go.Scatter(
                x=[formats.grid_value(grid.columns[j]) for _, j in bad],
                y=[formats.grid_value(grid.index[i]) for i, _ in bad],
                mode="markers", marker={"symbol": "x", "color": "white", "size": 9},
                name="fails constraints", hoverinfo="skip"))
        if all(best["params"][a] in (grid.columns if a == x else grid.index) for a in axes):
            figure.add_trace(go.Scatter(
                x=[formats.grid_value(best["params"][x])],
                y=[formats.grid_value(best["params"][y])], mode="markers",
                marker={"symbol": "star", "size": 16, "color": "red"}, name="winner"))
        figure.update_layout(xaxis_title=x, yaxis_title=y, xaxis_type="category",
                             yaxis_type="category")
    figure.update_layout(template="none", height=460, margin={"l": 70, "r": 20, "t": 20, "b": 50},
                         legend={"orientation": "h", "y": -0.18})
    return figure


def logit_figure(logits: np.ndarray):
    import plotly.graph_objects as go

    figure = go.Figure(go.Histogram(x=logits, nbinsx=40, marker_color="#1f3b73",
                                    name="CSCV splits"))
    figure.add_vline(x=0, line_dash="dash", line_color="#b00020")
    figure.update_layout(template="none", height=300, xaxis_title="logit of the in-sample "
                         "winner's out-of-sample rank (≤ 0: bottom half)", yaxis_title="splits",
                         margin={"l": 60, "r": 20, "t": 10, "b": 50}, showlegend=False)
    return figure


def _stat(label: str, value: str, note: str = "", css: str = "") -> str:
    return (f'<div class="stat {css}"><b>{html.escape(value)}</b>{html.escape(label)}'
            f'{"<br><small>" + html.escape(note) + "</small>" if note else ""}</div>')


def _overfitting_section(summary: dict, logits: np.ndarray | None) -> str:
    dsr = summary["deflated_sharpe_detail"]
    pbo = summary["pbo"]
    detail = summary["pbo_detail"]
    sample = (f"a seeded sample of {detail['sample_size']:,} of the {summary['n_eligible']:,} "
              "eligible combinations (always including the winner)" if detail["subsampled"]
              else f"all {detail['sample_size']:,} eligible combinations")
    parts = [
        "<h2>How likely is the winner an overfit?</h2>",
        _stat("deflated Sharpe ratio", number(summary["deflated_sharpe"], 3),
              f"P(true Sharpe > {number(dsr['expected_max_sharpe_per_period'] * 252 ** .5)} "
              f"annualised, the best of {dsr['n_trials']:,} null trials)"),
        _stat("probabilistic Sharpe (vs 0)", number(dsr["psr"], 3)),
        _stat("PBO", "n/a" if pbo is None else number(pbo, 2),
              detail["note"] or f"CSCV, {detail['n_splits']} blocks, "
              f"{detail['n_combinations']:,} splits, {detail['statistic']}"),
        f"<p class='note'>Deflated Sharpe (Bailey &amp; López de Prado 2014): trials N = the "
        f"{dsr['n_trials']:,} eligible combinations, variance of their per-period Sharpes "
        f"{dsr['trial_sharpe_variance']:.3g}, winner's skewness {dsr['skew']:.2f} and kurtosis "
        f"{dsr['kurtosis']:.2f} over {dsr['n_obs']:,} daily returns. PBO (Bailey, Borwein, "
        f"López de Prado &amp; Zhu 2017) over {sample}: the share of in-sample/out-of-sample "
        "splits whose in-sample winner lands in the bottom half out of sample.</p>"]
    if logits is not None:
        parts.append(f'<div id="pbo-logits">{figure_div(logit_figure(logits), "pbo-histogram")}'
                     "</div>")
    return "\n".join(parts)


def _walk_forward_section(summary: dict, outcome) -> str:
    wf, params = summary["walk_forward"], list(summary["grid"])
    if not wf:
        return ("<h2>Walk-forward</h2><p class='note'>No <code>walk_forward:</code> section in "
                "the config: the figures above are in-sample only.</p>")
    rows = pd.DataFrame([{"": label, **{m: wf[key][m] for m in METRICS if m != "turnover"}}
                         for label, key in (("in-sample (train windows, mean)", "in_sample"),
                                            ("out-of-sample (stitched tests)", "out_of_sample"))])
    windows = outcome.walk_forward_table
    shown = windows[["train_from", "train_to", "test_from", "test_to", "combo",
                     *[c for c in outcome.table.columns[1:] if c in windows.columns
                       and c not in ("combo",)], "in_sample_score"]].copy()
    for column in ("train_from", "train_to", "test_from", "test_to"):
        shown[column] = pd.to_datetime(shown[column]).dt.strftime("%Y-%m-%d")
    return (f"<h2>Walk-forward: out of sample vs in sample</h2><p class='note'>Train "
            f"{wf['train']} sessions, embargo {wf['embargo']}, test {wf['test']}, step "
            f"{wf['step']}: on each train window the best combination by {summary['metric']} "
            f"(constraints checked on the train window: "
            f"{', '.join(wf['constraints_on_train_windows']) or 'none'}) is held over the next "
            f"test window; {wf['windows']} windows, {wf['distinct_picks']} distinct picks, OOS "
            f"{wf['oos_first']} .. {wf['oos_last']}.</p>"
            + html_table(rows, "walk-forward-metrics", _formats([]))
            + "<p class='note'>The stitched out-of-sample path is drawn beside the winner and "
              "the median combination at the top of the page.</p>"
            + "<details><summary>windows</summary>"
            + html_table(shown, "walk-forward-windows",
                         {"in_sample_score": number, **{p: formats.grid_value for p in params}})
            + "</details>")


def _equity_section(summary: dict, outcome) -> str:
    """Winner vs median combination vs walk-forward OOS, when the outcome carries the curves."""
    if outcome.curves is None:
        return ""
    table, metric = outcome.table, summary["metric"]
    median = table.iloc[outcome.median_combo]
    params = list(summary["grid"])
    labels = {"winner": f"winner (combo {summary['best']['combo']})",
              "median": f"median combination (combo {outcome.median_combo}: "
                        + ", ".join(f"{p} = {formats.grid_value(median[p])}" for p in params)
                        + ")",
              "walk-forward OOS": "walk-forward out of sample (stitched test windows)"}
    oos = outcome.walk_forward.oos_series() if outcome.walk_forward is not None else None
    scores = (f"{metric} {formats.metric(metric, summary['best']['metrics'][metric])} vs "
              f"{formats.metric(metric, median[metric])} for the median combination")
    if summary["walk_forward"]:
        oos_score = summary["walk_forward"]["out_of_sample"][metric]
        scores += f" and {formats.metric(metric, oos_score)} out of sample"
    return ("<h2>Winner, median combination, out of sample</h2><p class='note'>Growth of $1 on a "
            f"log scale (equal slopes, equal returns): {html.escape(scores)}. The "
            "out-of-sample path starts after the first train window.</p>"
            f'<div id="equity">{equity_chart(outcome.curves, oos, labels)}</div>')


def _grid_section(summary: dict, table: pd.DataFrame, params: list[str]) -> str:
    if len(params) <= 2:
        return ""
    metric, best = summary["metric"], summary["best"]["combo"]
    sample = (f" (a seeded sample of {MAX_LINES:,} of the {len(table):,}, the winner included)"
              if len(table) > MAX_LINES else "")
    measures = [metric] + (["max_drawdown"] if metric != "max_drawdown" else [])
    return (f"<h2>Every combination: {' → '.join([*params, *measures])}</h2>"
            f"<p class='note'>One line per combination{sample}, coloured by {metric}. Drag along "
            "an axis to keep the lines in a range (e.g. the top of the metric axis: which "
            "parameters got there?); click the axis outside the range to clear it.</p>"
            f'<div id="grid">{grid_chart(table, params, metric, best, summary["seed"])}</div>')


def _constraint_text(name: str, value: float) -> str:
    measure = name.removesuffix("_above").removesuffix("_below")
    return f"{name} {formats.metric(measure, value)}"


def render_sweep_page(outcome, title: str, manifest: dict, plotly_tag: str) -> str:
    summary, table = outcome.summary, outcome.table
    params = list(summary["grid"])
    metric, sense = summary["metric"], summary["metric_sense"]
    best = summary["best"]
    order = ranked(table, metric, sense)
    columns = ["combo", *params, *METRICS, "eligible"]
    shown = _formats(params)
    axes = summary["heatmap"]
    sliced = [p for p in params if p not in axes]
    slice_note = ("other parameters held at the winner's values ("
                  + ", ".join(f"{p} = {formats.grid_value(best['params'][p])}" for p in sliced)
                  + ")" if sliced else "every combination shown")
    parity = summary["parity"]
    constraints = ", ".join(_constraint_text(k, v)
                            for k, v in summary["constraints"].items()) or "none"
    best_text = ", ".join(f"{k} = {formats.grid_value(v)}" for k, v in best["params"].items())
    body = f"""<h1>{html.escape(title)}: sweep of {html.escape(summary['strategy'])}</h1>
<p>Rule <code>{html.escape(summary['rule'])}</code>, {summary['rebalance']} rebalance,
{summary['combos']:,} combinations ({', '.join(f"{p}: {len(v)}" for p, v in summary['grid'].items())}),
{summary['n_eligible']:,} eligible (constraints: {html.escape(constraints)}); selection by
<b>{metric}</b> ({'lowest' if sense == 'min' else 'highest'} wins); sessions
{summary['sessions']['first']} .. {summary['sessions']['last']}; fees {summary['fees_bps']:g} bp,
slippage {summary['slippage_bps']:g} bp, lag {summary['lag_days']}. Data:
<a href="sweep.csv">sweep.csv</a> · <a href="sweep_summary.json">sweep_summary.json</a>.</p>
<div id="winner">{_stat('winner', best_text)}{_stat(metric, number(best['metrics'][metric], 3))}
{'' if metric == 'sharpe' else _stat('Sharpe', number(best['metrics']['sharpe']))}{_stat('CAGR', percent(best['metrics']['cagr']))}
{_stat('max drawdown', percent(best['metrics']['max_drawdown']))}</div>
{_equity_section(summary, outcome)}
<h2>{metric} over {' × '.join(axes)}</h2><p class="note">{html.escape(slice_note)}; ✕ = fails
the constraints, ★ = winner.</p>
<div id="heatmap">{figure_div(heatmap_figure(table, axes, params, best, metric), "sweep-heatmap")}</div>
{_grid_section(summary, table, params)}
<h2>Top {min(TOP_N, len(order))}</h2>{html_table(order.head(TOP_N)[columns], "top", shown)}
<h2>Bottom {min(TOP_N, len(order))}</h2>{html_table(order.tail(TOP_N)[columns], "bottom", shown)}
{_overfitting_section(summary, outcome.pbo_logits)}
<h2>Parity with vectorbt</h2><p id="parity" class="{'good' if parity['ok'] else 'bad'}">The winner
and {len(parity['combos']) - 1} seeded random combinations were rerun through
<code>vectorbt.Portfolio.from_orders</code>: largest relative gap in final value
{summary['parity_max_rel']:.2e} (tolerance {parity['tolerance']:g}; metrics
{parity['metrics_max_rel']:.2e}): {'OK' if parity['ok'] else 'FAILED'}.</p>
{_walk_forward_section(summary, outcome)}"""
    return page_html(f"{title} — liqbt sweep", body, manifest, plotly_tag)


def write_sweep_page(outcome, title: str, config: ConfigRecord, panel, out_dir: Path) -> Path:
    """Render OUT/sweep.html for a finished sweep."""
    window = panel.sessions[panel.start_position:]
    manifest = panel_manifest(config, panel, window)
    target = out_dir / "sweep.html"
    write_text_atomic(target, render_sweep_page(outcome, title, manifest,
                                                plotly_script_tag(out_dir)))
    return target
