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


def _fake_inputs(lag_days: int):
    """The few attributes `_inputs` reads: a panel, the execution lag, the signals."""
    from types import SimpleNamespace

    import pandas as pd

    sessions = pd.bdate_range("2025-12-01", periods=12)
    prices = pd.DataFrame({"equities": 100.0 * np.cumprod(np.r_[1.0, np.full(11, 1.01)])},
                          index=sessions)
    pace = pd.Series([0.0] * 5 + [60.0] * 7, index=sessions)     # known at the close of day 5
    stance = pd.Series(["neutral"] * 5 + ["RMP"] * 7, index=sessions)
    signals = {"pace": pace, "stance": stance}
    run = SimpleNamespace(panel=SimpleNamespace(sleeve_prices=prices, start_position=0),
                          spec=SimpleNamespace(execution=SimpleNamespace(lag_days=lag_days)))
    return SimpleNamespace(run=run, signal=lambda name, overrides=None: signals[name]), sessions


def test_a_label_governs_only_returns_a_rule_could_have_traded_on_it():
    """Known at the close of day 5, traded at the close of 5+lag: the return of day 5+lag+1 is
    the first under B (never the announcement day's own move)."""
    import pandas as pd

    from backtests.verdict.scenario_claims import _inputs

    for lag in (1, 2):
        inputs, sessions = _fake_inputs(lag)
        _, codes = _inputs(inputs, ScenarioClaim(**BASE), {}, pd.Series(0.0, index=sessions))
        first_b = int(np.flatnonzero(codes == 3)[0])
        assert first_b == 5 + lag + 1, (lag, codes.tolist())
        assert (codes[:1 + lag] == -1).all() and (codes[1 + lag:first_b] == 0).all()
