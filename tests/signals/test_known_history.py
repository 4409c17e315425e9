"""Known history on the real snapshot: each signal says what the record says, on the session it
could first have been known."""

from __future__ import annotations

import pytest

from signals import compute_signal


def test_sofr_iorb_around_the_2025_09_15_tax_date(real_panel):
    spread = compute_signal(real_panel, "sofr_iorb_bp")
    assert spread.loc["2025-09-15"] == 2.0  # Friday's SOFR still, at Monday's close
    assert spread.loc["2025-09-16"] == 11.0  # SOFR 4.51 vs IORB 4.40, published 2025-09-16


def test_sofr_ioer_in_september_2019_is_hundreds_of_bp_the_session_after(real_panel):
    spread = compute_signal(real_panel, "sofr_iorb_bp")
    assert spread.loc["2019-09-17"] == 33.0  # the 2019-09-16 tax-date print
    assert spread.loc["2019-09-18"] == 315.0  # SOFR 5.25 on 2019-09-17 vs IOER 2.10
    tail = compute_signal(real_panel, "sofr_tail_bp")
    assert tail.loc["2019-09-18"] > 300  # the 99th percentile near 9%


def test_tgcr_and_effr_against_the_administered_rate(real_panel):
    assert compute_signal(real_panel, "tgcr_iorb_bp").loc["2019-09-18"] == 315.0  # TGCR 5.25
    effr = compute_signal(real_panel, "effr_iorb_bp")
    assert effr.loc["2019-09-18"] == 20.0  # EFFR 2.30 above IOER 2.10 (top of range 2.25)
    assert effr.loc[:"2008-10-09"].isna().all()  # no IOER before 2008-10-09


def test_srf_record_is_visible_at_that_days_close(real_panel):
    usage = compute_signal(real_panel, "srf_usage_usd_bn")
    assert usage.loc["2025-12-31"] == pytest.approx(74.6)
    assert usage.loc["2025-12-30"] == pytest.approx(3.0)
    week_max = compute_signal(real_panel, "srf_usage_usd_bn", {"window_sessions": 5})
    assert week_max.loc["2026-01-07"] == pytest.approx(74.6)
    assert week_max.loc["2026-01-08"] == pytest.approx(22.8)


@pytest.mark.parametrize("date, pace, stance", [
    ("2019-10-10", 0.0, "neutral"),  # QT1 over, bills not yet announced
    ("2019-10-11", 0.0, "neutral"),  # announced 11:00 that day, effective 2019-10-15
    ("2019-10-15", 60.0, "RMP"),
    ("2020-02-28", 60.0, "RMP"),
    ("2022-08-31", -47.5, "QT"),
    ("2022-09-01", -95.0, "QT"),
    ("2022-12-15", -95.0, "QT"),
    ("2025-12-10", 0.0, "neutral"),  # QT ended 2025-12-01
    ("2025-12-12", 40.0, "RMP"),
    ("2026-03-31", 40.0, "RMP"),
    ("2026-04-30", 40.0, "RMP"),  # the April cut (month precision) is not assumed known yet
    ("2026-05-01", 25.0, "RMP"),
    ("2018-03-29", -20.0, "QT"),  # derived QT1 step-up
    ("2014-06-30", 45.0, "QE"),  # 2014 taper steps
])
def test_pace_in_effect_and_stance(real_panel, date, pace, stance):
    assert compute_signal(real_panel, "pace_in_effect").loc[date] == pace
    assert compute_signal(real_panel, "policy_stance").loc[date] == stance


def test_lump_sum_programmes_have_no_pace_but_a_qe_stance(real_panel):
    pace = compute_signal(real_panel, "pace_in_effect")
    stance = compute_signal(real_panel, "policy_stance")
    assert pace.loc["2020-03-13"] == 60.0 and pace.loc["2020-03-16":"2020-06-10"].isna().all()
    assert (stance.loc["2020-03-16":"2020-06-10"] == "QE").all()
    assert pace.loc["2020-06-11"] == 120.0


def test_regime_reads_stress_in_mid_september_2019(real_panel):
    regime = compute_signal(real_panel, "liquidity_regime")
    assert (regime.loc["2019-09-17":"2019-09-19"] == "stress").all()
    assert regime.loc["2019-09-16"] != "stress"  # nothing was public yet at Monday's close


