"""The verdict page's charts (plotly.js dicts, drawn from the local plotly copy):

- `oos_figure`: a claim's out-of-sample cumulative return of rule over benchmark
  (prod(1 + r_rule) / prod(1 + r_benchmark) - 1), a dotted line where each walk-forward test
  window begins, and the months since the articles shaded;
- `specification_curve`: every specification's estimate with its interval, sorted, the primary
  marked (Simonsohn, Simmons & Nelson): a reader sees at once whether the result rests on one
  choice.
"""

from __future__ import annotations

import math

PRIMARY_COLOUR, OTHER_COLOUR, MUTED = "#c2410c", "#1f4e99", "#9aa4b2"

#: Per test: (the estimate's key, its axis title, scale for display, whether specs need data).
ESTIMATES = {
    "backtest": ("sharpe_difference", "Sharpe difference (rule - benchmark)", 1.0),
    "scenario_returns": ("ann_mean_gap", "B minus none, excess return (%/yr)", 100.0),
    "stress_then_purchases": ("difference", "hit rate minus base rate (%)", 100.0),
}


def _finite(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def _judged(spec: dict, test: str) -> bool:
    if test == "scenario_returns":
        return bool(spec.get("enough_data"))
    if test == "stress_then_purchases":
        return bool(spec.get("enough_episodes"))
    return True


def specification_curve(specifications: list[dict], test: str) -> tuple[list[dict], dict]:
    """(traces, layout): estimates sorted ascending with their intervals; the primary in orange,
    specifications without enough data hollow and grey."""
    key, title, scale = ESTIMATES[test]
    rows = sorted((s for s in specifications if _finite(s.get(key))), key=lambda s: s[key])
    traces = []
    for label, chosen, colour, symbol in (
            ("primary", lambda s: s["primary"], PRIMARY_COLOUR, "diamond"),
            ("specifications", lambda s: not s["primary"] and _judged(s, test), OTHER_COLOUR,
             "circle"),
            ("too little data", lambda s: not s["primary"] and not _judged(s, test), MUTED,
             "circle-open")):
        picked = [s for s in rows if chosen(s)]
        if not picked:
            continue
        values = [s[key] * scale for s in picked]
        highs = [(s["ci_high"] - s[key]) * scale if _finite(s.get("ci_high")) else 0.0
                 for s in picked]
        lows = [(s[key] - s["ci_low"]) * scale if _finite(s.get("ci_low")) else 0.0
                for s in picked]
        traces.append({
            "type": "scatter", "mode": "markers", "name": label,
            "x": [s["name"] for s in picked], "y": values,
            "error_y": {"type": "data", "symmetric": False, "array": highs, "arrayminus": lows,
                        "color": colour, "thickness": 1.2, "width": 3},
            "marker": {"color": colour, "size": 10 if label == "primary" else 7,
                       "symbol": symbol},
            "text": [s.get("about", "") for s in picked],
            "hovertemplate": "%{x}: %{y:.2f}<br>%{text}<extra></extra>"})
    layout = {"height": 340, "margin": {"l": 60, "r": 20, "t": 30, "b": 110},
              "xaxis": {"categoryorder": "array", "categoryarray": [s["name"] for s in rows],
                        "tickangle": -40, "automargin": True},
              "yaxis": {"title": {"text": title}, "zeroline": True, "zerolinewidth": 2,
                        "zerolinecolor": "#444"},
              "legend": {"orientation": "h", "y": 1.12}, "showlegend": True}
    return traces, layout


def oos_figure(chart: dict) -> tuple[list[dict], dict]:
    """(traces, layout) of the out-of-sample cumulative excess of rule over benchmark."""
    dates, values = chart["dates"], [v * 100.0 for v in chart["cumulative_excess"]]
    traces = [{"type": "scatter", "mode": "lines", "name": "rule over benchmark",
               "x": dates, "y": values, "line": {"color": OTHER_COLOUR, "width": 1.5},
               "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>"}]
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": start, "x1": start,
               "y0": 0, "y1": 1, "line": {"color": MUTED, "width": 1, "dash": "dot"}}
              for start in chart.get("window_starts", [])]
    annotations = []
    since = chart.get("since")
    if since and dates and since <= dates[-1]:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": since,
                       "x1": dates[-1], "y0": 0, "y1": 1, "fillcolor": "#f59e0b",
                       "opacity": 0.18, "line": {"width": 0}, "layer": "below"})
        annotations.append({"x": since, "xref": "x", "y": 1.0, "yref": "paper",
                            "text": "since the articles", "showarrow": False,
                            "xanchor": "right", "yanchor": "bottom", "font": {"size": 10}})
    layout = {"height": 300, "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
              "xaxis": {"type": "date"},
              "yaxis": {"title": {"text": "cumulative excess over benchmark (%)"},
                        "zeroline": True, "zerolinecolor": "#444"},
              "shapes": shapes, "annotations": annotations, "showlegend": False}
    return traces, layout
