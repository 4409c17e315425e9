"""Event studies: known paths on hand-made prices, partial windows kept (not extended), the
bootstrap band, and the policy calendar's events on the real snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backtests.event_study import event_study, policy_event_study, policy_event_table
from tests.fakes import business_days


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    """`up` grows 1% a session; `late` is 50 then 100 from row 30 and has no price before row 5."""
    sessions = business_days("2020-01-01", 60)
    up = 100 * 1.01 ** np.arange(60)
    late = np.where(np.arange(60) < 30, 50.0, 100.0)
    late[:5] = np.nan
    return pd.DataFrame({"up": up, "late": late}, index=sessions)


def test_paths_are_price_ratios_to_the_event_close(prices):
    result = event_study(prices, [20], before=3, after=5, n_boot=200)
    path = result.episode(prices.index[20])
    assert list(path.index) == list(range(-3, 6))
    assert np.allclose(path["up"], 1.01 ** np.arange(-3, 6) - 1, rtol=0, atol=1e-12)
    assert path.loc[0].tolist() == [0.0, 0.0]
    assert result.events.loc[0, "partial"] == False  # noqa: E712  (numpy bool)
    assert result.paths["date"].iloc[0] == prices.index[17]


def test_a_window_past_the_data_is_partial_not_extended_nor_dropped(prices):
    result = event_study(prices, [1, 57], before=3, after=5, n_boot=200, names=["early", "late"])
    events = result.events.set_index("event")
    assert events.loc["early", ["first_offset", "last_offset"]].tolist() == [-1, 5]
    assert events.loc["late", ["first_offset", "last_offset"]].tolist() == [-3, 2]
    assert events["partial"].all()
    late_rows = result.paths.loc[result.paths["event"] == "late"]
    assert late_rows["offset"].max() == 2 and late_rows["date"].max() == prices.index[-1]
    # The mean at +5 rests on the one event that has it; at +1 on both.
    mean = result.mean.set_index(["sleeve", "offset"])
    assert mean.loc[("up", 5), "n_events"] == 1 and mean.loc[("up", 1), "n_events"] == 2
    assert mean.loc[("up", 5), "mean"] == pytest.approx(1.01 ** 5 - 1)


def test_a_sleeve_without_a_price_at_day_0_has_no_path(prices):
    result = event_study(prices, [2, 20], before=1, after=3, n_boot=200)
    first = result.episode(prices.index[2])
    assert first["late"].isna().all() and first["up"].notna().all()
    mean = result.mean.set_index(["sleeve", "offset"])
    assert mean.loc[("late", 3), "n_events"] == 1


def test_mean_and_bootstrap_band(prices):
    # Event at 25: `late` jumps +100% at offset +5 (row 30); event at 40: flat.
    result = event_study(prices, [25, 40], before=0, after=5, n_boot=2000, confidence=0.9,
                         seed=3)
    mean = result.mean.set_index(["sleeve", "offset"])
    assert mean.loc[("late", 5), "mean"] == pytest.approx(0.5)
    # Resampling two events: means are 0 (both flat), 0.5 or 1.0, so the 90% band spans 0..1.
    assert mean.loc[("late", 5), "lower"] == 0.0 and mean.loc[("late", 5), "upper"] == 1.0
    assert (mean["lower"] <= mean["mean"] + 1e-15).all()
    assert (mean["mean"] <= mean["upper"] + 1e-15).all()
    # Identical paths (the `up` sleeve grows the same from any day) leave no band.
    assert np.allclose(mean.loc["up", "lower"], mean.loc["up", "upper"])
    again = event_study(prices, [25, 40], before=0, after=5, n_boot=2000, confidence=0.9, seed=3)
    assert again.mean.equals(result.mean)


def test_refuses_positions_outside_the_prices(prices):
    with pytest.raises(ValueError, match="event positions"):
        event_study(prices, [60], before=1, after=1)


def test_rmp_announcements_on_the_snapshot(real_panel):
    result = policy_event_study(real_panel.sleeve_prices, "RMP", before=10, after=63, n_boot=200)
    events = result.events.set_index("announced")
    for announced in ("2019-10-11", "2025-12-10"):   # 11:00 and 14:00 ET: that session's close
        assert events.loc[pd.Timestamp(announced), "day0"] == pd.Timestamp(announced)
        assert not events.loc[pd.Timestamp(announced), "partial"]
        episode = result.episode(announced)
        assert list(episode.index) == list(range(-10, 64))
        assert episode.loc[0].eq(0).all()
    # Month-precision June 2026 cut: usable from the first session of July, window partial.
    june = events.loc[pd.Timestamp("2026-06-01")]
    assert june["day0"] == pd.Timestamp("2026-07-01") and june["partial"]
    assert june["last_offset"] < 63


def test_events_outside_the_data_are_listed_and_same_day_rows_merged(real_panel):
    window = real_panel.sleeve_prices.loc["2015-01-02":]
    qe = policy_event_study(window, "QE", before=5, after=21, n_boot=200)
    before = qe.events.loc[qe.events["status"] == "before data"]
    assert len(before) >= 8 and before["event"].str.startswith(("QE", "OpTwist", "reinv")).all()
    assert set(qe.paths["event"]) == set(qe.events.loc[qe.events["status"] == "in data", "event"])
    table = policy_event_table(window.index, "QT")
    merged = table.loc[table["announced"] == pd.Timestamp("2017-09-20"), "event"]
    assert len(merged) == 1 and merged.iloc[0].count(" + ") == 4
