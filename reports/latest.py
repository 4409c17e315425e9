"""Where the run stands now: each configured signal's last value and the session it became known,
the liquidity regime and the Fed's stance and pace, and every strategy's current target weights
with the close they were decided at.

    state = latest_state(result)        # plain data, from a backtests.results.RunResult
    latest_html(state)                  # the panel on index.html
    latest_markdown(state)              # the same as a Markdown section (for summary.md)

"Known since" is the first session of the run of equal values that ends at the last value: the
close at which today's value was first public (a weekly H.4.1 z-score changes on Fridays, a regime
label when it flips). Values are those of the run's signals, as known at each close.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports import formats
from reports.markdown import table
from signals import compute_signal, get_signal

WEIGHT_EPSILON = 1e-9
DATA_FREE_CADENCES = ("policy", "calendar")
HEADLINES = (("liquidity_regime", "Liquidity regime"),
             ("policy_stance", "Fed balance-sheet stance"), ("pace_in_effect", "Pace in effect"))


@dataclass(frozen=True)
class SignalNow:
    """One signal's latest value: `as_of` the last session with a value, `since` the session
    that value was first known (see the module docstring)."""

    name: str
    fn: str
    value: float | str | None
    text: str
    as_of: str
    since: str
    source: str = "configured"


@dataclass(frozen=True)
class StrategyNow:
    """A strategy's latest decision: target weights by sleeve (zero weights left out), the close
    it was decided at, and the session it trades at (None while that session is still ahead)."""

    name: str
    decided: str
    trades: str | None
    weights: dict[str, float]

    @property
    def uninvested(self) -> float:
        return 1.0 - sum(self.weights.values())


@dataclass(frozen=True)
class LatestState:
    last_session: str
    regime: SignalNow | None
    stance: SignalNow | None
    pace: SignalNow | None
    signals: tuple[SignalNow, ...]
    strategies: tuple[StrategyNow, ...]


def run_signal(result, fn: str) -> tuple[pd.Series | None, str | None]:
    """The run's signal computed by `fn` over the backtest sessions and its config name: the
    configured one when the config has it (first in config order); else, for signals read off
    the shipped policy calendar or the business-day calendar (no data file: nothing the manifest
    would miss), `fn` with default parameters and None; else (None, None)."""
    for name, section in result.spec.signals.items():
        if section.fn == fn and name in result.signals:
            return result.signals[name], name
    if get_signal(fn).cadence not in DATA_FREE_CADENCES:
        return None, None
    panel = result.panel
    return compute_signal(panel, fn).iloc[panel.start_position:], None


def signal_now(series: pd.Series, name: str, fn: str, source: str = "configured"
               ) -> SignalNow | None:
    """The last value of `series` (None when it has none) and the first session of its run."""
    known = series.dropna()
    if known.empty:
        return None
    values = known.astype(object).to_numpy()
    last = values[-1]
    run_start = len(values) - 1
    while run_start > 0 and values[run_start - 1] == last:
        run_start -= 1
    value = last if isinstance(last, str) else float(last)
    return SignalNow(name, fn, value, formats.signal_unit(fn).format(value),
                     str(known.index[-1].date()), str(known.index[run_start].date()), source)


def strategy_now(name: str, backtest, lag_days: int) -> StrategyNow | None:
    """The last decision of a `backtests.engine.BacktestResult` (None when it never decided)."""
    targets = backtest.target_weights
    decisions = np.flatnonzero(targets.notna().to_numpy().any(axis=1))
    if not len(decisions):
        return None
    row = targets.iloc[decisions[-1]].fillna(0.0)
    decided = targets.index[decisions[-1]]
    sessions = backtest.returns.index
    position = sessions.get_indexer([decided])[0]
    trades = (str(sessions[position + lag_days].date())
              if 0 <= position and position + lag_days < len(sessions) else None)
    weights = {sleeve: float(w) for sleeve, w in row.sort_values(ascending=False).items()
               if abs(w) > WEIGHT_EPSILON}
    return StrategyNow(name, str(decided.date()), trades, weights)


def latest_state(result) -> LatestState:
    """The latest state of a `backtests.results.RunResult` (see the module docstring)."""
    spec = result.spec
    configured = tuple(s for name, section in spec.signals.items() if name in result.signals
                       if (s := signal_now(result.signals[name], name, section.fn)) is not None)

    def headline(fn: str) -> SignalNow | None:
        series, name = run_signal(result, fn)
        if series is None:
            return None
        return signal_now(series, name or fn, fn,
                          "configured" if name else f"{fn}, default parameters")

    strategies = tuple(s for name, backtest in result.strategies.items()
                       if (s := strategy_now(name, backtest, spec.execution.lag_days)) is not None)
    sessions = result.panel.sessions
    return LatestState(str(sessions[-1].date()), *(headline(fn) for fn, _ in HEADLINES),
                       configured, strategies)


def _weights_text(strategy: StrategyNow) -> str:
    parts = [f"{sleeve} {formats.percent(w, 1)}" for sleeve, w in strategy.weights.items()]
    if abs(strategy.uninvested) > 1e-6:
        parts.append(f"uninvested {formats.percent(strategy.uninvested, 1)}")
    return ", ".join(parts) or "nothing held"


def _trades_text(strategy: StrategyNow) -> str:
    return strategy.trades or "the next session (after the data)"


def _headline_text(item: SignalNow | None, what: str, fn: str) -> str:
    if item is None:
        return f"{what}: not in this run (configure a signal with fn {fn} to see it here)"
    source = "" if item.source == "configured" else f" ({item.source})"
    return f"{what} {item.text}{source} since {item.since} (as of {item.as_of})"


def _headlines(state: LatestState) -> tuple[SignalNow | None, ...]:
    return state.regime, state.stance, state.pace


def latest_markdown(state: LatestState, level: int = 2) -> str:
    """The panel as a Markdown section (heading `level`): headline, signals table, strategies
    table."""
    parts = [f"{'#' * level} Where it stands now (close of {state.last_session})",
             "\n".join(f"- {_headline_text(item, what, fn)}" for item, (fn, what)
                       in zip(_headlines(state), HEADLINES))]
    if state.signals:
        parts.append(table(("signal", "value", "known since", "as of"),
                           [(s.name, s.text, s.since, s.as_of) for s in state.signals], "lrll"))
    if state.strategies:
        parts.append(table(("strategy", "target weights", "decided at the close of",
                            "trades at the close of"),
                           [(s.name, _weights_text(s), s.decided, _trades_text(s))
                            for s in state.strategies], "llll"))
    return "\n\n".join(parts) + "\n"


def latest_html(state: LatestState) -> str:
    """The panel on index.html (<section id="latest">)."""
    esc = html.escape
    heads = "".join(f"<li>{esc(_headline_text(item, what, fn))}</li>"
                    for item, (fn, what) in zip(_headlines(state), HEADLINES))
    signals = "".join(
        f"<tr><td>{esc(s.name)}</td><td>{esc(s.text)}</td><td>{s.since}</td><td>{s.as_of}</td></tr>"
        for s in state.signals)
    strategies = "".join(
        f"<tr><td>{esc(s.name)}</td><td>{esc(_weights_text(s))}</td><td>{s.decided}</td>"
        f"<td>{esc(_trades_text(s))}</td></tr>" for s in state.strategies)
    parts = [f'<section id="latest"><h2>Where it stands now (close of {state.last_session})</h2>'
             f"<ul>{heads}</ul>"]
    if signals:
        parts.append('<table id="latest-signals"><thead><tr><th>signal</th><th>value</th>'
                     "<th>known since</th><th>as of</th></tr></thead>"
                     f"<tbody>{signals}</tbody></table>")
    if strategies:
        parts.append('<table id="latest-weights"><thead><tr><th>strategy</th>'
                     "<th>target weights</th><th>decided at the close of</th>"
                     f"<th>trades at the close of</th></tr></thead><tbody>{strategies}</tbody>"
                     "</table>")
    return "".join(parts) + "</section>"
