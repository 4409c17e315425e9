"""signals.html: one interactive chart per configured signal, for looking at the data a rule reads.

Every chart is shaded by the liquidity regime known at each close and marks the Fed policy
announcements on the session they became usable. The page opens offline: plotly.js is the output
folder's shared local copy (reports/plotly_assets.py), no CDN, no external script or stylesheet.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports.formats import UNITS, SignalUnit, pace, signal_unit
from reports.manifest_html import manifest_block
from reports.plotly_assets import plotly_div

REGIME_COLOURS = {"expanding": "#2ca02c", "neutral": "#9e9e9e", "draining": "#ff7f0e",
                  "stress": "#d62728"}
LABEL_ORDER = ("stress", "QT", "draining", "neutral", "unknown", "RMP", "expanding", "QE")
CHART_HEIGHT = 330


@dataclass(frozen=True)
class SignalInfo:
    """What the page says about one configured signal."""

    name: str  # config name (the CSV column)
    fn: str  # registered signal
    params: dict
    doc: str  # the signal's docstring


def _dates(index: pd.DatetimeIndex) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in index]


def _runs(labels: pd.Series) -> list[tuple[str, str, str]]:
    """(label, first session, session after the run or the last one) for each run of equal labels,
    dates as YYYY-MM-DD."""
    values = labels.astype(object).to_numpy()
    if len(values) == 0:
        return []
    change = np.r_[True, values[1:] != values[:-1]]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], len(values) - 1]
    days = pd.DatetimeIndex(labels.index).strftime("%Y-%m-%d")
    return list(zip(values[starts].astype(str), days[starts], days[ends]))


def regime_shading_traces(regime: pd.Series) -> list[dict]:
    """One filled trace per regime on a hidden 0..1 axis: a rectangle per run of that regime,
    separated by gaps (`fill: toself` fills each; `tozeroy` would bridge the gaps and shade the
    whole chart)."""
    traces = []
    runs = _runs(regime)
    for label, colour in REGIME_COLOURS.items():
        xs: list = []
        ys: list = []
        for run_label, a, b in runs:
            if run_label == label:
                xs += [a, a, b, b, a, None]
                ys += [0, 1, 1, 0, 0, None]
        if xs:
            traces.append({"type": "scatter", "x": xs, "y": ys, "yaxis": "y2", "mode": "lines",
                           "fill": "toself", "fillcolor": rgba(colour, 0.13), "line": {"width": 0},
                           "name": f"regime: {label}", "legendgroup": "regime",
                           "hoverinfo": "skip", "connectgaps": False})
    return traces


def rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def event_traces(events: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Dotted vertical lines (shapes) and hoverable markers for policy announcements.

    `events` has columns `usable` (session the announcement was first usable), `event`, `kind`,
    `pace_usd_bn_per_month`.
    """
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": d, "x1": d, "y0": 0, "y1": 1,
               "line": {"color": "rgba(60,60,140,0.45)", "width": 1, "dash": "dot"}}
              for d in _dates(pd.DatetimeIndex(events["usable"]))]
    hover = [f"{row.event} ({row.kind}" + ("" if pd.isna(row.pace_usd_bn_per_month)
                                           else f", {pace(row.pace_usd_bn_per_month)}") + ")"
             for row in events.itertuples()]
    marker = {"type": "scatter", "x": _dates(pd.DatetimeIndex(events["usable"])),
              "y": [0.97] * len(events), "yaxis": "y2", "mode": "markers",
              "marker": {"symbol": "triangle-down", "size": 8, "color": "rgb(60,60,140)"},
              "name": "Fed announcement", "text": hover, "hoverinfo": "text+x"}
    return shapes, [marker] if len(events) else []


def _value_trace(series: pd.Series, name: str, unit: SignalUnit = UNITS["ratio"]
                 ) -> tuple[dict, dict]:
    """The signal's own trace and its y-axis settings (labels become an ordered categorical axis;
    numbers read in the signal's unit, reports/formats.py)."""
    index = _dates(pd.DatetimeIndex(series.index))
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        labels = [v for v in LABEL_ORDER if v in set(series.dropna())]
        labels += sorted(set(series.dropna()) - set(labels))
        codes = {label: i for i, label in enumerate(labels)}
        y = [codes.get(v) if isinstance(v, str) else None for v in series]
        axis = {"tickmode": "array", "tickvals": list(codes.values()), "ticktext": labels,
                "range": [-0.5, len(labels) - 0.5]}
        return ({"type": "scatter", "x": index, "y": y, "mode": "lines", "line": {"shape": "hv"},
                 "name": name, "text": list(series.astype(object)), "hoverinfo": "text+x"}, axis)
    values = [None if not np.isfinite(v) else float(v) for v in series.to_numpy(dtype=float)]
    return ({"type": "scatter", "x": index, "y": values, "mode": "lines", "name": name,
             "line": {"shape": "hv", "width": 1.4, "color": "#1f3b73"},
             "hovertemplate": f"%{{x|%Y-%m-%d}}: %{{y:{unit.d3}}}{unit.suffix}<extra></extra>"},
            {"ticksuffix": unit.suffix, "hoverformat": unit.d3})


