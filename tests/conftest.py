"""Shared fixtures. Every test runs behind a network guard: all proxy variables point at a closed
local port, so an unpatched network call fails at once instead of reaching out or hanging."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
GUARD = "http://127.0.0.1:9"
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ[_name] = GUARD
for _name in ("NO_PROXY", "no_proxy"):
    os.environ.pop(_name, None)
os.environ.setdefault("MPLBACKEND", "Agg")


def snapshot_dir() -> Path:
    """The real snapshot (LIQBT_SNAPSHOT, else ../shared/data beside the repo)."""
    path = Path(os.environ.get("LIQBT_SNAPSHOT") or REPO.parent / "shared" / "data")
    if not path.is_dir():
        pytest.fail(f"real-data tests need the snapshot: set LIQBT_SNAPSHOT (tried {path})")
    return path


@pytest.fixture(scope="session")
def snapshot() -> Path:
    return snapshot_dir()


@pytest.fixture(scope="session")
def real_panel(snapshot):
    """A panel over the real snapshot with a few sleeves, backtest from 2008."""
    from feeds.instruments import TickerInstrument
    from feeds.panel import PointInTimePanel
    from feeds.snapshot import SnapshotSource

    instruments = {"equities": TickerInstrument(ticker="SPY"), "gold": TickerInstrument(ticker="GLD"),
                   "treasuries": TickerInstrument(ticker="IEF")}
    return PointInTimePanel(SnapshotSource(snapshot), instruments, start=pd.Timestamp("2008-01-02"))
