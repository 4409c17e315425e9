"""The realised purchase pace: what the balance sheet shows the Fed bought, public from the Friday
after the H.4.1 Wednesday, in USD bn per month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal
from tests.fakes import MemorySource, business_days


def test_realized_pace_is_the_weekly_change_per_month_known_on_friday():
    sessions = business_days("2024-01-01", 60)
    wednesdays = pd.date_range("2024-01-03", periods=12, freq="W-WED")
    held = pd.Series(4_000_000 + 10_000 * np.arange(12.0), index=wednesdays)   # +$10bn/week
    source = MemorySource(series={"TREAST": held},
                          prices={"SPY": pd.Series(100.0, index=sessions)})
    panel = PointInTimePanel(source, {"equities": TickerInstrument(ticker="SPY")})
    pace = compute_signal(panel, "realized_purchase_pace", {"weeks": 4})
    per_month = 40.0 / 28 * 365.25 / 12                                      # $40bn in 4 weeks
    # the first 4-week change (01-03 -> 01-31) is in the H.4.1 of Thu 02-01, 16:30: Friday's
    assert np.isnan(pace.loc["2024-02-01"]) and pace.loc["2024-02-02"] == pytest.approx(per_month)
    assert pace.loc["2024-03-01":].to_numpy() == pytest.approx(per_month)
    assert compute_signal(panel, "realized_purchase_pace", {"weeks": 13}).isna().all()


def test_realized_pace_on_the_snapshot_sees_the_2019_bills_and_the_2023_runoff(real_panel):
    pace = compute_signal(real_panel, "realized_purchase_pace", {"weeks": 13})
    assert pace.loc["2020-01-31"] > 40          # RMP 2019 ($60bn bills) + MBS reinvestment
    assert pace.loc["2023-06-30"] < -40         # QT2 Treasury runoff at its $60bn cap
