"""Which series and tickers a run config reads: found by tracing, not by declaration.

The config's panel is built and each configured signal computed over a `feeds.tracing.
RecordingSource`; every series or ticker they ask for is an input (instruments included, whatever
they are made of). A signal that fails on synthetic data cannot be traced: then its inputs fall
back to `DEFAULT_SIGNAL_SERIES`, the liquidity core every built-in signal draws from, and the
caller is told which signal it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from feeds.catalog import spec_for
from feeds.origin import DataNeeds
from feeds.panel import PointInTimePanel
from feeds.tracing import RecordingSource
from liqbt.config import RunConfig
from signals import compute_signal

#: Balance sheet, TGA, ON RRP, repo rates against the administered rate, SRF take-up, VIX.
DEFAULT_SIGNAL_SERIES = ("WALCL", "WRESBAL", "WTREGEN", "RRPONTSYD", "SOFR", "SOFR99", "IORB",
                         "IOER", "SRF_USAGE", "VIX")


@dataclass
class DataInputs:
    """Catalog series ids and tickers a config needs; `untraced` lists signals that fell back."""

    series: list[str] = field(default_factory=list)
    tickers: list[str] = field(default_factory=list)
    untraced: dict[str, str] = field(default_factory=dict)


def config_inputs(config: RunConfig) -> DataInputs:
    """Trace `config`'s universe and signals (see module docstring)."""
    recorder = RecordingSource()
    start = pd.Timestamp(config.data.start) if config.data.start else None
    end = pd.Timestamp(config.data.end) if config.data.end else None
    # notes on the recorder's stand-in data would be said again, for real, by the run's panel
    panel = PointInTimePanel(recorder, config.universe, start, end, say_notes=False)
    untraced: dict[str, str] = {}
    for name, section in config.signals.items():
        try:
            compute_signal(panel, section.fn, section.params)
        except Exception as exc:  # noqa: BLE001 - reported, and covered by the default set
            untraced[name] = f"{type(exc).__name__}: {exc}"
    series = list(recorder.series)
    if untraced:
        series += [sid for sid in DEFAULT_SIGNAL_SERIES if sid not in series]
    for sid in series:
        spec_for(sid)  # every traced id must be a catalog series
    return DataInputs(series=series, tickers=list(recorder.tickers), untraced=untraced)


def config_needs(config: RunConfig) -> DataNeeds:
    """What `config` reads, as the data resolution asks it (feeds.resolve.open_source)."""
    inputs = config_inputs(config)
    return DataNeeds(series=tuple(spec_for(sid) for sid in inputs.series),
                     tickers=tuple(inputs.tickers))
