"""Month-ends, quarter-ends and tax dates come from the business-day calendar, known in advance."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal, get_signal
from signals.calendar_flags import (
    calendar_pressure, month_end_dates, near_any, quarter_end_dates, tax_dates,
)
from tests.fakes import MemorySource

YEAR = (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))


def _strings(dates) -> list[str]:
    return list(pd.DatetimeIndex(dates).strftime("%Y-%m-%d"))


def test_month_ends_are_last_business_days():
    ends = _strings(month_end_dates(*YEAR))
    assert "2024-03-29" in ends  # Good Friday is a Fed business day (NYSE closed)
    assert "2024-08-30" in ends and "2024-08-31" not in ends  # Saturday
    assert "2024-11-29" in ends
    assert _strings(quarter_end_dates(*YEAR))[-4:] == ["2024-03-29", "2024-06-28", "2024-09-30",
                                                       "2024-12-31"]


def test_tax_dates_roll_forward_over_weekends_and_holidays():
    dates = _strings(tax_dates(pd.Timestamp("2019-01-01"), pd.Timestamp("2024-12-31")))
    assert "2019-09-16" in dates  # Sunday 15th
    assert "2023-01-17" in dates  # Sunday 15th, Monday MLK day
    assert "2024-06-17" in dates  # Saturday 15th
    assert "2024-04-15" in dates and "2024-05-15" not in dates


def test_windows_count_business_days():
    anchors = pd.DatetimeIndex(["2024-05-31"])  # Friday
    days = pd.DatetimeIndex(["2024-05-29", "2024-05-30", "2024-05-31", "2024-06-03", "2024-06-04"])
    assert list(near_any(days, anchors, 1, 1)) == [False, True, True, True, False]
    pressure = calendar_pressure(pd.DatetimeIndex(["2019-09-16", "2019-09-17", "2019-09-18"]),
                                 bdays_after=1)
    assert list(pressure) == [True, True, False]


def test_flags_on_a_panel_do_not_depend_on_its_last_session():
    sessions = pd.bdate_range("2024-05-01", "2024-05-31", name="date")
    source = MemorySource(prices={"X": pd.Series(1.0, index=sessions)})
    panel = PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})
    cut = panel.truncated("2024-05-30")
    ahead = compute_signal(cut, "month_end_flag", {"bdays_before": 1})
    assert ahead.loc["2024-05-30"] == 1.0  # the month-end tomorrow is on the calendar already
    assert compute_signal(panel, "month_end_flag").loc["2024-05-31"] == 1.0


def test_tax_months_are_validated():
    with pytest.raises(ValidationError, match="between 1 and 12"):
        get_signal("tax_date_flag").params.model_validate({"months": [13]})


def test_month_end_is_the_fed_business_day_even_before_a_saturday_holiday(real_panel):
    from signals import compute_signal

    flag = compute_signal(real_panel, "month_end_flag")
    assert flag.loc["2021-12-31"] == 1 and flag.loc["2021-12-30"] == 0
