"""A shortened backtest window is always said: on stderr and in the manifest."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.window import window_record
from tests.fakes import MemorySource, business_days

SESSIONS = business_days("2020-01-06", 60)


def _panel(start=None, end=None, short_last: int = 60) -> PointInTimePanel:
    source = MemorySource(prices={
        "LONG": pd.Series(np.linspace(10, 20, 60), index=SESSIONS),
        "SHORT": pd.Series(np.linspace(5, 6, short_last), index=SESSIONS[:short_last])})
    return PointInTimePanel(source, {"long": TickerInstrument(ticker="LONG"),
                                     "short": TickerInstrument(ticker="SHORT")},
                            None if start is None else pd.Timestamp(start),
                            None if end is None else pd.Timestamp(end))


def _said(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "liqbt.window"]


def test_a_window_as_asked_says_nothing(caplog):
    caplog.set_level(logging.WARNING, logger="liqbt.window")
    panel = _panel(start="2020-01-13", end="2020-02-14")
    assert panel.window_notes == [] and _said(caplog) == []
    assert window_record(panel) == {"requested": {"start": "2020-01-13", "end": "2020-02-14"},
                                    "first": "2020-01-13", "last": "2020-02-14", "notes": []}


def test_a_start_before_the_data_is_said(caplog):
    caplog.set_level(logging.WARNING, logger="liqbt.window")
    panel = _panel(start="2019-06-03")
    (note,) = panel.window_notes
    assert note == ("the backtest starts 2020-01-06, not at data.start 2019-06-03: no sleeve has "
                    "prices before it")
    assert _said(caplog) == [f"liqbt: warning: {note}"]


def test_an_end_after_the_data_is_said(caplog):
    caplog.set_level(logging.WARNING, logger="liqbt.window")
    panel = _panel(end="2030-01-01")
    assert panel.window_notes == [f"the backtest ends {SESSIONS[-1].date()}, not at data.end "
                                  f"2030-01-01: sleeve 'long' has no prices after "
                                  f"{SESSIONS[-1].date()}"]
    assert window_record(panel)["notes"] == panel.window_notes


def test_a_sleeve_ending_early_names_itself_even_without_an_end(caplog):
    caplog.set_level(logging.WARNING, logger="liqbt.window")
    panel = _panel(short_last=20)
    assert panel.sessions[-1] == SESSIONS[19]
    assert panel.window_notes == [
        f"the backtest ends {SESSIONS[19].date()}, not at {SESSIONS[-1].date()}, where the other "
        f"sleeves' data ends: sleeve 'short' has no prices after {SESSIONS[19].date()}"]
    assert len(_said(caplog)) == 1


def test_a_truncated_panel_does_not_repeat_the_notes(caplog):
    panel = _panel(short_last=20)
    caplog.clear()
    assert panel.truncated(SESSIONS[10]).window_notes == [] and _said(caplog) == []


def test_the_real_quickstart_window_is_as_asked(snapshot, caplog):
    from liqbt.config import load_config
    from liqbt.run import build_panel
    from tests.conftest import REPO

    caplog.set_level(logging.WARNING, logger="liqbt.window")
    panel = build_panel(load_config(REPO / "liqbt" / "configs" / "quickstart.yaml"), snapshot)
    assert panel.window_notes == [] and _said(caplog) == []


def test_a_sleeve_listed_after_the_start_is_said():
    source = MemorySource(prices={"OLD": pd.Series(np.linspace(10, 20, 60), index=SESSIONS),
                                  "NEW": pd.Series(5.0, index=SESSIONS[30:])})
    panel = PointInTimePanel(source, {"old": TickerInstrument(ticker="OLD"),
                                      "new": TickerInstrument(ticker="NEW")})
    assert panel.window_notes == [f"sleeve 'new' has no prices before {SESSIONS[30].date()}, 30 "
                                  "weekdays into the backtest: until then no strategy can hold it"]


def test_a_sleeve_listed_after_the_window_ends_is_said_as_such():
    """Not 'N weekdays into the backtest' for a date past its end."""
    source = MemorySource(prices={"OLD": pd.Series(np.linspace(10, 20, 60), index=SESSIONS),
                                  "NEW": pd.Series(5.0, index=SESSIONS[40:])})
    panel = PointInTimePanel(source, {"old": TickerInstrument(ticker="OLD"),
                                      "new": TickerInstrument(ticker="NEW")},
                             end=SESSIONS[20])
    assert panel.window_notes == [f"sleeve 'new' has no prices in the backtest window (its first "
                                  f"is {SESSIONS[40].date()}, after the window ends "
                                  f"{SESSIONS[20].date()}): no strategy can hold it"]

