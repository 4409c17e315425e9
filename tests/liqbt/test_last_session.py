"""A run on data through t reaches t: the T-bill sleeve's H.15 lag (DTB3 of t-1 is published after
the close of t) never cuts the run's sessions; the bills accrue at the last rate known."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from feeds.catalog import CATALOG
from feeds.release import first_usable_session
from liqbt.config import load_config
from liqbt.run import run_backtest

ARTICLE = Path(__file__).resolve().parents[2] / "liqbt" / "configs" / "article.yaml"
CUT = pd.Timestamp("2025-12-10")


def snapshot_as_published(snapshot: Path, out: Path, t: pd.Timestamp) -> Path:
    """A copy of the snapshot holding what was public at the close of t: prices through t, each
    series' observations whose release rule makes them public by t's close (written as CSV, the
    layout of a user's snapshot folder, whatever the source's format)."""
    sessions = pd.bdate_range("1990-01-01", t + pd.Timedelta(days=10))
    for file in sorted([*snapshot.glob("*/*.csv"), *snapshot.glob("*/*.parquet")]):
        frame = (pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file))
        frame["date"] = pd.to_datetime(frame["date"])
        spec = CATALOG.get(file.stem)
        if file.parent.name == "prices" or spec is None:
            keep = frame["date"] <= t
        else:
            stamps = pd.DatetimeIndex(frame["date"])
            position = first_usable_session(stamps, spec.release, sessions)
            keep = position < sessions.searchsorted(t, side="right")
        target = out / file.parent.name / f"{file.stem}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        frame[keep].to_csv(target, index=False, date_format="%Y-%m-%d")
    return out


def test_a_run_on_data_published_through_2025_12_10_ends_on_2025_12_10(snapshot, tmp_path):
    published = snapshot_as_published(snapshot, tmp_path / "snapshot", CUT)
    dtb3 = pd.read_csv(published / "fred" / "DTB3.csv", parse_dates=["date"])
    assert dtb3["date"].iloc[-1] == pd.Timestamp("2025-12-08")      # H.15: two sessions behind
    config = load_config(ARTICLE).model_copy(update={"verdict": None})
    result = run_backtest(config, published)
    assert result.panel.sessions[-1] == CUT
    assert {m["end"] for m in result.summary.values()} == {"2025-12-10"}
    cash = result.panel.sleeve_prices["cash"]
    assert cash.loc["2025-12-10"] > cash.loc["2025-12-09"] > cash.loc["2025-12-08"]
