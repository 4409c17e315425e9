"""`liqbt sweep` from the command line: the output files and page, --resume, and bad `sweep:` /
`walk_forward:` sections as one line each with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.sweep_fixtures import SWEEP_CONFIG, write_config
from tests.html_checks import parse_page

REPO = Path(__file__).resolve().parents[3]


def liqbt(*args: str, snapshot: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": os.environ["HOME"]}
    if snapshot is not None:
        env["LIQBT_SNAPSHOT"] = str(snapshot)
    return subprocess.run([sys.executable, "-m", "liqbt", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, list[str]]:
    """`liqbt ARGS` in this process (same error handling as the console script)."""
    from liqbt.cli import main

    monkeypatch.setattr(sys, "argv", ["liqbt", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    return exited.value.code, capsys.readouterr().err.strip().splitlines()


@pytest.fixture(scope="module")
def cli_sweep(tmp_path_factory, snapshot):
    folder = tmp_path_factory.mktemp("cli_sweep")
    config = write_config(folder)
    out = folder / "out"
    done = liqbt("sweep", str(config), "--out", str(out), snapshot=snapshot)
    assert done.returncode == 0, done.stderr
    return config, out, done


def test_sweep_writes_its_files_and_page(cli_sweep):
    _, out, done = cli_sweep
    for name in ("sweep.parquet", "sweep.csv", "sweep_summary.json", "sweep.html",
                 "walk_forward.csv", "walk_forward_returns.csv"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns[:4]) == ["combo", "base_weight", "overweight", "rising_above"]
    assert {"total_return", "cagr", "sharpe", "sortino", "max_drawdown", "calmar", "volatility",
            "turnover"} <= set(table.columns)
    assert table.equals(pd.read_parquet(out / "sweep.parquet").astype(table.dtypes))
    summary = json.loads((out / "sweep_summary.json").read_text())
    for key in ("combos", "combos_per_s", "best", "deflated_sharpe", "pbo", "parity_max_rel",
                "n_eligible", "metric", "seed", "chunks", "walk_forward"):
        assert key in summary, key
    assert summary["walk_forward"]["out_of_sample"]["sharpe"] is not None
    assert "combos/s" in done.stderr                     # the progress bar's rate
    assert "deflated Sharpe" in done.stdout and "PBO" in done.stdout


def test_sweep_page_is_offline_and_has_its_parts(cli_sweep):
    _, out, _ = cli_sweep
    page = (out / "sweep.html").read_text()
    parsed = parse_page(page)
    # plotly.js is the folder's one local copy: the page opens offline
    (asset,) = (out / "assets").glob("plotly-*.min.js")
    assert parsed.external == [f"script src=assets/{asset.name}"]
    assert {"sweep-heatmap", "top", "bottom", "pbo-histogram", "parity", "walk-forward-metrics",
            "walk-forward-windows", "liqbt-manifest"} <= parsed.ids
    assert parsed.charts == ["sweep-equity", "sweep-heatmap", "sweep-grid", "pbo-histogram"]
    assert "held at the winner&#x27;s values (rising_above = " in page


def test_resume_after_a_finished_sweep_recomputes_nothing(cli_sweep, snapshot):
    config, out, _ = cli_sweep
    before = (out / "sweep.csv").read_bytes()
    done = liqbt("sweep", str(config), "--out", str(out), "--resume", snapshot=snapshot)
    assert done.returncode == 0, done.stderr
    assert "resuming: 4 of 4 chunks already done" in done.stderr
    assert (out / "sweep.csv").read_bytes() == before


@pytest.mark.parametrize("edit, where, message", [
    (("strategy: gold\n  grid", "strategy: golden\n  grid"), "sweep.strategy",
     "unknown strategy 'golden'; configured strategies: gold"),
    (("grid: {base_weight", "grid: {gold_sleeve: [1], base_weight"), "sweep.grid.gold_sleeve",
     "not a numeric parameter of this rule"),
    (("overweight: [0.2, 0.4, 0.6]", "overweight: [0.2, 1.4]"), "sweep.grid.overweight",
     "value 1.4"),
    (("metric: sharpe", "metric: alpha"), "sweep.metric", "Input should be"),
    (("pbo_splits: 8", "pbo_splits: 7"), "sweep", "pbo_splits must be even"),
    (("{max_drawdown_above: -0.15}", "{drawdown_above: -0.15}"),
     "sweep.constraints.drawdown_above", "allowed keys here: total_return_above"),
    (("metric: sharpe", "metric: turnover"), "walk_forward", "cannot score turnover"),
    (("embargo: 5}", "embargo: -1}"), "walk_forward.embargo", "greater than or equal to 0"),
    (("walk_forward:", "event_study: {sleeves: [gld]}\nwalk_forward:"), "event_study.sleeves.0",
     "unknown sleeve 'gld'; the universe has: equities, gold, treasuries"),
])
def test_bad_sweep_sections_are_one_line_exit_2(tmp_path, monkeypatch, capsys, edit, where,
                                                message):
    assert edit[0] in SWEEP_CONFIG
    config = write_config(tmp_path, SWEEP_CONFIG.replace(*edit))
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--out", str(tmp_path))
    assert code == 2 and len(lines) == 1, lines
    assert f": {where}: " in lines[0] and message in lines[0], lines[0]
    assert lines[0].startswith(f"{config}:")


def test_a_config_without_a_sweep_section_is_one_line_exit_2(tmp_path, snapshot):
    text = SWEEP_CONFIG[: SWEEP_CONFIG.index("sweep:")]
    done = liqbt("sweep", str(write_config(tmp_path, text)), snapshot=snapshot)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"liqbt: error: {tmp_path / 'sweep.yaml'}: no sweep: section; add one with strategy, "
        "grid and metric (example in liqbt/configs/article.yaml)"]
