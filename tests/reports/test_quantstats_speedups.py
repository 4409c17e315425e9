"""The quantstats speed-ups change how fast a tearsheet renders, not what it shows."""

from __future__ import annotations

import re
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from quantstats._plotting.core import plot_rolling_beta as _ORIGINAL_ROLLING_BETA

from reports.quantstats_speedups import (
    MAX_TICKS, SVG_RC, _drawdown_details_series, _rolling_beta_with_bounded_ticks,
    quantstats_speedups,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def real_returns(real_panel) -> tuple[pd.Series, pd.Series]:
    """A 60/40 SPY/IEF daily-rebalanced book against SPY, since 2008 (real data)."""
    prices = real_panel.sleeve_prices.iloc[real_panel.start_position:]
    daily = prices.pct_change().fillna(0.0)
    return (0.6 * daily["equities"] + 0.4 * daily["treasuries"]).rename("sixty_forty"), \
        daily["equities"].rename("spy")


def _render(returns: pd.Series, benchmark: pd.Series, path, fast: bool) -> str:
    import quantstats as qs

    # Same SVG text mode and a fixed hash salt on both sides, so only the speed-ups differ.
    with matplotlib.rc_context({**SVG_RC, "svg.hashsalt": "liqbt-test"}), \
            pd.plotting.plot_params.use("x_compat", True), quantstats_speedups(fast), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qs.reports.html(returns, benchmark=benchmark, output=str(path), periods_per_year=252,
                        title="t")
    return re.sub(r"<metadata>.*?</metadata>", "", path.read_text(encoding="utf-8"), flags=re.S)


def test_tearsheet_is_byte_identical_with_and_without_speedups(real_returns, tmp_path):
    returns, benchmark = real_returns
    plain = _render(returns, benchmark, tmp_path / "plain.html", fast=False)
    fast = _render(returns, benchmark, tmp_path / "fast.html", fast=True)
    assert len(plain) > 500_000 and plain.count("<svg") >= 14
    assert fast == plain


def _original_drawdown_details(drawdown):
    from quantstats import stats

    with quantstats_speedups(False):
        return stats.drawdown_details(drawdown)


@pytest.mark.parametrize("values", [
    [0, -0.01, -0.03, 0, 0, -0.02, -0.01, 0],           # two drawdowns, recovered
    [-0.01, -0.02, 0, -0.05, -0.04, -0.06],             # starts and ends in a drawdown
    [0, -0.1, -0.1, -0.05, 0, -0.02, -0.02, -0.02, -0.02, 0],  # ties: first valley wins
])
def test_drawdown_details_match_quantstats(values):
    index = pd.bdate_range("2020-01-01", periods=len(values))
    drawdown = pd.Series(values, index=index, dtype=float)
    expected = _original_drawdown_details(drawdown)
    got = _drawdown_details_series(drawdown, _original_drawdown_details)
    pd.testing.assert_frame_equal(got, expected)


def test_drawdown_details_match_on_a_long_random_path():
    rng = np.random.default_rng(7)
    prices = pd.Series(np.cumprod(1 + rng.normal(0.0003, 0.01, 3000)),
                       index=pd.bdate_range("2010-01-01", periods=3000))
    drawdown = prices / prices.cummax() - 1
    pd.testing.assert_frame_equal(_drawdown_details_series(drawdown, _original_drawdown_details),
                                  _original_drawdown_details(drawdown))


def test_thousands_of_requested_ticks_become_a_readable_few_in_the_rolling_beta_chart():
    import matplotlib.pyplot as plt
    from quantstats._plotting import core

    figure, axes = plt.subplots()

    def rolling_beta_chart(ticks):  # what quantstats' plot_rolling_beta asks for
        axes.set_yticks(ticks)
        return len(axes.get_yticks())

    try:
        with quantstats_speedups():
            assert core.plot_rolling_beta is not _ORIGINAL_ROLLING_BETA
            bounded = _rolling_beta_with_bounded_ticks(rolling_beta_chart)
            thinned = bounded([x / 100 for x in range(-70_000, 96_000, 50)])  # beta vs T-bills
            ordinary = bounded([0.0, 0.5, 1.0])
    finally:
        plt.close(figure)
    assert thinned <= 12 < MAX_TICKS
    assert ordinary == 3


def test_other_charts_keep_one_labelled_tick_per_year():
    """seaborn's monthly heatmap sets one y tick per year, then one label per tick: a 34-year run
    (1993-2026) must not lose ticks (it failed with 'FixedLocator locations (10) ... labels (34)')."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    years = [str(year) for year in range(1993, 2027)]
    try:
        with quantstats_speedups():
            axes.set(yticks=np.arange(len(years)) + 0.5)
            axes.set_yticklabels(years)
            labels = [label.get_text() for label in axes.get_yticklabels()]
    finally:
        plt.close(figure)
    assert labels == years


def test_everything_is_restored_after_the_block():
    import quantstats
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from quantstats import _compat, stats, utils

    import matplotlib.text as mtext

    def state():
        return (stats.drawdown_details, utils.group_returns, utils._prepare_benchmark,
                _compat.safe_resample, stats.safe_resample, FigureCanvasAgg.draw_idle,
                Axes.set_yticks, mtext._get_text_metrics_with_cache,
                matplotlib.rcParams["svg.fonttype"], pd.plotting.plot_params["x_compat"])

    before = state()
    with quantstats_speedups():
        assert stats.drawdown_details is not before[0]
        assert matplotlib.rcParams["svg.fonttype"] == "none"
    assert state() == before
    assert quantstats.__version__ == "0.0.86"  # the version the speed-ups were checked against


def test_other_quantstats_versions_run_unpatched(monkeypatch):
    import quantstats
    from quantstats import stats

    monkeypatch.setattr(quantstats, "__version__", "0.0.99")
    original = stats.drawdown_details
    with quantstats_speedups():
        assert stats.drawdown_details is original
