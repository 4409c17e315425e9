"""The shipped Fed policy calendar: faithful to the research file, and never known too early."""

from __future__ import annotations

from datetime import time

import numpy as np
import pandas as pd
import pytest

from feeds.errors import DataError
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal
from signals.policy_data import (
    _parse, filter_events, known_from_positions, pace_start_positions, policy_events,
)
from tests.fakes import MemorySource

RESEARCH_COLUMNS = ["date", "date_precision", "effective_date", "event", "kind",
                    "pace_usd_bn_per_month", "assets", "source", "confidence", "notes"]


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    from importlib import resources

    with resources.files("signals").joinpath("data/fed_policy_events.csv").open() as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_every_research_row_is_shipped_unchanged(shipped, shared_snapshot):
    research_file = shared_snapshot.parent / "research" / "fed_balance_sheet_events.csv"
    if not research_file.is_file():
        pytest.skip(f"research file not beside the snapshot ({research_file})")
    research = pd.read_csv(research_file, dtype=str, keep_default_na=False)
    ours = shipped.loc[shipped["origin"] == "research", RESEARCH_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, research[RESEARCH_COLUMNS])


def test_rows_not_from_the_research_say_where_they_come_from(shipped):
    extra = shipped.loc[shipped["origin"] != "research"]
    assert set(extra["origin"]) == {"derived", "added"}
    assert (extra["source"].str.len() > 20).all()
    assert {"QT1_step_Q1_2018", "QT1_step_Q2_2018", "QT1_step_Q3_2018"} <= set(extra["event"])


def test_markers_stay_in_the_calendar_but_do_not_set_the_pace():
    events = policy_events()
    markers = set(events.loc[events["marker"], "event"])
    assert {"no_taper_surprise", "RMP_directive_reaffirmed_Jan2026"} <= markers
    assert not events.loc[events["marker"], "sets_pace"].any()
    assert markers.isdisjoint(filter_events(events, include_markers=False)["event"])


def test_release_times_from_the_research_notes():
    times = policy_events().set_index("event")["release_time_et"]
    assert times["QE1_announce"] == time(8, 15)
    assert times["RMP2019_announce"] == time(11, 0)
    assert times["QE4_2020"] == time(17, 0)
    assert times["QE4_unlimited"] == time(8, 0)
    assert times["RMP2025_announce"] == time(14, 0)


def _events(rows: list[dict]) -> pd.DataFrame:
    base = {"date_precision": "day", "release_time_et": "", "effective_date": "", "kind": "QE",
            "pace_usd_bn_per_month": "", "sets_pace": "true", "marker": "false",
            "origin": "research", "assets": "", "source": "", "confidence": "high", "notes": "",
            "timing_note": ""}
    return _parse(pd.DataFrame([{**base, "event": f"e{i}", **row} for i, row in enumerate(rows)]))


def test_known_from_rule():
    sessions = pd.bdate_range("2020-03-02", "2020-05-29")
    events = _events([
        {"date": "2020-03-11", "release_time_et": "11:00"},  # before the close: same session
        {"date": "2020-03-11", "release_time_et": "16:30"},  # after the close: next session
        {"date": "2020-03-11"},  # unknown time: next session
        {"date": "2020-03-15", "release_time_et": "17:00"},  # Sunday: Monday
        {"date": "2020-04-01", "date_precision": "month", "release_time_et": "09:00"},  # May 1st
    ])
    known = sessions[known_from_positions(events, sessions)]
    assert list(known.strftime("%Y-%m-%d")) == ["2020-03-11", "2020-03-12", "2020-03-12",
                                                "2020-03-16", "2020-05-01"]


def test_a_step_counts_from_its_effective_date_never_before_it_is_known():
    sessions = pd.bdate_range("2022-04-01", "2022-10-31")
    events = _events([
        {"date": "2022-05-04", "release_time_et": "14:00", "effective_date": "2022-09-01"},
        {"date": "2022-05-04", "release_time_et": "14:00", "effective_date": "2022-04-01"},
        {"date": "2022-05-04", "release_time_et": "14:00", "effective_date": "2022-05-07"},
    ])
    start = sessions[pace_start_positions(events, sessions)]
    assert list(start.strftime("%Y-%m-%d")) == ["2022-09-01", "2022-05-04", "2022-05-09"]


