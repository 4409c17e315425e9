"""The manifest lists every data-quality issue found and every sleeve closed by design."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from feeds.instruments import InverseInstrument, TickerInstrument
from feeds.panel import PointInTimePanel
from reports.manifest import ConfigRecord, build_manifest
from tests.fakes import MemorySource, business_days


def test_manifest_lists_quality_issues_and_closures():
    dates = business_days("2020-03-02", 6)
    source = MemorySource(prices={"VOL": pd.Series([10, 10, 25, 24, 24, 24.0], index=dates),
                                  "SPY": pd.Series(300.0, index=dates)})
    universe = {"equities": TickerInstrument(ticker="SPY"), "short_vol": InverseInstrument(
        inverse_of="VOL")}
    panel = PointInTimePanel(source, universe)
    manifest = build_manifest(SimpleNamespace(panel=panel),
                              ConfigRecord("t", Path("t.yaml"), "0" * 64, {"name": "t"}))
    (issue,) = manifest["data_quality"]
    assert (issue["id"], issue["check"], issue["date"], issue["action"]) == (
        "VOL", "jump", "2020-03-04", "warn")
    assert manifest["sleeve_closures"]["short_vol"]["date"] == "2020-03-04"