def chart_html(series: pd.Series, name: str, regime: pd.Series | None,
               events: pd.DataFrame, unit: SignalUnit = UNITS["ratio"]) -> str:
    """One plotly chart (a div plus its newPlot call; plotly.js must already be on the page)."""
    trace, y_axis = _value_trace(series, name, unit)
    shading = regime_shading_traces(regime) if regime is not None else []
    shapes, markers = event_traces(events)
    layout = {
        "height": CHART_HEIGHT, "margin": {"l": 60, "r": 20, "t": 10, "b": 30},
        "hovermode": "x", "showlegend": True, "legend": {"orientation": "h", "y": -0.15},
        "yaxis": {**y_axis, "zeroline": True, "gridcolor": "#eee"},
        "yaxis2": {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        "xaxis": {"type": "date", "gridcolor": "#eee", "range": _dates(series.index[[0, -1]])},
        "shapes": shapes}
    return plotly_div(f"chart-{name}", [*shading, trace, *markers], layout,
                      {"displaylogo": False, "responsive": True}, CHART_HEIGHT)


def _signal_section(info: SignalInfo, chart: str, series: pd.Series) -> str:
    params = ", ".join(f"{k}={v!r}" for k, v in info.params.items()) or "default parameters"
    summary, _, rest = info.doc.partition("\n")
    known = series.dropna()
    span = (f"{known.index[0].date()} .. {known.index[-1].date()}" if len(known)
            else "no values in this window")
    return (f'<section class="signal" data-signal="{html.escape(info.name)}">'
            f"<h2>{html.escape(info.name)}</h2>"
            f"<p class='meta'><code>{html.escape(info.fn)}</code> ({html.escape(params)}); "
            f"values {span}</p><p>{html.escape(summary)}</p>"
            + (f"<details><summary>definition and timing</summary><pre>{html.escape(rest.strip())}"
               "</pre></details>" if rest.strip() else "")
            + f'<div class="chart">{chart}</div></section>')


def _events_table(events: pd.DataFrame) -> str:
    rows = "".join(
        f"<tr><td>{row.date.date()}</td><td>{html.escape(row.release_time)}</td>"
        f"<td>{row.usable.date()}</td><td>{html.escape(row.event)}</td><td>{row.kind}</td>"
        f"<td>{'' if pd.isna(row.pace_usd_bn_per_month) else pace(row.pace_usd_bn_per_month)}</td>"
        f"<td>{row.confidence}</td></tr>" for row in events.itertuples())
    return ('<table id="policy-events"><thead>'
            "<tr><th>announced</th><th>time ET</th>"
            "<th>first usable close</th><th>event</th><th>kind</th><th>pace (USD)</th>"
            f"<th>confidence</th></tr></thead><tbody>{rows}</tbody></table>")


def render_signals_page(frame: pd.DataFrame, infos: list[SignalInfo], regime: pd.Series | None,
                        regime_source: str, events: pd.DataFrame, title: str, manifest: dict,
                        plotly_tag: str) -> str:
    """The whole page. `frame`: sessions x config names; `regime`: labels for the shading;
    `events`: policy announcements inside the window (see `event_traces`); `plotly_tag`: the
    <script> element that loads plotly.js (`reports.plotly_assets.plotly_script_tag`)."""
    sections = "\n".join(
        _signal_section(info, chart_html(frame[info.name], info.name, regime, events,
                                         signal_unit(info.fn)), frame[info.name])
        for info in infos)
    first, last = frame.index[0].date(), frame.index[-1].date()
    legend = " ".join(f'<span style="background:{rgba(c, 0.25)};padding:0 6px">{label}</span>'
                      for label, c in REGIME_COLOURS.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} — liqbt signals</title>
{plotly_tag}
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}}
section.signal{{margin:2em 0;border-top:1px solid #ddd}} p.meta{{color:#555;font-size:90%}}
table{{border-collapse:collapse;font-size:90%}}td,th{{padding:2px 8px;border-bottom:1px solid #eee;
text-align:left}} pre{{white-space:pre-wrap;font-size:85%}}</style></head>
<body><h1>{html.escape(title)}: signals</h1>
<p>{len(infos)} signals, sessions {first} .. {last}. Every value is as known at that session's
close (release rules in <code>feeds/catalog.py</code>). Shading: liquidity regime
({html.escape(regime_source)}) {legend}. Dotted lines: Fed balance-sheet announcements on the first
close at which they were public. Data: <a href="signals.csv">signals.csv</a>.</p>
{sections}
<h2>Fed balance-sheet calendar</h2>
{_events_table(events)}
{manifest_block(manifest)}
</body></html>
"""
