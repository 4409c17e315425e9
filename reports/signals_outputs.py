"""The output contract of `liqbt signals` (DESIGN.md):

    OUT/signals.csv   `date`, then one column per configured signal (config names), each value as
                      known at that date's close, over the config's backtest window
    OUT/signals.html  one chart per signal with regime shading and policy announcements (offline)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.atomic import write_text_atomic
from feeds.errors import DataError
from feeds.panel import PointInTimePanel
from reports.manifest import ConfigRecord, panel_manifest
from reports.pages import PageLink, RunReport
from reports.plotly_assets import plotly_script_tag
from reports.signals_page import SignalInfo, render_signals_page
from signals import SignalSection, compute_signal, get_signal
from signals.policy_data import known_from_positions, policy_events

Progress = Callable[[str], None]
REGIME_SIGNAL = "liquidity_regime"


def signals_frame(signals: dict[str, pd.Series], panel: PointInTimePanel) -> pd.DataFrame:
    """Configured signals over the backtest window (warm-up sessions dropped), indexed by `date`."""
    frame = pd.DataFrame(signals, index=panel.sessions).iloc[panel.start_position:]
    frame.index.name = "date"
    return frame


def usable_events(panel: PointInTimePanel, window: pd.DatetimeIndex) -> pd.DataFrame:
    """Policy-change announcements (markers left out) with the session each became usable, inside
    `window`."""
    events = policy_events()
    events = events.loc[~events["marker"]].reset_index(drop=True)
    position = known_from_positions(events, panel.sessions)
    inside = position < len(panel.sessions)
    events = events.loc[inside].copy()
    events["usable"] = panel.sessions[position[inside]]
    events["release_time"] = [t.strftime("%H:%M") if t is not None else "?"
                              for t in events["release_time_et"]]
    return events.loc[(events["usable"] >= window[0]) & (events["usable"] <= window[-1])]


def _regime(specs: dict[str, SignalSection], panel: PointInTimePanel,
            signals: dict[str, pd.Series]) -> tuple[pd.Series, str]:
    for name, section in specs.items():
        if section.fn == REGIME_SIGNAL:
            return signals[name], f"configured signal '{name}'"
    return compute_signal(panel, REGIME_SIGNAL), f"{REGIME_SIGNAL} with default parameters"


def write_signals_outputs(specs: dict[str, SignalSection], title: str, config: ConfigRecord,
                          panel: PointInTimePanel, signals: dict[str, pd.Series], out_dir: Path,
                          progress: Progress = lambda message: None,
                          manifest: dict | None = None) -> pd.DataFrame:
    """Write signals.csv and signals.html (+ the shared assets/plotly-*.min.js) for the signals
    `specs` (config name -> spec) computed as `signals`; returns the CSV's frame. `manifest`: the
    run's, when part of `liqbt run`."""
    frame = signals_frame(signals, panel)
    if frame.empty:
        raise DataError(f"{config.path}: the backtest window has no sessions; check data.start "
                        "and data.end")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out_dir / "signals.csv", frame.to_csv(float_format="%.10g"))
    progress("rendering signals.html")
    regime, regime_source = _regime(specs, panel, signals)
    infos = [SignalInfo(name, section.fn, dict(section.params), get_signal(section.fn).doc)
             for name, section in specs.items()]
    events = usable_events(panel, frame.index)
    if manifest is None:
        manifest = panel_manifest(config, panel, frame.index)
    page = render_signals_page(frame, infos, regime.loc[frame.index], regime_source, events,
                               title, manifest, plotly_script_tag(out_dir))
    write_text_atomic(out_dir / "signals.html", page)
    return frame


def write_signals_page(run: RunReport, out_dir: Path, manifest: dict) -> PageLink | None:
    """Page writer for `liqbt run` (reports/pages.py): signals.html + signals.csv of the run's
    configured signals, or None when the config has none."""
    specs = dict(run.result.spec.signals)
    if not specs:
        return None
    signals = {name: run.result.signals[name] for name in specs}
    write_signals_outputs(specs, run.title, run.config, run.result.panel, signals, out_dir,
                          manifest=manifest)
    return PageLink("Signals", "signals.html",
                    f"the {len(signals)} configured signals as known at each close, with liquidity-"
                    "regime shading and Fed announcements (data: signals.csv)")

