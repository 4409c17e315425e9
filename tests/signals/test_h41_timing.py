"""Signals built on the weekly H.4.1 change on the first session after the Thursday 16:30 ET release
(the Friday after the observation Wednesday; Monday when a holiday moves the release), never on the
Wednesday or Thursday."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.catalog import spec_for
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.release import first_usable_session
from signals import SIGNALS, compute_signal
from tests.fakes import MemorySource

H41_SIGNALS = sorted(name for name, d in SIGNALS.items() if d.cadence == "h41_weekly")


def change_sessions(values: pd.Series) -> pd.DatetimeIndex:
    """Sessions whose value differs from the previous session's (NaN -> NaN is no change)."""
    previous = values.shift()
    changed = (values != previous) & ~(values.isna() & previous.isna())
    return values.index[changed.to_numpy()][1:]


def test_the_h41_signals_are_the_ones_expected():
    assert {"reserves_level_usd_bn", "reserves_change_usd_bn", "reserves_change_z",
            "reserves_vs_threshold", "net_liquidity_usd_bn", "net_liquidity_change_usd_bn",
            "net_liquidity_z"} <= set(H41_SIGNALS)


@pytest.mark.parametrize("name", H41_SIGNALS)
def test_h41_signal_changes_only_on_the_session_after_the_release(real_panel, name):
    values = compute_signal(real_panel, name).loc["2009-01-01":]
    wednesdays = real_panel.observations("WALCL").loc["2008-12-01":].index
    release_sessions = set(real_panel.sessions[
        first_usable_session(wednesdays, spec_for("WALCL").release, real_panel.sessions)
        .clip(max=len(real_panel.sessions) - 1)])
    changes = change_sessions(values)
    assert len(changes) > 800, "expected roughly one change a week since 2009"
    assert set(changes) <= release_sessions, sorted(set(changes) - release_sessions)[:5]
    weekdays = pd.Series(changes.day_of_week).value_counts()
    assert weekdays.get(2, 0) == 0 and weekdays.get(3, 0) == 0  # never Wednesday or Thursday
    # Friday, bar releases moved by holidays (Good Friday, July 4, Veterans Day, Thanksgiving, ...)
    assert weekdays.get(4, 0) / len(changes) > 0.9


@pytest.mark.parametrize("name", H41_SIGNALS)
def test_each_week_is_unchanged_wednesday_and_thursday_and_moves_on_friday(real_panel, name):
    values = compute_signal(real_panel, name)
    sessions = real_panel.sessions
    checked = moved = 0
    for wednesday in pd.date_range("2015-01-07", "2026-07-29", freq="W-WED"):
        tuesday, thursday, friday = (wednesday + pd.Timedelta(days=d) for d in (-1, 1, 2))
        if not all(day in sessions for day in (tuesday, wednesday, thursday, friday)):
            continue
        if real_panel.first_known_session("WALCL", wednesday) != friday:
            continue  # a holiday moved this week's release
        week = values.loc[[tuesday, wednesday, thursday, friday]].to_numpy(dtype=float)
        assert week[0] == week[1] == week[2], (name, str(wednesday.date()), week)
        checked += 1
        moved += week[3] != week[2]
    assert checked > 500
    assert moved / checked > 0.95, f"{name} moved on only {moved} of {checked} Fridays"


def test_thanksgiving_release_moves_to_friday_after_the_close_so_monday(real_panel):
    """H.4.1 for Wednesday 2025-11-26 comes out Friday 2025-11-28 16:30 (Thursday is Thanksgiving)."""
    reserves = compute_signal(real_panel, "reserves_level_usd_bn")
    assert reserves.loc["2025-11-28"] == reserves.loc["2025-11-25"]
    assert reserves.loc["2025-12-01"] == pytest.approx(
        real_panel.observations("WRESBAL").loc["2025-11-26"] / 1000)


def test_hand_made_weekly_data_is_first_known_on_friday():
    sessions = pd.bdate_range("2021-01-04", periods=60, name="date")
    wednesdays = pd.date_range("2020-11-04", periods=20, freq="W-WED")
    walcl = pd.Series(7_000_000 + 1_000 * np.arange(20.0), index=wednesdays)
    tga = pd.Series(1_500_000.0, index=wednesdays)
    rrp = pd.Series(100.0, index=pd.bdate_range("2020-11-02", "2021-03-31"))
    source = MemorySource(series={"WALCL": walcl, "WTREGEN": tga, "RRPONTSYD": rrp,
                                  "WRESBAL": walcl / 2},
                          prices={"X": pd.Series(1.0, index=sessions)})
    panel = PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})
    net = compute_signal(panel, "net_liquidity_usd_bn")
    # Week of Wednesday 2021-01-13: 7,010 - 1,500 - 100 = 5,410 bn, public Friday 2021-01-15.
    assert net.loc["2021-01-14"] == pytest.approx(5_409.0)
    assert net.loc["2021-01-15"] == pytest.approx(5_410.0)
