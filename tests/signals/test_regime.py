"""The regime rule of signals/regime.py, step by step on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from signals import get_signal
from signals.regime import LiquidityRegimeParams, classify

INDEX = pd.bdate_range("2024-01-01", periods=6)


def _classify(z, stress, stance, **params) -> list[str]:
    labels = classify(pd.Series(z, index=INDEX, dtype=float), pd.Series(stress, index=INDEX),
                      pd.Series(stance, index=INDEX), LiquidityRegimeParams(**params))
    return list(labels)


def test_stress_outranks_the_trend_and_warm_up():
    labels = _classify([2.0, np.nan, 0.0, 0.0, -2.0, 0.6], [True, True, False, False, False, False],
                       ["QE"] * 6, policy_weight=0)
    assert labels == ["stress", "stress", "neutral", "neutral", "draining", "expanding"]


def test_unknown_while_the_trend_has_no_history():
    labels = _classify([np.nan] * 6, [False] * 6, ["QT"] * 6)
    assert labels == ["unknown"] * 6


def test_policy_stance_tilts_an_inconclusive_trend():
    stances = ["QE", "RMP", "neutral", "QT", "QT", "QE"]
    labels = _classify([0.0, 0.0, 0.0, 0.0, 1.2, -1.2], [False] * 6, stances, policy_weight=0.5)
    assert labels == ["expanding", "expanding", "neutral", "draining", "expanding", "draining"]
    assert _classify([0.0] * 6, [False] * 6, stances, policy_weight=0) == ["neutral"] * 6


def test_thresholds_must_be_ordered_and_unknown_keys_rejected():
    with pytest.raises(ValidationError, match="drain_z"):
        LiquidityRegimeParams(expand_z=0.0, drain_z=0.5)
    with pytest.raises(ValidationError):
        get_signal("liquidity_regime").params.model_validate({"stres_bp": 10})


def test_the_quickstart_params_still_validate():
    LiquidityRegimeParams.model_validate({"weeks": 4, "z_weeks": 52, "expand_z": 0.5,
                                          "drain_z": -0.5, "stress_bp": 15})


def test_regime_on_net_liquidity_and_stress_hold(real_panel):
    from signals import compute_signal

    held = compute_signal(real_panel, "liquidity_regime", {"stress_hold_sessions": 5,
                                                           "trend": "net_liquidity"})
    assert (held.loc["2019-09-17":"2019-09-26"] == "stress").all()
    assert set(held.unique()) <= {"expanding", "neutral", "draining", "stress", "unknown"}
