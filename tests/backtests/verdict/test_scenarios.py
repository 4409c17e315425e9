"""Claim 5's scenarios come from RMP-type purchases only; QE sessions are their own row (or, as a
specification, classified by pace like the rule does)."""

from __future__ import annotations

import numpy as np

from backtests.verdict.config import ScenarioClaim
from backtests.verdict.scenario_claims import SCENARIO_ROWS, classify

BASE = {"id": 5, "test": "scenario_returns", "pace_signal": "pace", "stance_signal": "stance",
        "sleeves": ["equities"], "token_max": 10, "large_min": 45}


def test_qe_is_its_own_row_and_b_needs_a_large_rmp_pace():
    pace = np.array([-50.0, 0.0, 5.0, 40.0, 60.0, 120.0, np.nan, np.nan])
    stance = np.array(["QT", "neutral", "RMP", "RMP", "RMP", "QE", "QE", None], dtype=object)
    codes = classify(pace, stance, ScenarioClaim(**BASE))
    assert [SCENARIO_ROWS[c] if c >= 0 else "?" for c in codes] == [
        "none", "none", "C", "A", "B", "QE", "QE", "?"]
    by_pace = classify(pace, stance, ScenarioClaim(**BASE, qe="by_pace"))
    assert [SCENARIO_ROWS[c] if c >= 0 else "?" for c in by_pace] == [
        "none", "none", "C", "A", "B", "B", "B", "?"]    # lump-sum QE (NaN pace) is large


def test_a_realized_pace_classifies_by_its_own_numbers():
    claim = ScenarioClaim(**{**BASE, "pace_signal": "realized"})
    pace = np.array([np.nan, -20.0, 3.0, 30.0, 80.0])        # warm-up NaN: not classified
    stance = np.array(["QT", "QT", "neutral", "RMP", "RMP"], dtype=object)
    assert classify(pace, stance, claim).tolist() == [-1, 0, 1, 2, 3]