def test_every_shipped_step_starts_at_or_after_its_announcement():
    sessions = pd.bdate_range("1990-01-01", "2040-12-31")
    events = policy_events()
    assert (pace_start_positions(events, sessions) >= known_from_positions(events, sessions)).all()


def test_malformed_rows_name_the_row_and_field():
    with pytest.raises(DataError, match=r"row 3, field 'kind'"):
        _events([{"date": "2020-01-02"}, {"date": "2020-01-03", "kind": "QQ"}])
    with pytest.raises(DataError, match="YYYY-MM-DD"):
        _events([{"date": "2020-13-02"}])


@pytest.fixture(scope="module")
def calendar_panel() -> PointInTimePanel:
    sessions = pd.bdate_range("2019-09-02", "2026-08-31", name="date")
    source = MemorySource(prices={"X": pd.Series(1.0, index=sessions)})
    return PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})


def test_days_since_announcement_skips_markers(calendar_panel):
    days = compute_signal(calendar_panel, "days_since_announcement", {"kind": "RMP"})
    assert days.loc["2019-10-11"] == 0  # 11:00 release: same-day close
    assert days.loc["2019-10-18"] == 5
    # The 2026-01-28 directive is a marker: the count still runs from 2025-12-10.
    assert days.loc["2026-01-29"] == days.loc["2025-12-10":"2026-01-29"].size - 1
    with_markers = compute_signal(calendar_panel, "days_since_announcement",
                                  {"kind": "RMP", "include_markers": True})
    assert with_markers.loc["2026-01-29"] == 1
    calendar_days = compute_signal(calendar_panel, "days_since_announcement",
                                   {"kind": "QE", "unit": "calendar_days"})
    assert calendar_days.loc["2020-03-16"] == 0 and calendar_days.loc["2020-03-20"] == 4


def test_event_window_starts_at_the_first_usable_close(calendar_panel):
    window = compute_signal(calendar_panel, "policy_event_window", {"kind": "QE", "sessions": 3})
    assert window.loc["2020-03-13"] == 0.0  # Sunday 2020-03-15 release not known on Friday
    assert list(window.loc["2020-03-16":"2020-03-19"]) == [1.0, 1.0, 1.0, 0.0]


def test_min_confidence_drops_low_confidence_steps(calendar_panel):
    every = compute_signal(calendar_panel, "pace_in_effect")
    medium = compute_signal(calendar_panel, "pace_in_effect", {"min_confidence": "medium"})
    assert every.loc["2026-07-15"] == 10.0  # RMP_cut_to_10bn (low confidence)
    assert medium.loc["2026-07-15"] == 25.0
    assert np.isnan(every.loc["2020-04-01"])  # QE4: lump sum, no stated pace


def test_expansions_only_counts_new_or_larger_purchases_not_cuts(real_panel):
    from signals import compute_signal
    from signals.policy import expansion_rows
    from signals.policy_data import filter_events, policy_events

    events = filter_events(policy_events())
    expanding = set(events.loc[expansion_rows(events), "event"])
    assert {"QE2", "RMP2019_announce", "QT1_slowdown_2019", "RMP2025_announce"} <= expanding
    assert not expanding & {"RMP_cut_to_25bn", "RMP_cut_to_10bn", "QT1_step_Q1_2018",
                            "taper_announce_2013", "RMP_guidance_Remache"}
    days = compute_signal(real_panel, "days_since_announcement",
                          {"kind": "RMP", "expansions_only": True})
    every = compute_signal(real_panel, "days_since_announcement", {"kind": "RMP"})
    assert days.loc["2026-05-04"] > 90            # still counting from 2025-12-10
    assert every.loc["2026-05-04"] < 5            # restarted by the cut to $25bn
