"""The index's overview chart: every line ends at its total return, the drawdown panel keeps the
deepest point even when sessions are thinned, the rolling Sharpe is in excess of whatever
`RunResult.risk_free_returns()` says, and the dates are written once."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from reports.overview import (
    MAX_POINTS, drawn_positions, log_ticks, overview_chart, overview_data,
)
from tests.reports.synthetic_run import N_SESSIONS, SESSIONS, synthetic_result


def test_thinned_sessions_keep_the_first_the_last_and_every_step():
    assert drawn_positions(10)[0].tolist() == list(range(10))
    positions, step = drawn_positions(N_SESSIONS)
    assert N_SESSIONS > MAX_POINTS and step == 2
    assert positions[0] == 0 and positions[-1] == N_SESSIONS - 1
    assert set(np.diff(positions)) <= {1, 2}


def test_lines_end_at_total_return_and_reach_the_max_drawdown():
    result = synthetic_result()
    data = overview_data(result)
    assert list(data.growth.columns) == ["rule_a", "hold", "buy_and_hold_gold"]
    assert data.sessions[-1] == SESSIONS[-1] and data.sessions[0] == SESSIONS[0]
    summaries = {**result.summary, **result.benchmark_summary}
    for name, metrics in summaries.items():
        assert data.growth[name].iloc[-1] - 1 == pytest.approx(metrics["total_return"], rel=1e-12)
        assert data.drawdown[name].min() == pytest.approx(metrics["max_drawdown"], rel=1e-12)
    assert data.benchmarks == {"hold", "buy_and_hold_gold"}


def test_rolling_sharpe_is_in_excess_of_the_runs_risk_free(monkeypatch):
    result = synthetic_result()
    returns = result.strategies["rule_a"].returns.iloc[-252:]

    def sharpe_with(daily_rf: float) -> float:
        excess = returns - daily_rf
        return excess.mean() / excess.std() * math.sqrt(252)

    assert overview_data(result).sharpe["rule_a"].iloc[-1] == pytest.approx(
        sharpe_with((1.02) ** (1 / 252) - 1), rel=1e-9)
    # another risk-free (issue 11: e.g. the T-bill sleeve) is followed, not recomputed here
    monkeypatch.setattr(type(result), "risk_free_returns",
                        lambda self: pd.Series(2e-4, index=SESSIONS))
    assert overview_data(result).sharpe["rule_a"].iloc[-1] == pytest.approx(sharpe_with(2e-4),
                                                                           rel=1e-9)


def test_log_ticks_read_as_cumulative_returns():
    assert log_ticks(0.6, 3.2) == ([0.7, 1, 1.5, 2, 3], ["-30%", "0%", "+50%", "+100%", "+200%"])


def test_chart_writes_the_dates_once_for_every_line():
    chart = overview_chart(synthetic_result())
    payload = re.search(r"\}\)\((.*)\);</script>", chart).group(1)
    assert "Drawn at one session in 2 (and the last)" in chart  # thinned: said under the chart
    dates, traces, layout, _ = json.loads(f"[{payload}]")
    lines = [t for t in traces if "x" not in t]
    assert len(lines) == 9 and all(len(t["y"]) == len(dates) for t in lines)
    assert dates[0] == "2015-01-02" and dates[-1] == str(SESSIONS[-1].date())
    assert layout["xaxis"]["range"] == [dates[0], dates[-1]]
    assert {t["yaxis"] for t in lines} == {"y", "y2", "y3"}
    assert sum(t.get("showlegend", True) for t in lines) == 3  # one legend entry per line
