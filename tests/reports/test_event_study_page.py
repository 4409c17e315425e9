"""event_study.html from `liqbt event-study` and from `liqbt run` with an `event_study:` section:
the files, the mean-path charts per kind, the two RMP episodes, nothing fetched online."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from reports.event_study_page import write_event_study_page
from tests.html_checks import parse_page

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
name: events_check
data: {start: 2015-01-02}
universe: {equities: SPY, gold: GLD}
strategies:
  - {name: hold, rule: buy_and_hold, rebalance: once, params: {sleeve: equities}}
report: {tearsheets: false}
event_study: {kinds: [RMP, QT], before: 5, after: 21, n_boot: 200}
"""


def liqbt(*args: str, snapshot: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": os.environ["HOME"],
           "LIQBT_SNAPSHOT": str(snapshot)}
    return subprocess.run([sys.executable, "-m", "liqbt", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def config_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("events") / "events.yaml"
    path.write_text(CONFIG)
    return path


@pytest.fixture(scope="module")
def event_study_run(config_path, snapshot) -> Path:
    out = config_path.parent / "study"
    done = liqbt("event-study", str(config_path), "--kind", "RMP", "--before", "10", "--after",
                 "63", "--out", str(out), snapshot=snapshot)
    assert done.returncode == 0, done.stderr
    assert "RMP: 6 events in the data (1 partial)" in done.stdout
    return out


def test_event_study_command_writes_the_page_and_tidy_files(event_study_run):
    mean = pd.read_csv(event_study_run / "event_study_mean.csv")
    assert set(mean["kind"]) == {"RMP"} and set(mean["sleeve"]) == {"equities", "gold"}
    assert mean["offset"].min() == -10 and mean["offset"].max() == 63   # options override
    paths = pd.read_csv(event_study_run / "event_study_paths.csv", parse_dates=["day0"])
    assert {"2019-10-11", "2025-12-10"} <= set(paths["day0"].dt.strftime("%Y-%m-%d"))
    events = pd.read_csv(event_study_run / "event_study_events.csv")
    assert events.loc[events["partial"].astype(bool), "event"].tolist() == ["RMP_cut_to_10bn"]


def test_event_study_page_is_offline_with_kinds_and_episodes(event_study_run):
    parsed = parse_page((event_study_run / "event_study.html").read_text())
    (asset,) = (event_study_run / "assets").glob("plotly-*.min.js")
    assert parsed.external == [f"script src=assets/{asset.name}"]
    assert parsed.charts == ["episodes-RMP", "mean-RMP"]
    assert "events-RMP" in parsed.ids and "liqbt-manifest" in parsed.ids


def test_a_bad_kind_is_one_line_exit_2(config_path, snapshot):
    done = liqbt("event-study", str(config_path), "--kind", "QE5", snapshot=snapshot)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "liqbt: error: --kind QE5: unknown kind; use one of RMP, QE, QT, taper, facility"]


def test_liqbt_run_writes_the_page_when_the_config_asks(config_path, snapshot):
    out = config_path.parent / "run"
    done = liqbt("run", str(config_path), "--out", str(out), snapshot=snapshot)
    assert done.returncode == 0, done.stderr
    parsed = parse_page((out / "event_study.html").read_text())
    assert parsed.charts == ["episodes-RMP", "mean-RMP", "mean-QT"]
    mean = pd.read_csv(out / "event_study_mean.csv")
    assert mean["offset"].min() == -5 and mean["offset"].max() == 21


def test_no_section_no_page(tmp_path):
    run = SimpleNamespace(result=SimpleNamespace(spec=SimpleNamespace(event_study=None)))
    assert write_event_study_page(run, tmp_path, {}) is None
    assert list(tmp_path.iterdir()) == []
