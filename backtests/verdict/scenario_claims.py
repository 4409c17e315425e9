"""Claim 5, "the RMP size decides the regime", tested on history: risk-asset returns by the
purchase scenario in force when a rule could have traded on it, across a specification set.

Scenarios (rows of the table): `none` (pace <= 0: QT or reinvestment only), `C` token
(0 < pace <= token_max), `A` moderate, `B` large (pace >= large_min) — from reserve-management-type
purchases only — and `QE` on its own row (sessions whose policy stance is QE: a different
programme, not an RMP size). With `qe: by_pace` QE sessions are classified by their pace like
RMPs (the old reading, kept as a specification). The pace is the announced pace in effect
(`pace_in_effect`) or, as an alternative classifier, the pace the balance sheet shows
(`realized_purchase_pace`, H.4.1 Treasuries held, 4 or 13 weeks).

Statistic: the annualised gap between the mean excess return (over the risk-free) of an
equal-weight risk basket under B and under none, with a block-bootstrap CI; a scenario with fewer
than `min_sessions` sessions is not judged, and the page says so. Timing as in every backtest: a
label known at the close of t is traded at the close of t+lag (`execution.lag_days`), so it
governs the return from t+lag to t+lag+1 — never the move on the announcement's own day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from backtests.metrics import TRADING_DAYS
from backtests.verdict.config import ScenarioClaim, VerdictSection
from backtests.verdict.inference import bootstrap_mean_gaps
from backtests.verdict.specs import SpecInputs, variants_of
from strategies.rmp_scenarios import scenario_codes

SCENARIO_ROWS = ("none", "C", "A", "B", "QE")
NONE, LARGE, QE = 0, 3, 4


def classify(pace: np.ndarray, stance: np.ndarray | None, claim: ScenarioClaim) -> np.ndarray:
    """Row index into SCENARIO_ROWS per session (-1: pace not known yet)."""
    known = ~np.isnan(pace)
    codes = np.full(len(pace), -1, dtype=np.int64)
    codes[known] = scenario_codes(pace[known][:, None], np.array([claim.token_max]),
                                  np.array([claim.large_min]))[:, 0]
    qe = (stance == "QE") if stance is not None else np.zeros(len(pace), bool)
    if claim.qe == "own_row":
        codes[qe] = QE
    else:  # a lump-sum QE (no stated pace while the stance is QE) counts as large, as the rule
        codes[qe & ~known] = LARGE
    return codes


def scenario_table(excess: np.ndarray, codes: np.ndarray) -> dict[str, dict]:
    """Per scenario: sessions, annualised mean excess return, volatility and Sharpe."""
    table = {}
    for code, name in enumerate(SCENARIO_ROWS):
        chosen = excess[codes == code]
        n = len(chosen)
        sd = float(np.std(chosen, ddof=1)) if n > 1 else float("nan")
        table[name] = {"sessions": int(n),
                       "ann_mean_excess": float(np.mean(chosen) * TRADING_DAYS) if n else float("nan"),
                       "ann_volatility": sd * np.sqrt(TRADING_DAYS),
                       "sharpe": float(np.mean(chosen) / sd * np.sqrt(TRADING_DAYS)) if sd > 0
                       else float("nan")}
    return table


def _inputs(inputs: SpecInputs, claim: ScenarioClaim, signals: dict, rf: pd.Series
            ) -> tuple[np.ndarray, np.ndarray]:
    """(basket excess, scenario codes) per backtest session, the label from the close a rule
    deciding on it would have traded at (1 + lag sessions before the session's return)."""
    panel = inputs.run.panel
    delay = 1 + inputs.run.spec.execution.lag_days
    prices = panel.sleeve_prices[claim.sleeves].iloc[panel.start_position:]
    basket = prices.pct_change(fill_method=None).mean(axis=1, skipna=True)
    excess = (basket - rf).to_numpy()
    pace = inputs.signal(claim.pace_signal,
                         signals.get(claim.pace_signal)).shift(delay).to_numpy(float)
    stance = (None if claim.stance_signal is None else inputs.signal(
        claim.stance_signal, signals.get(claim.stance_signal)).shift(delay).to_numpy(dtype=object))
    codes = classify(pace, stance, claim)
    codes[:delay] = -1                              # no label traded before the first closes
    codes[np.isnan(excess)] = -1
    return excess, codes


def _judge(table: dict, claim: ScenarioClaim) -> dict:
    judged = [name for name in ("C", "A", "B") if table[name]["sessions"] >= claim.min_sessions]
    means = [table[name]["ann_mean_excess"] for name in judged]
    too_few = [f"{name}: {table[name]['sessions']} sessions" for name in SCENARIO_ROWS
               if table[name]["sessions"] < claim.min_sessions]
    return {"judged_scenarios": judged, "too_few_sessions": too_few,
            "ordering_holds": bool(all(x < y for x, y in zip(means, means[1:]))),
            "enough_data": bool(table["B"]["sessions"] >= claim.min_sessions
                                and table["none"]["sessions"] >= claim.min_sessions)}


def evaluate_scenario_claim(inputs: SpecInputs, claim: ScenarioClaim, section: VerdictSection
                            ) -> dict:
    """The primary's table and B-minus-none gap, and every specification's gap (module
    docstring); the label is decided later."""
    rf = inputs.run.risk_free_returns()
    variants = variants_of(claim.specifications)
    claims = [claim if v.primary else ScenarioClaim.model_validate(
        {**claim.model_dump(exclude={"specifications"}), **v.spec.params}) for v in variants]
    built = [_inputs(inputs, c, v.spec.signals, rf) for c, v in zip(claims, variants)]
    values = np.column_stack([excess for excess, _ in built])
    codes = np.column_stack([code for _, code in built])
    gaps = bootstrap_mean_gaps(values, codes, LARGE, NONE, section.n_boot, section.mean_block,
                               section.confidence, section.seed)
    rows = []
    for variant, spec_claim, (excess, code), gap in zip(variants, claims, built, gaps):
        table = scenario_table(excess[code >= 0], code[code >= 0])
        judged = _judge(table, spec_claim)
        rows.append({"name": variant.name, "about": variant.about, "primary": variant.primary,
                     "sessions": {name: row["sessions"] for name, row in table.items()},
                     **gap, **judged, "table": table})
    primary = rows[0]
    excluded = int((built[0][1] < 0).sum())
    metrics = {"by_scenario": primary["table"], "sessions_excluded_unknown_pace": excluded,
               "b_minus_none": {k: primary[k] for k in ("ann_mean_gap", "ci_low", "ci_high",
                                                        "p_value", "confidence")},
               **{k: primary[k] for k in ("judged_scenarios", "too_few_sessions",
                                          "ordering_holds", "enough_data")},
               "classifier": claim.pace_signal, "qe": claim.qe}
    specifications = [{k: v for k, v in row.items() if k != "table"} for row in rows]
    return {"metrics": metrics, "specifications": specifications}
