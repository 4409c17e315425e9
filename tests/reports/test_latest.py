"""Where the run stands now: each signal's last value and the session it was first known, the
latest decision of every strategy and when it trades, in HTML and Markdown alike."""

from __future__ import annotations

from dataclasses import replace

from reports.latest import latest_html, latest_markdown, latest_state
from reports.overview import overview_chart
from tests.reports.synthetic_run import (
    N_SESSIONS, REGIME_SINCE, SESSIONS, SPREAD_LAST, synthetic_result,
)


def day(position: int) -> str:
    return str(SESSIONS[position].date())


def test_signals_say_their_last_value_and_since_when():
    state = latest_state(synthetic_result())
    signals = {s.name: s for s in state.signals}
    assert list(signals) == ["regime", "stance", "pace", "spread"]
    regime = signals["regime"]
    # the last run of "expanding" started at REGIME_SINCE (an earlier run does not count)
    assert (regime.value, regime.since, regime.as_of) == ("expanding", day(REGIME_SINCE),
                                                           day(N_SESSIONS - 1))
    assert (signals["pace"].text, signals["pace"].since) == ("+40 bn/month", day(N_SESSIONS - 200))
    spread = signals["spread"]  # no value on the last sessions: as of its last value
    assert spread.as_of == day(SPREAD_LAST) and spread.text == "+3.5 bp"
    assert state.regime == regime and state.stance.text == "RMP" and state.pace.value == 40.0
    assert state.last_session == day(N_SESSIONS - 1)


def test_strategies_show_their_latest_targets_and_when_they_trade():
    strategies = {s.name: s for s in latest_state(synthetic_result()).strategies}
    rule = strategies["rule_a"]
    # decided at the last close: it trades at a session after the data
    assert (rule.decided, rule.trades) == (day(N_SESSIONS - 1), None)
    assert rule.weights == {"equities": 0.6, "gold": 0.3}  # zero weights left out
    assert abs(rule.uninvested - 0.1) < 1e-12
    hold = strategies["hold"]
    assert (hold.decided, hold.trades, hold.weights) == (day(0), day(1), {"equities": 1.0})


def test_html_and_markdown_carry_the_same_numbers():
    state = latest_state(synthetic_result())
    markdown, page = latest_markdown(state), latest_html(state)
    assert markdown.startswith(f"## Where it stands now (close of {day(N_SESSIONS - 1)})")
    for text in ("equities 60.0%, gold 30.0%, uninvested 10.0%",
                 "the next session (after the data)",
                 f"Liquidity regime expanding since {day(REGIME_SINCE)}", "+3.5 bp",
                 f"| spread | +3.5 bp | {day(SPREAD_LAST)} | {day(SPREAD_LAST)} |"):
        assert text in markdown, text
    for text in ("equities 60.0%, gold 30.0%, uninvested 10.0%", 'id="latest-weights"',
                 f"<td>hold</td><td>equities 100.0%</td><td>{day(0)}</td><td>{day(1)}</td>"):
        assert text in page, text


def test_without_configured_signals_stance_and_pace_come_from_the_calendar_and_no_regime():
    """Stance and pace are read off the shipped policy calendar (no data file the manifest would
    miss); the regime needs data, so a run without a liquidity_regime signal shows none."""
    result = synthetic_result()
    result.spec = replace(result.spec, signals={})
    state = latest_state(result)
    assert state.signals == () and state.regime is None
    assert state.stance.source == "policy_stance, default parameters"
    assert state.stance.value in {"QE", "RMP", "QT", "neutral"} and state.pace is not None
    assert ("Liquidity regime: not in this run (configure a signal with fn liquidity_regime"
            in latest_markdown(state))
    chart = overview_chart(result)
    assert "regime: " not in chart and "Fed announcement" in chart
