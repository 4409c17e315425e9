"""Make `quantstats.reports.html` about twice as fast without changing what it shows (and fix one
chart that pandas 3 broke).

Measured on the article run (4,660 daily returns, quantstats 0.0.86, matplotlib 3.11): a tearsheet
took ~3.9 s of CPU; most of it was work thrown away or repeated in Python loops:

- `pyplot.savefig` calls `canvas.draw_idle()` after saving, which on the Agg backend renders every
  figure a second time to a raster nobody reads (~0.5 s for the 14 charts);
- `stats.drawdown_details` loops over every drawdown period with a pandas `quantile` each (~350
  periods, called 4 times per page: ~0.6 s); here the same numbers come from numpy on positions;
- `utils.group_returns(..., compounded=True)` runs `groupby(...).apply(comp)`, a Python call per
  month or year (13 calls, ~0.4 s); `groupby(...).prod()` of the growth factors is the same product;
  `_compat.safe_resample(data, freq, comp)` likewise becomes `resample(freq).prod()` (17 calls);
- `utils._prepare_benchmark` compares the benchmark's dates with the strategy's as two Python sets
  of Timestamps (15 calls, ~0.2 s) even when the indexes are identical;
- SVG text drawn as glyph outlines (`svg.fonttype='path'`): text elements are smaller and faster,
  and the page still needs no font download (the browser uses a local sans-serif);
- matplotlib caches text extents per figure; here they are shared across figures and pages;
- the rolling-beta chart asks for one y tick every 0.5 beta from its minimum to its maximum: against
  a near-riskless benchmark (T-bills) beta spans about -700..+960 and the chart got ~3,300
  overlapping tick labels (9 s of a 14 s page, unreadable). More than `MAX_TICKS` requested ticks
  are replaced by at most ~10 round ones over the same range, in that chart only (seaborn's
  monthly heatmap sets one labelled tick per year and must keep all of them).

One fix, not a speed-up: pandas 3 draws a bar chart of a regular time series at period ordinals
(2008 -> 38), while quantstats' "EOY Returns vs Benchmark" labels positions 0..n-1, so the bars sat
off to the right of their year labels. `plot_params["x_compat"]` restores positional bars.

`quantstats_speedups()` applies all of this inside a `with` block and restores everything after,
so nothing leaks into other code in the process. Patches are applied only to the quantstats version
they were checked against (`CHECKED_VERSION`); any other version runs unpatched (slower).
tests/reports/test_quantstats_speedups.py renders pages with and without them and compares them.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import matplotlib
import numpy as np
import pandas as pd

CHECKED_VERSION = "0.0.86"
SVG_RC = {"svg.fonttype": "none"}
MAX_TICKS = 25
_DD_COLUMNS = ("start", "valley", "end", "days", "max drawdown", "99% max drawdown")


def _drawdown_details_series(drawdown: pd.Series, original) -> pd.DataFrame:
    """quantstats' per-period drawdown table from numpy slices (same periods, same numbers)."""
    index = drawdown.index
    if (drawdown.isna().any() or not isinstance(index, pd.DatetimeIndex)
            or not index.is_unique or not index.is_monotonic_increasing):
        return original(drawdown)
    no_dd = drawdown == 0
    starts = ~no_dd & no_dd.shift(1)
    starts = list(starts[starts.values].index)
    ends = no_dd & (~no_dd).shift(1)
    ends = ends.shift(-1, fill_value=False)
    ends = list(ends[ends.values].index)
    if not starts:
        return original(drawdown)
    if ends and starts[0] > ends[0]:
        starts.insert(0, index[0])
    if not ends or starts[-1] > ends[-1]:
        ends.append(index[-1])
    values = drawdown.to_numpy(dtype=float)
    first = index.get_indexer(pd.DatetimeIndex(starts))
    last = index.get_indexer(pd.DatetimeIndex(ends))
    rows = []
    for start, end, a, b in zip(starts, ends, first, last):
        period = values[a:b + 1]  # label slicing in quantstats includes both ends
        if len(period) == 0:
            return original(drawdown)
        # remove_outliers(-dd, 0.99): keep -dd strictly below its 0.99 quantile (pandas' linear
        # interpolation is numpy's percentile with method="linear").
        kept = period[-period < np.percentile(-period, 99.0)]
        rows.append((start, index[a + int(np.argmin(period))], end, (end - start).days + 1,
                     period.min() * 100, (kept.min() if len(kept) else np.nan) * 100))
    df = pd.DataFrame(data=rows, columns=_DD_COLUMNS)
    df["days"] = df["days"].astype(int)
    df["max drawdown"] = df["max drawdown"].astype(float)
    df["99% max drawdown"] = df["99% max drawdown"].astype(float)
    for column in ("start", "end", "valley"):
        df[column] = df[column].dt.strftime("%Y-%m-%d")
    return df


