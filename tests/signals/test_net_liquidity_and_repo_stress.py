"""Net liquidity units and constructions, and the repo-stress flag's calendar thresholds, on
hand-made data where the right answer is known exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from signals import compute_signal
from tests.fakes import MemorySource

SESSIONS = pd.bdate_range("2024-04-01", "2024-07-31", name="date")


def _panel(**series: pd.Series) -> PointInTimePanel:
    source = MemorySource(series=series, prices={"X": pd.Series(1.0, index=SESSIONS)})
    return PointInTimePanel(source, {"x": TickerInstrument(ticker="X")})


def test_weekly_net_liquidity_mixes_units_correctly_and_zero_fills_on_rrp():
    wednesdays = pd.date_range("2024-04-03", "2024-07-31", freq="W-WED")
    walcl = pd.Series(7_400_000.0, index=wednesdays)  # USD millions
    tga = pd.Series(700_000.0, index=wednesdays)  # USD millions
    rrp_days = pd.bdate_range("2024-04-01", "2024-07-31")
    rrp = pd.Series(400.0, index=rrp_days.drop(pd.Timestamp("2024-05-15")))  # USD bn; a gap
    panel = _panel(WALCL=walcl, WTREGEN=tga, RRPONTSYD=rrp)
    net = compute_signal(panel, "net_liquidity_usd_bn")
    assert net.loc["2024-05-10"] == pytest.approx(6_300.0)  # 7,400 - 700 - 400
    assert net.loc["2024-05-17"] == pytest.approx(6_700.0)  # no ON RRP row on 05-15: zero take-up
    change = compute_signal(panel, "net_liquidity_change_usd_bn", {"weeks": 1})
    assert change.loc["2024-05-17"] == pytest.approx(400.0)
    assert change.loc["2024-05-24"] == pytest.approx(-400.0)


def test_daily_net_liquidity_reads_each_input_when_it_is_published():
    wednesdays = pd.date_range("2024-04-03", "2024-07-31", freq="W-WED")
    days = pd.bdate_range("2024-04-01", "2024-07-31")
    panel = _panel(WALCL=pd.Series(7_000_000.0, index=wednesdays),
                   TGA_DTS_CLOSE=pd.Series(np.arange(len(days)) * 1_000.0 + 500_000, index=days),
                   RRPONTSYD=pd.Series(np.arange(len(days)) * 1.0, index=days))
    net = compute_signal(panel, "net_liquidity_usd_bn", {"tga": "daily"})
    t = days.get_loc(pd.Timestamp("2024-06-12"))
    # WALCL 7,000; ON RRP of today (same day); the DTS TGA of two business days ago (day d is
    # published at 16:00 on d+1, not before that close, so it is first usable at d+2's close).
    expected = 7_000 - (500 + (t - 2)) - t
    assert net.loc["2024-06-12"] == pytest.approx(expected)


def test_repo_stress_judges_calendar_spikes_on_the_trade_date():
    days = pd.bdate_range("2024-04-01", "2024-07-31")
    sofr = pd.Series(5.33, index=days)
    sofr.loc["2024-05-31"] = 5.60  # month-end: +20 bp over IORB 5.40 (< calendar 25)
    sofr.loc["2024-05-21"] = 5.60  # ordinary day: +20 bp (>= 15)
    srf = pd.Series(0.0, index=days)
    srf.loc["2024-06-28"] = 30.0  # quarter-end: below the calendar threshold 50
    srf.loc["2024-06-20"] = 30.0  # ordinary day: above 15
    iorb = pd.Series(5.40, index=pd.date_range("2024-03-01", "2024-08-31"))
    panel = _panel(SOFR=sofr, IORB=iorb, IOER=pd.Series(dtype=float), SRF_USAGE=srf)
    flag = compute_signal(panel, "repo_stress_flag")
    assert flag.loc["2024-05-21"] == 0.0 and flag.loc["2024-05-22"] == 1.0  # SOFR: next session
    assert flag.loc["2024-06-03"] == 0.0  # the month-end print, judged as a calendar spike
    assert flag.loc["2024-06-20"] == 1.0  # SRF: same day
    assert flag.loc["2024-06-28"] == 0.0
    strict = compute_signal(panel, "repo_stress_flag", {"calendar_stress_bp": None,
                                                        "calendar_srf_usd_bn": None})
    assert strict.loc["2024-06-03"] == 1.0 and strict.loc["2024-06-28"] == 1.0
    off = compute_signal(panel, "repo_stress_flag", {"stress_bp": None, "srf_stress_usd_bn": None})
    assert off.isna().all()


def test_a_holiday_wednesday_carries_the_previous_days_on_rrp(real_panel):
    """Juneteenth 2024 was a Wednesday without an ON RRP operation: the H.4.1 week nets out the
    Tuesday's take-up (~$400bn), not zero."""
    from signals.net_liquidity import weekly_net_liquidity_usd_bn

    weekly = weekly_net_liquidity_usd_bn(real_panel)
    moves = weekly.loc["2024-06-05":"2024-07-03"].diff().abs()
    assert moves.max() < 200
