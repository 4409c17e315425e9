"""Shared fixtures. Every test runs behind a network guard: all proxy variables point at a closed
local port, so an unpatched network call fails at once instead of reaching out or hanging. And
every test runs away from the user's data: HOME, XDG_CACHE_HOME and LIQBT_CACHE_DIR point into a
temporary folder of this test process (runs consult the cache before the bundled snapshot), and
LIQBT_SNAPSHOT is unset.

Real data comes from the snapshot bundled with the package (`snapshot`), so the suite needs
nothing beside the repository. `shared_snapshot` is a full snapshot directory for extra checks
(the bundle against the snapshot it was built from): `LIQBT_FULL_SNAPSHOT=DIR`, else the
maintainers' ../shared/data when it is there; they skip without one, or with
LIQBT_TESTS_WITHOUT_SHARED=1 (to try the suite as a fresh clone sees it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
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
os.environ.pop("LIQBT_SNAPSHOT", None)
TEST_HOME = Path(tempfile.mkdtemp(prefix="liqbt-test-home-"))
atexit.register(shutil.rmtree, TEST_HOME, ignore_errors=True)
os.environ["HOME"] = str(TEST_HOME)
os.environ["XDG_CACHE_HOME"] = str(TEST_HOME / ".cache")
os.environ["LIQBT_CACHE_DIR"] = str(TEST_HOME / ".cache" / "liqbt")
SHARED_DATA = REPO.parent / "shared" / "data"


def snapshot_dir() -> Path:
    """The real snapshot the tests read: the one bundled with the package."""
    from feeds.bundle import BUNDLED_DIR, MANIFEST

    if not (BUNDLED_DIR / MANIFEST).is_file():
        pytest.fail(f"the bundled snapshot is missing ({BUNDLED_DIR}): rebuild it with "
                    "`python scripts/rebuild_bundled_snapshot.py DIR`")
    return BUNDLED_DIR


def shared_snapshot_dir() -> Path | None:
    """LIQBT_FULL_SNAPSHOT, else ../shared/data, when it is there and not switched off
    (LIQBT_TESTS_WITHOUT_SHARED=1)."""
    full = Path(os.environ.get("LIQBT_FULL_SNAPSHOT") or SHARED_DATA)
    if os.environ.get("LIQBT_TESTS_WITHOUT_SHARED") or not full.is_dir():
        return None
    return full


@pytest.fixture(scope="session")
def snapshot() -> Path:
    return snapshot_dir()


@pytest.fixture(scope="session")
def shared_snapshot() -> Path:
    path = shared_snapshot_dir()
    if path is None:
        pytest.skip("extra check on a full snapshot: set LIQBT_FULL_SNAPSHOT=DIR to run it")
    return path


@pytest.fixture(scope="session")
def real_panel(snapshot):
    """A panel over the real snapshot with a few sleeves, backtest from 2008."""
    from feeds.instruments import TickerInstrument
    from feeds.panel import PointInTimePanel
    from feeds.snapshot import SnapshotSource

    instruments = {"equities": TickerInstrument(ticker="SPY"), "gold": TickerInstrument(ticker="GLD"),
                   "treasuries": TickerInstrument(ticker="IEF")}
    return PointInTimePanel(SnapshotSource(snapshot), instruments, start=pd.Timestamp("2008-01-02"))