def _fast_drawdown_details(original):
    def drawdown_details(drawdown):
        if isinstance(drawdown, pd.DataFrame):
            from quantstats._compat import safe_concat

            return safe_concat({column: _drawdown_details_series(drawdown[column], original)
                                for column in drawdown.columns}, axis=1)
        return _drawdown_details_series(drawdown, original)

    return drawdown_details


def _fast_group_returns(original):
    def group_returns(returns, groupby, compounded: bool = False):
        if compounded:
            return returns.add(1).groupby(groupby).prod() - 1
        return original(returns, groupby, compounded)

    return group_returns


def _fast_safe_resample(original, comp):
    def safe_resample(data, freq, func_name=None, **kwargs):
        if func_name is comp and not kwargs:
            from quantstats._compat import get_frequency_alias, normalize_timezone

            return normalize_timezone(data.add(1).resample(get_frequency_alias(freq)).prod() - 1)
        return original(data, freq, func_name, **kwargs)

    return safe_resample


def _fast_prepare_benchmark(original):
    def prepare_benchmark(benchmark=None, period="max", rf=0.0, prepare_returns=True):
        if (isinstance(period, pd.DatetimeIndex) and isinstance(benchmark, pd.Series)
                and benchmark.index.equals(period)):
            period = "max"  # same dates: quantstats' realignment branch would be skipped anyway
        return original(benchmark, period, rf, prepare_returns)

    return prepare_benchmark


_TEXT_METRICS: dict = {}
_TEXT_METRICS_MAX = 50_000


def _shared_text_metrics(original):
    """matplotlib caches text extents per renderer instance, i.e. per figure, so the same tick
    labels ("2010", "5%") are laid out by FreeType again in every chart. The extents depend only on
    the renderer's class, its dpi, the text, font and math flag (and the text.hinting rcParams,
    fixed here): share them across figures and pages (~0.2 s a page)."""
    def get_text_metrics(renderer, text, fontprop, ismath, dpi):
        key = (type(renderer), text, fontprop.copy(), ismath, dpi,
               matplotlib.rcParams["text.hinting"], matplotlib.rcParams["text.hinting_factor"])
        if key not in _TEXT_METRICS:
            if len(_TEXT_METRICS) >= _TEXT_METRICS_MAX:
                _TEXT_METRICS.clear()
            _TEXT_METRICS[key] = original(renderer, text, fontprop, ismath, dpi)
        return _TEXT_METRICS[key]

    return get_text_metrics


def _rolling_beta_with_bounded_ticks(original):
    """Only the rolling-beta chart gets bounded y ticks: other charts set exactly as many tick
    labels as ticks (seaborn's heatmap: one per year, 34 for a 1993-2026 run) and must keep them."""
    def plot_rolling_beta(*args, **kwargs):
        from matplotlib.axes import Axes

        with _patched(Axes, "set_yticks", _bounded_set_yticks):
            return original(*args, **kwargs)

    return plot_rolling_beta


def _bounded_set_yticks(original):
    def set_yticks(self, ticks, labels=None, *, minor=False, **kwargs):
        if labels is None and not minor and len(ticks) > MAX_TICKS:
            from matplotlib.ticker import MaxNLocator

            ticks = MaxNLocator(nbins=10).tick_values(min(ticks), max(ticks))
        return original(self, ticks, labels, minor=minor, **kwargs)

    return set_yticks


@contextlib.contextmanager
def _patched(owner, name: str, replacement) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, replacement(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextlib.contextmanager
def quantstats_speedups(enabled: bool = True) -> Iterator[None]:
    """Within the block, quantstats tearsheets render faster with the same content."""
    import matplotlib.text as mtext
    import quantstats
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from quantstats import _compat, stats, utils
    from quantstats._plotting import core, wrappers

    if not enabled or quantstats.__version__ != CHECKED_VERSION:
        yield
        return
    with contextlib.ExitStack() as stack:
        stack.enter_context(matplotlib.rc_context(SVG_RC))
        stack.enter_context(pd.plotting.plot_params.use("x_compat", True))
        stack.enter_context(_patched(FigureCanvasAgg, "draw_idle",
                                     lambda original: lambda self, *args, **kwargs: None))
        stack.enter_context(_patched(core, "plot_rolling_beta", _rolling_beta_with_bounded_ticks))
        stack.enter_context(_patched(mtext, "_get_text_metrics_with_cache", _shared_text_metrics))
        stack.enter_context(_patched(stats, "drawdown_details", _fast_drawdown_details))
        stack.enter_context(_patched(utils, "group_returns", _fast_group_returns))
        stack.enter_context(_patched(utils, "_prepare_benchmark", _fast_prepare_benchmark))
        for module in (_compat, stats, core, wrappers):  # each imported the function by name
            stack.enter_context(_patched(module, "safe_resample",
                                         lambda original: _fast_safe_resample(original, stats.comp)))
        yield
