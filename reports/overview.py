"""The overview chart of index.html: every strategy and benchmark of a run on one time axis.

Four panels sharing the x axis (a zoom applies to all): the growth of $1 on a log scale (ticks read
as cumulative return), the drawdown from the running peak, the rolling one-year Sharpe ratio in
excess of the run's risk-free (`RunResult.risk_free_returns()`, whatever the run configures), and
the liquidity regime as a shaded strip (the config's `liquidity_regime` signal; none without one)
with the Fed's balance-sheet announcements as markers on the first close they were public.
Clicking a legend entry hides or shows a strategy in every panel.

Size: a long run has ~5,000 sessions x a dozen lines x 3 panels; drawn daily that is ~1.2 MB of
JSON. Above `MAX_POINTS` sessions every panel is drawn at one point per `step` sessions (always
the first and the last session): growth and the rolling Sharpe at the step's last session (so the
last point is the run's final cumulative return exactly), the drawdown as the deepest value within
the step (so the chart's trough is the table's max drawdown). The dates are written once and
shared by every trace.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports import formats
from reports.latest import run_signal
from reports.signals_outputs import usable_events
from reports.signals_page import REGIME_COLOURS, event_traces, regime_shading_traces, rgba

ROLLING_SESSIONS = 252
MAX_POINTS = 1_500
TARGET_POINTS = 1_000
HEIGHT_PX = 900
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#843c39")
SHARPE_LIMITS = (-4.0, 6.0)
LOG_TICKS = (0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 70, 100)


@dataclass(frozen=True)
class OverviewData:
    """The panels' values on the sessions drawn (`sessions`: every `step`-th of the run)."""

    sessions: pd.DatetimeIndex
    growth: pd.DataFrame
    drawdown: pd.DataFrame
    sharpe: pd.DataFrame
    benchmarks: frozenset[str]
    step: int
    first: pd.Timestamp
    last: pd.Timestamp


def run_returns(result) -> pd.DataFrame:
    """Daily returns of every strategy, then each sleeve held as a benchmark (as returns.csv)."""
    columns = {name: r.returns for name, r in result.strategies.items()}
    columns.update({f"buy_and_hold_{sleeve}": s for sleeve, s in result.benchmarks.items()})
    return pd.DataFrame(columns).fillna(0.0)


def drawn_positions(n: int) -> tuple[np.ndarray, int]:
    """Positions drawn out of `n` sessions and the step (1 = every session)."""
    step = 1 if n <= MAX_POINTS else math.ceil(n / TARGET_POINTS)
    positions = np.unique(np.r_[0, np.arange(step - 1, n, step), n - 1]) if n else np.array([], int)
    return positions.astype(np.int64), step


def overview_data(result) -> OverviewData:
    returns = run_returns(result)
    growth = (1.0 + returns).cumprod()
    drawdown = growth / np.maximum(growth.cummax(), 1.0) - 1.0
    risk_free = result.risk_free_returns().reindex(returns.index).ffill().fillna(0.0)
    excess = returns.sub(risk_free, axis=0).rolling(ROLLING_SESSIONS)
    sharpe = excess.mean() / excess.std() * math.sqrt(252)
    positions, step = drawn_positions(len(returns))
    starts = np.r_[0, positions[:-1] + 1]
    deepest = np.minimum.reduceat(drawdown.to_numpy(), starts, axis=0) if len(starts) else None
    sessions = returns.index[positions]
    spec = result.spec
    named = {spec.benchmark_of(s) for s in spec.strategies} | {spec.benchmark}
    benchmarks = frozenset(n for n in named if n in result.strategies) | frozenset(
        f"buy_and_hold_{sleeve}" for sleeve in result.benchmarks)
    return OverviewData(sessions, growth.iloc[positions],
                        pd.DataFrame(deepest, index=sessions, columns=returns.columns),
                        sharpe.iloc[positions], benchmarks, step, returns.index[0],
                        returns.index[-1])


def _values(series: pd.Series, decimals: int) -> list:
    """Rounded numbers for JSON, None (a gap) where not finite."""
    values = np.round(series.to_numpy(float), decimals)
    out = values.astype(object)
    out[~np.isfinite(values)] = None
    return out.tolist()


