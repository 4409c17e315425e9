"""`liqbt signals` and `liqbt events` end to end: the signals.csv contract, listing, the calendar,
and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from signals import SIGNALS, compute_signal

REPO = Path(__file__).resolve().parents[3]
CONFIGURED = {"reserves_z": ("reserves_change_z", {"weeks": 4, "z_weeks": 52}),
              "sofr_iorb": ("sofr_iorb_bp", {}),
              "pace": ("pace_in_effect", {}),
              "net_liq_daily": ("net_liquidity_usd_bn", {"tga": "daily"}),
              "regime": ("liquidity_regime", {"trend": "net_liquidity"})}


def liqbt(*args: str, env_extra: dict | None = None, cwd: Path = REPO
          ) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": os.environ["HOME"],
           **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "liqbt", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def signals_run(tmp_path_factory, snapshot) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("signals")
    config = {"name": "signals_check", "data": {"start": "2019-01-02"},
              "universe": {"equities": "SPY"},
              "signals": {name: {"fn": fn, "params": params}
                          for name, (fn, params) in CONFIGURED.items()},
              "strategies": [{"name": "hold", "rule": "buy_and_hold", "rebalance": "once",
                              "params": {"sleeve": "equities"}}]}
    config_path = folder / "signals.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    done = liqbt("signals", str(config_path), "--snapshot", str(snapshot), "--out",
                 str(folder / "out"))
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    return config_path, folder / "out"


def test_signals_csv_follows_the_contract(signals_run, snapshot):
    _, out = signals_run
    frame = pd.read_csv(out / "signals.csv", index_col="date", parse_dates=["date"])
    assert list(frame.columns) == list(CONFIGURED)
    assert frame.index[0] == pd.Timestamp("2019-01-02") and frame.index.is_monotonic_increasing
    from feeds.instruments import TickerInstrument
    from feeds.panel import PointInTimePanel
    from feeds.snapshot import SnapshotSource

    panel = PointInTimePanel(SnapshotSource(snapshot), {"equities": TickerInstrument(ticker="SPY")},
                             start=pd.Timestamp("2019-01-02"))
    assert frame.index.equals(panel.sessions[panel.start_position:])
    for name, (fn, params) in CONFIGURED.items():
        expected = compute_signal(panel, fn, params).iloc[panel.start_position:]
        if expected.dtype.kind == "f":
            pd.testing.assert_series_equal(frame[name], expected, check_names=False,
                                           check_index_type=False, check_freq=False,
                                           check_dtype=False, rtol=1e-9)
        else:
            assert list(frame[name].astype(str)) == list(expected.astype(str)), name
    assert frame.loc["2019-09-18", "sofr_iorb"] == 315.0
    assert frame.loc["2019-09-18", "regime"] == "stress"


def test_signals_html_is_written_beside_the_csv(signals_run):
    _, out = signals_run
    page = (out / "signals.html").read_text()
    assert page.count('class="plotly-graph-div"') == len(CONFIGURED)


def test_list_names_every_registered_signal_with_its_params():
    done = liqbt("signals", "--list")
    assert done.returncode == 0, done.stderr
    for name in SIGNALS:
        assert f"\n{name}  [" in "\n" + done.stdout
    assert "stress_bp: float | None = 15.0" in done.stdout


def test_events_prints_the_calendar_by_kind():
    done = liqbt("events", "--kind", "RMP")
    assert done.returncode == 0, done.stderr
    assert "RMP2025_announce" in done.stdout and "RMP2019_announce" in done.stdout
    assert "QT2_full_pace" not in done.stdout
    assert "RMP_directive_reaffirmed_Jan2026" not in done.stdout  # a marker row
    assert "RMP_directive_reaffirmed_Jan2026" in liqbt("events", "--all").stdout


@pytest.mark.parametrize("args, message", [
    (("events", "--kind", "QQ"), "--kind QQ: unknown kind"),
    (("signals",), "needs a CONFIG"),
])
def test_mistakes_are_one_line_and_exit_2(args, message):
    done = liqbt(*args)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_config_without_signals_is_refused(tmp_path, snapshot):
    config = tmp_path / "none.yaml"
    config.write_text("name: none\nuniverse: {equities: SPY}\nstrategies:\n"
                      "  - {name: hold, rule: buy_and_hold, rebalance: once, "
                      "params: {sleeve: equities}}\n")
    done = liqbt("signals", str(config), "--snapshot", str(snapshot), "--out", str(tmp_path))
    assert done.returncode == 2 and "no `signals:` section" in done.stderr
