"""A small `RunResult` with exactly known inputs for the page tests: 1,600 sessions (more than
the overview draws daily), two strategies (one a benchmark of the other, deciding on the last
session), a sleeve benchmark, four signals with known last runs, a 2% risk-free."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from backtests.config import RiskFreeSection
from backtests.engine import BacktestResult
from backtests.metrics import summarise
from backtests.results import RunResult, RunSpec
from signals import SignalSection
from strategies import StrategySection

N_SESSIONS = 1_600
SESSIONS = pd.bdate_range("2015-01-02", periods=N_SESSIONS, name="date")
REGIME_SINCE = N_SESSIONS - 30          # the last run of "expanding" starts here
SPREAD_LAST = N_SESSIONS - 4            # the spread has no value on the last 3 sessions


def _signals() -> pd.DataFrame:
    regime = np.array(["neutral"] * N_SESSIONS, dtype=object)
    regime[N_SESSIONS // 2:REGIME_SINCE] = "draining"
    regime[REGIME_SINCE:] = "expanding"
    regime[REGIME_SINCE - 100:REGIME_SINCE - 90] = "expanding"   # an earlier run of the label
    stance = np.where(np.arange(N_SESSIONS) < N_SESSIONS - 200, "QT", "RMP").astype(object)
    pace = np.where(np.arange(N_SESSIONS) < N_SESSIONS - 200, -60.0, 40.0)
    spread = np.linspace(-5, 3.5, N_SESSIONS)
    spread[SPREAD_LAST + 1:] = np.nan
    return pd.DataFrame({"regime": regime, "stance": stance, "pace": pace, "spread": spread},
                        index=SESSIONS)


def _weights(decisions: list[int], row: dict[str, float]) -> pd.DataFrame:
    frame = pd.DataFrame(np.nan, index=SESSIONS, columns=["equities", "gold", "cash"])
    for position in decisions:
        frame.iloc[position] = [row.get(c, np.nan) for c in frame.columns]
    return frame


def synthetic_result() -> RunResult:
    rng = np.random.default_rng(7)
    returns = {"rule_a": pd.Series(rng.normal(4e-4, 0.01, N_SESSIONS), index=SESSIONS),
               "hold": pd.Series(rng.normal(3e-4, 0.012, N_SESSIONS), index=SESSIONS)}
    weights = {"rule_a": _weights(list(range(0, N_SESSIONS, 21)) + [N_SESSIONS - 1],
                                  {"equities": 0.6, "gold": 0.3, "cash": 0.0}),
               "hold": _weights([0], {"equities": 1.0})}
    strategies = {name: BacktestResult(None, returns[name], pd.Series(0.0, index=SESSIONS),
                                       weights[name]) for name in returns}
    gold = pd.Series(rng.normal(2e-4, 0.009, N_SESSIONS), index=SESSIONS)
    spec = RunSpec(
        "synthetic", (StrategySection(name="rule_a", rule="fixed_weights", benchmark="hold"),
                      StrategySection(name="hold", rule="buy_and_hold")),
        {"regime": SignalSection(fn="liquidity_regime"),
         "stance": SignalSection(fn="policy_stance"), "pace": SignalSection(fn="pace_in_effect"),
         "spread": SignalSection(fn="sofr_iorb_bp")},
        benchmark="hold", risk_free=RiskFreeSection(annual=0.02))
    summary = {name: summarise(r.returns, r.traded_fraction, 0.02)
               for name, r in strategies.items()}
    return RunResult(spec, SimpleNamespace(sessions=SESSIONS, start_position=0), _signals(),
                     strategies, {"gold": gold}, summary,
                     {"buy_and_hold_gold": summarise(gold, None, 0.02)})