def log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Round growth multiples inside [low, high], labelled as cumulative returns (2 -> +100%)."""
    values = [v for v in LOG_TICKS if low * 0.97 <= v <= high * 1.03] or [1.0]
    return values, [("0%" if v == 1 else f"{v - 1:+.0%}") for v in values]


def line_traces(data: OverviewData) -> list[dict]:
    """Per line: growth (with its legend entry), drawdown, rolling Sharpe in one legend group."""
    traces = []
    for i, name in enumerate(data.growth.columns):
        colour = PALETTE[i % len(PALETTE)]
        benchmark = name in data.benchmarks
        line = {"color": colour, "width": 1.2 if benchmark else 1.7,
                "dash": "dot" if name.startswith("buy_and_hold_") else
                ("dash" if benchmark else "solid")}
        common = {"type": "scatter", "mode": "lines", "name": name, "legendgroup": name,
                  "line": line}
        traces += [
            {**common, "y": _values(data.growth[name], 6), "yaxis": "y",
             "hovertemplate": f"{html.escape(name)}<br>%{{x|%Y-%m-%d}}: $1 → $%{{y:.3f}}"
                              "<extra></extra>"},
            {**common, "y": _values(data.drawdown[name], 5), "yaxis": "y2", "showlegend": False,
             "hovertemplate": f"{html.escape(name)}<br>%{{x|%Y-%m-%d}}: drawdown "
                              f"%{{y:{formats.PERCENT_HOVER}}}<extra></extra>"},
            {**common, "y": _values(data.sharpe[name], 3), "yaxis": "y3", "showlegend": False,
             "hovertemplate": f"{html.escape(name)}<br>%{{x|%Y-%m-%d}}: 1-year Sharpe "
                              "%{y:.2f}<extra></extra>"},
        ]
    return traces


def strip_traces(result, data: OverviewData) -> tuple[list[dict], list[dict]]:
    """Regime shading and announcement markers on the strip axis, and the announcement lines."""
    regime = run_signal(result, "liquidity_regime")[0]
    shading = [] if regime is None else regime_shading_traces(regime.loc[data.first:data.last])
    window = result.panel.sessions[result.panel.start_position:]
    shapes, markers = event_traces(usable_events(result.panel, window))
    for trace in shading + markers:
        trace["yaxis"] = "y4"
    for trace in shading:  # a thin strip needs stronger colours than a chart's background
        trace["fillcolor"] = rgba(REGIME_COLOURS[trace["name"].removeprefix("regime: ")], 0.45)
    for marker in markers:
        marker["y"] = [0.5] * len(marker["x"])
    for shape in shapes:
        shape["line"]["color"] = "rgba(60,60,140,0.16)"
    return shading + markers, shapes


def sharpe_range(sharpe: pd.DataFrame) -> list[float]:
    """The Sharpe panel's y range: the data's, cut to `SHARPE_LIMITS` (a near-riskless line, e.g.
    bills against a zero risk-free, reaches 20+ and would flatten every other line)."""
    values = sharpe.to_numpy(float)
    values = values[np.isfinite(values)]
    low, high = (float(values.min()), float(values.max())) if len(values) else (-1.0, 1.0)
    low, high = max(low, SHARPE_LIMITS[0]), min(high, SHARPE_LIMITS[1])
    pad = 0.05 * (high - low or 1.0)
    return [low - pad, high + pad]


def overview_layout(data: OverviewData, shapes: list[dict]) -> dict:
    tickvals, ticktext = log_ticks(float(np.nanmin(data.growth.to_numpy())),
                                   float(np.nanmax(data.growth.to_numpy())))
    grid = "#eee"
    return {
        "height": HEIGHT_PX, "margin": {"l": 70, "r": 10, "t": 30, "b": 40},
        "hovermode": "closest", "showlegend": True, "plot_bgcolor": "white",
        "legend": {"x": 1.01, "y": 1, "font": {"size": 11}, "groupclick": "togglegroup"},
        "xaxis": {"type": "date", "anchor": "y4", "gridcolor": grid,
                  "range": [str(data.first.date()), str(data.last.date())]},
        "yaxis": {"type": "log", "domain": [0.52, 1], "gridcolor": grid, "tickvals": tickvals,
                  "ticktext": ticktext, "title": {"text": "cumulative return (log)"}},
        "yaxis2": {"domain": [0.31, 0.49], "gridcolor": grid,
                   "tickformat": formats.PERCENT_AXIS_WIDE, "title": {"text": "drawdown"}},
        "yaxis3": {"domain": [0.09, 0.28], "gridcolor": grid, "zerolinecolor": "#999",
                   "range": sharpe_range(data.sharpe), "title": {"text": "1-year Sharpe"}},
        "yaxis4": {"domain": [0, 0.055], "range": [0, 1], "visible": False, "fixedrange": True},
        "shapes": shapes,
        "annotations": [{"text": "regime,<br>Fed ▼", "xref": "paper", "yref": "paper",
                         "x": 0, "xanchor": "right", "xshift": -6, "y": 0.0275,
                         "yanchor": "middle", "showarrow": False, "font": {"size": 10}}],
    }


def overview_chart(result, div_id: str = "overview") -> str:
    """The chart as a div and its script (plotly.js must be on the page); the dates are one
    array shared by every line trace. A thinned chart says so below it."""
    data = overview_data(result)
    strip, shapes = strip_traces(result, data)
    dates = [d.strftime("%Y-%m-%d") for d in data.sessions]
    payload = ",".join(json.dumps(part, separators=(",", ":")).replace("</", "<\\/") for part in (
        dates, line_traces(data) + strip, overview_layout(data, shapes),
        {"displaylogo": False, "responsive": True}))
    thinned = (f'<p class="note">Drawn at one session in {data.step} (and the last); each '
               "drawdown point is the deepest of its step.</p>" if data.step > 1 else "")
    return (f'<div id="{div_id}" class="plotly-graph-div" style="height:{HEIGHT_PX}px;'
            'width:100%"></div><script>(function(x,data,layout,config){data.forEach('
            "function(t){if(t.x===undefined){t.x=x;}});"
            f"Plotly.newPlot({json.dumps(div_id)},data,layout,config);}})({payload});</script>"
            f"{thinned}")
