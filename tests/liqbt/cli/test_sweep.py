"""`liqbt sweep` from the command line: the output files, page and Markdown summary (also in
GITHUB_STEP_SUMMARY), --resume, a failed gate (exit 3, after every output), --no-gates, the plan
of a sharded sweep, and bad `sweep:` / `walk_forward:` sections and option combinations as one
line each with exit code 2."""

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


GATED = SWEEP_CONFIG.replace("  parity_samples: 3\n", "  parity_samples: 3\n"
                             "  gates: {deflated_sharpe_min: 0.95, pbo_max: 0.5}\n")


def liqbt(*args: str, snapshot: Path | None = None, **extra_env: str
          ) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": os.environ["HOME"], **extra_env}
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
    """The small sweep with a gate it fails, run with --no-gates in a "CI job"."""
    folder = tmp_path_factory.mktemp("cli_sweep")
    config = write_config(folder, GATED)
    out = folder / "out"
    job_summary = folder / "step_summary.md"
    job_summary.write_text("## an earlier step\n")
    done = liqbt("sweep", str(config), "--out", str(out), "--no-gates", snapshot=snapshot,
                 GITHUB_STEP_SUMMARY=str(job_summary))
    assert done.returncode == 0, done.stderr
    return config, out, done


def test_sweep_writes_its_files_and_page(cli_sweep):
    _, out, done = cli_sweep
    for name in ("sweep.parquet", "sweep.csv", "sweep_summary.json", "sweep_summary.md",
                 "sweep.html", "walk_forward.csv", "walk_forward_returns.csv"):
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
    assert summary["gates"] == {"checked": False, "passed": None, "results": []}


def test_sweep_summary_md_is_what_the_reviewer_reads_and_goes_to_the_job_summary(cli_sweep):
    _, out, _ = cli_sweep
    markdown = (out / "sweep_summary.md").read_text()
    summary = json.loads((out / "sweep_summary.json").read_text())
    params = ", ".join(f"{k} = {v:g}" for k, v in summary["best"]["params"].items())
    assert markdown.startswith("## Sweep of `gold` (small_sweep)\n\n**Gates: not checked**")
    assert f"(combination {summary['best']['combo']}): **{params}**" in markdown
    for text in ("| deflated Sharpe | 0.919 |", "| PBO | 0.029 |", "### In- vs out-of-sample",
                 "| out-of-sample (stitched) |", "### Top 10 by sharpe (of 12 eligible)"):
        assert text in markdown, text
    top = [line for line in markdown.splitlines() if line.startswith("| ")][-10:]
    assert top[0].startswith(f"| {summary['best']['combo']} | ")
    job_summary = (out.parent / "step_summary.md").read_text()
    assert job_summary == "## an earlier step\n\n" + markdown


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


def test_resume_after_a_finished_sweep_recomputes_nothing_and_a_failed_gate_exits_3(cli_sweep,
                                                                                   snapshot):
    config, out, _ = cli_sweep
    before = (out / "sweep.csv").read_bytes()
    done = liqbt("sweep", str(config), "--out", str(out), "--resume", snapshot=snapshot)
    assert done.returncode == 3, done.stderr
    assert "resuming: 4 of 4 chunks already done" in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "liqbt: gate failed: deflated_sharpe_min: deflated_sharpe 0.919339, minimum 0.95")
    assert (out / "sweep.csv").read_bytes() == before
    gates = json.loads((out / "sweep_summary.json").read_text())["gates"]
    assert gates["passed"] is False and [r["passed"] for r in gates["results"]] == [False, True]
    assert "**Gates: ❌ 1 of 2 failed**" in (out / "sweep_summary.md").read_text()


def test_plan_prints_one_json_line_usable_as_a_matrix(tmp_path, monkeypatch, capsys):
    from liqbt.cli import main

    config = write_config(tmp_path)
    monkeypatch.setattr(sys, "argv", ["liqbt", "sweep", str(config), "--plan", "--shards", "3"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    (line,) = capsys.readouterr().out.splitlines()      # chunks 0..3 of 5, 5, 5, 3 combinations
    assert json.loads(line) == {"include": [
        {"shard": "1/3", "index": 1, "combos": 8, "chunks": 2, "chunk_size": 5},
        {"shard": "2/3", "index": 2, "combos": 5, "chunks": 1, "chunk_size": 5},
        {"shard": "3/3", "index": 3, "combos": 5, "chunks": 1, "chunk_size": 5}]}


@pytest.mark.parametrize("args, message", [
    (["--plan", "--shard", "1/2"], "--plan and --shard cannot go together"),
    (["--shards", "2"], "--shards N goes with --plan"),
    (["--merge-from", "x", "--resume"], "--merge-from does not compute chunks: drop --resume"),
    (["--plan", "--dask"], "--plan does not compute chunks: drop --dask"),
    (["--dask", "--scheduler", "tcp://h:8786"], "--dask starts a local cluster and --scheduler"),
    (["--scheduler", "tcp://h:8786", "--workers", "2"], "has its own workers: drop --workers"),
    (["--shard", "0/2"], "--shard '0/2': expected I/N with 1 <= I <= N"),
    (["--baseline", "missing.json"], "--baseline missing.json: cannot read it"),
])
def test_bad_option_combinations_are_one_line_exit_2(tmp_path, monkeypatch, capsys, args,
                                                     message):
    config = write_config(tmp_path)
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), *args)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("liqbt: error: ") and message in lines[0], lines[0]


@pytest.mark.parametrize("how", ["--scheduler", "DASK_SCHEDULER_ADDRESS"])
def test_an_unreachable_scheduler_is_one_line_exit_2(tmp_path, monkeypatch, capsys, snapshot,
                                                     how):
    """Both ways of naming the scheduler reach the client; the cluster itself is tested with
    real processes in tests/backtests/sweep/test_cluster.py."""
    config = write_config(tmp_path, SWEEP_CONFIG.replace("  chunk: 5\n",
                                                         "  chunk: 5\n  cluster_timeout_s: 1\n"))
    address = f"tcp://127.0.0.1:{9 if how == '--scheduler' else 7}"
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:7")
    flag = ["--scheduler", address] if how == "--scheduler" else []
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--snapshot",
                           str(snapshot), "--out", str(tmp_path / "out"), *flag)
    assert code == 2 and lines[-1].startswith(
        f"liqbt: error: cannot reach the dask scheduler at {address} within 1 s ("), lines
    assert any(line.endswith(f"rising_above) on {address}") for line in lines), lines
    assert not (tmp_path / "out" / "sweep.csv").exists()


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
    (("parity_samples: 3", "parity_samples: 3\n  gates: {pbo_max: 1.5}"), "sweep.gates.pbo_max",
     "less than or equal to 1"),
    (("parity_samples: 3", "parity_samples: 3\n  gates: {dsr_min: 0.9}"), "sweep.gates.dsr_min",
     "allowed keys here: deflated_sharpe_min"),
    (("  parity_samples: 3\nwalk_forward: {train: 504, test: 126, embargo: 5}",
      "  parity_samples: 3\n  gates: {oos_sharpe_min: 0.5}"), "sweep.gates.oos_sharpe_min",
     "the out-of-sample Sharpe comes from the walk-forward; add a walk_forward: section"),
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
