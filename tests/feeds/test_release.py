"""Release rules: a value is visible only from the first close after it was published."""

from __future__ import annotations

import pandas as pd
import pytest

from feeds.catalog import CATALOG
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.release import H41_THURSDAY, IN_ADVANCE, NEXT_MORNING, SAME_DAY_AFTERNOON, known_at_close
from tests.fakes import MemorySource, business_days


def _sessions(start: str, periods: int) -> pd.DatetimeIndex:
    return business_days(start, periods)


def test_h41_wednesday_value_is_invisible_wednesday_and_thursday_and_visible_friday():
    sessions = _sessions("2024-03-04", 15)  # Mon 2024-03-04 ..
    obs = pd.Series([100.0, 105.0], index=pd.to_datetime(["2024-03-06", "2024-03-13"]))
    known = known_at_close(obs, H41_THURSDAY, sessions)
    assert known.loc[:"2024-03-07"].isna().all()            # Wed 6th and Thu 7th: not yet public
    assert known.loc["2024-03-08"] == 100.0                  # Friday: first close after release
    assert known.loc["2024-03-13"] == 100.0 and known.loc["2024-03-14"] == 100.0
    assert known.loc["2024-03-15"] == 105.0


def test_h41_release_on_a_thursday_holiday_waits_for_the_next_business_day():
    sessions = _sessions("2024-11-25", 10)  # Thanksgiving is Thu 2024-11-28
    obs = pd.Series([7.0], index=pd.to_datetime(["2024-11-27"]))
    known = known_at_close(obs, H41_THURSDAY, sessions)
    assert known.loc[:"2024-11-29"].isna().all()
    assert known.loc["2024-12-02"] == 7.0


@pytest.mark.parametrize("rule, first_visible", [
    (NEXT_MORNING, "2024-03-07"), (SAME_DAY_AFTERNOON, "2024-03-06"), (IN_ADVANCE, "2024-03-06")])
def test_daily_rules(rule, first_visible):
    sessions = _sessions("2024-03-04", 6)
    known = known_at_close(pd.Series([1.5], index=pd.to_datetime(["2024-03-06"])), rule, sessions)
    assert known.first_valid_index() == pd.Timestamp(first_visible)


def test_stale_values_expire_instead_of_being_carried_for_ever():
    sessions = _sessions("2021-07-20", 20)
    obs = pd.Series([0.15], index=pd.to_datetime(["2021-07-28"]))
    known = known_at_close(obs, IN_ADVANCE, sessions)
    assert known.loc["2021-08-06"] == 0.15
    assert pd.isna(known.loc["2021-08-13"])


def test_wresbal_and_walcl_on_the_real_snapshot_follow_the_friday_rule(real_panel):
    for series_id in ("WALCL", "WRESBAL"):
        assert CATALOG[series_id].release is H41_THURSDAY
        known = real_panel.series(series_id)
        raw = real_panel.observations(series_id) * CATALOG[series_id].usd_bn_per_unit
        wednesday = pd.Timestamp("2025-12-10")
        assert known.loc["2025-12-10"] == raw.loc["2025-12-03"]     # Wednesday: previous week
        assert known.loc["2025-12-11"] == raw.loc["2025-12-03"]     # Thursday: still previous
        assert known.loc["2025-12-12"] == raw.loc[wednesday]        # Friday: this week's value
        assert real_panel.first_known_session(series_id, wednesday) == pd.Timestamp("2025-12-12")


def test_values_are_converted_to_usd_bn_once_in_the_panel():
    sessions = _sessions("2025-12-29", 8)
    source = MemorySource(
        series={"WALCL": pd.Series([6_640_618.0], index=pd.to_datetime(["2025-12-31"]))},
        prices={"X": pd.Series(100.0, index=sessions)})
    panel = PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})
    assert panel.series("WALCL").dropna().iloc[0] == pytest.approx(6640.618)


def test_fed_holidays_move_sunday_holidays_but_not_saturday_ones():
    from feeds.release import fed_business_days

    days = fed_business_days(pd.Timestamp("2021-12-27"), pd.Timestamp("2022-12-30"))
    assert pd.Timestamp("2021-12-31") in days          # New Year 2022 fell on a Saturday
    assert pd.Timestamp("2022-12-26") not in days      # Christmas 2022 fell on a Sunday
    assert pd.Timestamp("2022-06-20") not in days      # Juneteenth 2022 observed on Monday


def test_afternoon_results_on_a_half_day_wait_for_the_next_session():
    """2024-11-29 (after Thanksgiving) closed at 13:00 ET; ON RRP results (~13:15) are usable at
    the next close. On an ordinary day they are usable the same close."""
    sessions = pd.DatetimeIndex(["2024-11-27", "2024-11-29", "2024-12-02", "2024-12-03"])
    obs = pd.Series([100.0, 200.0, 300.0],
                    index=pd.to_datetime(["2024-11-27", "2024-11-29", "2024-12-02"]))
    known = known_at_close(obs, SAME_DAY_AFTERNOON, sessions)
    assert known.tolist() == [100.0, 100.0, 300.0, 300.0]
    rate = known_at_close(pd.Series([4.5], index=pd.to_datetime(["2024-11-29"])), IN_ADVANCE,
                          sessions)
    assert rate.loc["2024-11-29"] == 4.5      # known in advance: a half day changes nothing
