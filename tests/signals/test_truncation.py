"""Point in time, for every registered signal: what a signal says at t (and before) must not change
when the data after t are removed. `panel.truncated(t)` rebuilds the panel from observations stamped
on or before t; the signal computed from it must equal the full-data signal on every session <= t.

Dates: the Wednesday-Friday around H.4.1 releases (incl. holiday-moved ones), FOMC and other
announcement days, quarter- and month-ends, tax dates, the September-2019 repo spike, the
2025 year-end, and the last session of the snapshot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals import SIGNALS, compute_signal

# Signals run with default params, plus variants that exercise the non-default code paths.
VARIANTS: list[tuple[str, dict]] = [
    ("net_liquidity_usd_bn", {"tga": "daily"}),
    ("net_liquidity_change_usd_bn", {"tga": "daily", "weeks": 2}),
    ("net_liquidity_z", {"tga": "daily", "z_weeks": 26}),
    ("reserves_vs_threshold", {"threshold_usd_bn": 3000}),
    ("reserves_vs_threshold", {"denominator": "WALCL", "threshold_pct": 40}),
    ("reserves_change_usd_bn", {"weeks": 13}),
    ("realized_purchase_pace", {"weeks": 13}),
    ("liquidity_regime", {"trend": "net_liquidity"}),
    ("liquidity_regime", {"trend": "net_liquidity", "tga": "daily", "stress_hold_sessions": 3,
                          "calendar_bdays_before": 2}),
    ("liquidity_regime", {"policy_weight": 0, "stress_rate": "TGCR", "srf_stress_usd_bn": None}),
    ("repo_stress_flag", {"stress_rate": "EFFR", "stress_bp": 5, "calendar_stress_bp": None,
                          "calendar_srf_usd_bn": None}),
    ("srf_usage_usd_bn", {"window_sessions": 5}),
    ("pace_in_effect", {"min_confidence": "high"}),
    ("policy_stance", {"min_confidence": "medium"}),
    ("days_since_announcement", {"kind": "RMP", "unit": "calendar_days"}),
    ("days_since_announcement", {"kind": "QT", "include_markers": True}),
    ("days_since_announcement", {"kind": "QE", "expansions_only": True}),
    ("policy_event_window", {"kind": "QE", "sessions": 10}),
    ("tax_date_flag", {"bdays_before": 2, "bdays_after": 1}),
    ("month_end_flag", {"bdays_after": 1}),
    ("vix_percentile", {"window": 60}),
    ("curve_2s10s_change_bp", {"days": 5}),
]
CASES = [(name, {}) for name in sorted(SIGNALS)] + VARIANTS

DATES = [
    "2008-11-25", "2008-11-26", "2012-09-13", "2013-12-18", "2014-01-29", "2017-09-20",
    "2018-01-02",
    "2019-09-11", "2019-09-12", "2019-09-13",  # H.4.1 Wednesday, Thursday release, Friday
    "2019-09-16", "2019-09-17", "2019-09-18", "2019-09-19",  # the repo spike
    "2019-09-30", "2019-10-01", "2019-10-11", "2019-10-14", "2019-10-15",  # quarter-end, RMP 2019
    "2020-03-13", "2020-03-16", "2020-03-23",  # Sunday QE4 release, 8am release
    "2021-07-28", "2021-07-29",  # IOER -> IORB, SRF created
    "2022-05-04", "2022-05-05", "2022-05-06", "2022-06-30", "2022-09-01",  # QT2
    "2025-06-30", "2025-09-15", "2025-09-16", "2025-09-30", "2025-10-31",
    "2025-11-26", "2025-11-28", "2025-12-01",  # Thanksgiving: H.4.1 moved to Friday
    "2025-12-10", "2025-12-11", "2025-12-12",  # RMP 2025
    "2025-12-31", "2026-01-02", "2026-01-05",  # year-end; H.4.1 moved by New Year
    "2026-03-31", "2026-04-15", "2026-04-30", "2026-05-01", "2026-07-01", "2026-08-21",
]


def _case_id(case: tuple[str, dict]) -> str:
    name, params = case
    return name + ("" if not params else "(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")")


def first_difference(full: pd.Series, cut: pd.Series) -> str | None:
    """The first session where two series disagree (NaN equals NaN), or None."""
    if not full.index.equals(cut.index):
        return f"different sessions ({len(full)} vs {len(cut)})"
    if full.dtype.kind in "fi" and cut.dtype.kind in "fi":
        a, b = full.to_numpy(dtype=float), cut.to_numpy(dtype=float)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
    else:
        a, b = full.astype(object).to_numpy(), cut.astype(object).to_numpy()
        same = np.array([x == y or (x != x and y != y) for x, y in zip(a, b)])
    if same.all():
        return None
    where = int(np.flatnonzero(~same)[0])
    return f"{full.index[where].date()}: full {a[where]!r} vs cut {b[where]!r}"


def test_cases_cover_every_registered_signal():
    assert {name for name, _ in CASES} == set(SIGNALS)
    assert len(DATES) >= 30


@pytest.fixture(scope="module")
def full_values(real_panel) -> dict[str, pd.Series]:
    return {_case_id(case): compute_signal(real_panel, *case) for case in CASES}


def test_every_signal_at_t_is_unchanged_by_data_after_t(real_panel, full_values):
    violations = []
    for date in DATES:
        t = pd.Timestamp(date)
        assert t in real_panel.sessions, f"{date} is not a session of the test panel"
        cut = real_panel.truncated(t)
        assert cut.sessions[-1] == t
        for case in CASES:
            key = _case_id(case)
            problem = first_difference(full_values[key].loc[:t], compute_signal(cut, *case))
            if problem:
                violations.append(f"{key} cut at {date}: {problem}")
    assert violations == []


def test_the_check_catches_a_signal_that_peeks_ahead(real_panel):
    """A signal reading tomorrow's value (here: SOFR-IORB shifted back one session) must fail.
    Truncation catches use of data stamped after t; the release-timing tests (H.4.1 on Friday,
    SOFR the next session, SRF the same day, VIX the next session) catch use before publication."""
    def peeking(panel):
        return compute_signal(panel, "sofr_iorb_bp").shift(-1)

    cut = real_panel.truncated("2019-09-17")
    problem = first_difference(peeking(real_panel).loc[:"2019-09-17"], peeking(cut))
    assert problem is not None and problem.startswith("2019-09-17")
