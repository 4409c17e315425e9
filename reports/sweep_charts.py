"""Two charts of sweep.html that look at the whole sweep rather than a slice of it.

- `grid_chart`: with more than two grid axes a heatmap can only show a slice; parallel coordinates
  show every combination as one line across its parameters to the selection metric (and the
  max drawdown), coloured by the metric. Drag along an axis to keep only the lines in a range
  (e.g. the top of the metric axis: which parameters got there?). Above `MAX_LINES` combinations a
  seeded sample is drawn, the winner always in it.
- `equity_chart`: the growth of $1 of the winner, the median combination (by the selection
  metric, among eligible ones) and the walk-forward's stitched out-of-sample path, on one log
  axis: how far the chosen number sits above a typical choice and above what choosing on past data
  alone would have earned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports import formats
from reports.overview import drawn_positions
from reports.plotly_assets import plotly_div

MAX_LINES = 5_000
CONFIG = {"displaylogo": False, "responsive": True}
EQUITY_COLOURS = {"winner": "#d62728", "median": "#1f77b4", "walk-forward OOS": "#2ca02c"}


def _shown_rows(table: pd.DataFrame, best: int, seed: int) -> pd.DataFrame:
    if len(table) <= MAX_LINES:
        return table
    rng = np.random.default_rng(seed)
    others = np.flatnonzero(table["combo"].to_numpy() != best)
    keep = np.sort(np.r_[best, rng.choice(others, MAX_LINES - 1, replace=False)])
    return table.iloc[keep]


def grid_chart(table: pd.DataFrame, params: list[str], metric: str, best: int,
               seed: int = 0, div_id: str = "sweep-grid") -> str:
    """Parallel coordinates over `params`, `metric` (and max_drawdown), one line per combination."""
    shown = _shown_rows(table, best, seed)
    dimensions = [{"label": name, "values": shown[name].to_numpy(float),
                   "tickvals": sorted(set(table[name].astype(float))),
                   "ticktext": [formats.grid_value(v) for v in sorted(set(table[name]))]}
                  for name in params]
    measures = [metric] + (["max_drawdown"] if metric != "max_drawdown" else [])
    for name in measures:
        dimension = {"label": name, "values": np.round(shown[name].to_numpy(float), 5)}
        if name in formats.PERCENT_METRICS:
            dimension["tickformat"] = formats.PERCENT_AXIS
        dimensions.append(dimension)
    if not table["eligible"].all():
        dimensions.append({"label": "meets constraints", "values": shown["eligible"].to_numpy(int),
                           "tickvals": [0, 1], "ticktext": ["no", "yes"]})
    scores = shown[metric].to_numpy(float)
    trace = {"type": "parcoords", "dimensions": dimensions,
             "line": {"color": np.where(np.isfinite(scores), scores, np.nanmin(scores)),
                      "colorscale": "Viridis", "showscale": True,
                      "colorbar": {"title": {"text": metric}}}}
    layout = {"height": 440, "margin": {"l": 60, "r": 130, "t": 50, "b": 30}}
    return plotly_div(div_id, [trace], layout, CONFIG, 440)


def _growth_points(returns: pd.Series, positions_of: pd.DatetimeIndex) -> list:
    growth = (1.0 + returns.fillna(0.0)).cumprod().reindex(positions_of)
    return [None if not np.isfinite(v) else v for v in np.round(growth.to_numpy(float), 6)]


def equity_chart(curves: pd.DataFrame, oos: pd.Series | None, labels: dict[str, str],
                 div_id: str = "sweep-equity") -> str:
    """Winner, median combination and walk-forward OOS (when there is one) as growth of $1.

    `curves`: daily returns with columns "winner" and "median"; `labels`: legend text per line."""
    lines = {"winner": curves["winner"], "median": curves["median"]}
    if oos is not None and len(oos):
        lines["walk-forward OOS"] = oos
    sessions = curves.index
    positions, _ = drawn_positions(len(sessions))
    drawn = sessions[positions]
    traces = []
    for key, returns in lines.items():
        # each line is drawn from its own first session (the OOS path starts after the first
        # train window) to the last, on the sessions drawn plus its own first one
        first = returns.index[0]
        x = drawn[drawn >= first].insert(0, first).unique()
        traces.append({"type": "scatter", "mode": "lines", "name": labels.get(key, key),
                       "x": [d.strftime("%Y-%m-%d") for d in x],
                       "y": _growth_points(returns, x),
                       "line": {"color": EQUITY_COLOURS[key], "width": 1.6},
                       "hovertemplate": f"{labels.get(key, key)}<br>%{{x|%Y-%m-%d}}: "
                                        "$1 → $%{y:.3f}<extra></extra>"})
    layout = {"height": 420, "margin": {"l": 70, "r": 20, "t": 10, "b": 40},
              "hovermode": "closest", "legend": {"orientation": "h", "y": -0.12},
              "xaxis": {"type": "date", "gridcolor": "#eee",
                        "range": [str(sessions[0].date()), str(sessions[-1].date())]},
              "yaxis": {"type": "log", "gridcolor": "#eee",
                        "title": {"text": "growth of $1 (log)"}}}
    return plotly_div(div_id, traces, layout, CONFIG, 420)