def test_net_liquidity_for_the_2025_12_31_week(real_panel):
    net = compute_signal(real_panel, "net_liquidity_usd_bn")
    # WALCL 6,640.618 - WTREGEN 837.306 - ON RRP 105.993 (2025-12-31), released Friday 2026-01-02
    # 16:30 (New Year moved the H.4.1), first usable at Monday's close.
    assert net.loc["2026-01-05"] == pytest.approx(5_697.319)
    assert net.loc["2026-01-02"] == pytest.approx(5_739.308)  # still the 2025-12-24 week


def test_daily_net_liquidity_uses_each_input_as_known_at_the_close(real_panel):
    net = compute_signal(real_panel, "net_liquidity_usd_bn", {"tga": "daily"})
    walcl = real_panel.series("WALCL").loc["2026-01-06"]
    tga = real_panel.observations("TGA_DTS_CLOSE").loc["2026-01-05"] / 1000  # published 01-06 16:00
    rrp = real_panel.observations("RRPONTSYD").loc["2026-01-06"]  # same day
    assert real_panel.series("TGA_DTS_CLOSE").loc["2026-01-06"] != pytest.approx(tga)
    assert net.loc["2026-01-07"] == pytest.approx(
        walcl - tga - real_panel.observations("RRPONTSYD").loc["2026-01-07"])
    assert net.loc["2026-01-06"] == pytest.approx(
        walcl - real_panel.series("TGA_DTS_CLOSE").loc["2026-01-06"] - rrp)


def test_vix_record_close_is_known_the_next_session(real_panel):
    vix = compute_signal(real_panel, "vix_level")
    assert vix.loc["2020-03-16"] == pytest.approx(57.83)  # Friday 2020-03-13's close
    assert vix.loc["2020-03-17"] == pytest.approx(82.69)  # the 2020-03-16 record
    assert compute_signal(real_panel, "vix_percentile").loc["2020-03-17"] == 100.0
    assert compute_signal(real_panel, "vix_term_structure").loc["2020-03-17"] > 1.0


def test_2s10s_in_bp_two_sessions_after_the_trade_date(real_panel):
    curve = compute_signal(real_panel, "curve_2s10s_bp")
    ten, two = real_panel.observations("DGS10"), real_panel.observations("DGS2")
    assert curve.loc["2019-08-29"] == pytest.approx((ten - two).loc["2019-08-27"] * 100)
    assert curve.loc["2019-08-29"] < 0  # the 2019 inversion


def test_tax_dates_and_quarter_ends(real_panel):
    tax = compute_signal(real_panel, "tax_date_flag")
    assert tax.loc["2019-09-16"] == 1.0 and tax.loc["2025-09-15"] == 1.0  # Sunday 15th -> Monday
    assert tax.loc["2019-09-13"] == 0.0 and tax.loc["2019-09-17"] == 0.0
    quarter = compute_signal(real_panel, "quarter_end_flag")
    assert quarter.loc["2019-09-30"] == 1.0 and quarter.loc["2019-10-31"] == 0.0
    assert compute_signal(real_panel, "month_end_flag").loc["2019-10-31"] == 1.0


def test_repo_stress_flag_separates_calendar_spikes(real_panel):
    flag = compute_signal(real_panel, "repo_stress_flag")
    assert flag.loc["2019-09-17":"2019-09-19"].eq(1.0).all()
    assert flag.loc["2025-12-31"] == 1.0  # SRF 74.6 > 50 even on a quarter-end
    # 2025-12-01: SRF 26.0 the day after a month-end and the month-end's SOFR 22 bp above IORB are
    # both below the calendar thresholds (50 bn, 25 bp) though above the ordinary ones (15, 15).
    assert flag.loc["2025-12-01"] == 0.0
    ordinary = compute_signal(real_panel, "repo_stress_flag",
                              {"calendar_stress_bp": None, "calendar_srf_usd_bn": None})
    assert ordinary.loc["2025-12-01"] == 1.0
    assert flag.loc[:"2018-04-03"].isna().all()  # no SOFR, no SRF yet
