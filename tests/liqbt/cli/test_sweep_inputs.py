"""`liqbt sweep` under hostile or careless input on the surfaces of sharded and cluster sweeps:
options a mode would silently ignore, scheduler addresses, --merge-from folders. Each is one line
and exit code 2, said before any data is loaded where the input alone shows the problem."""

from __future__ import annotations

import pytest

from tests.liqbt.cli.test_sweep import run_main
from tests.sweep_fixtures import write_config


@pytest.mark.parametrize("args, message", [
    (["--plan", "--shards", "2", "--out", "o"], "--plan prints the shard matrix and writes "
                                                "nothing: drop --out"),
    (["--plan", "--baseline", "b.json"], "--plan prints the shard matrix and writes nothing: "
                                         "drop --baseline"),
    (["--plan", "--no-gates"], "drop --no-gates"),
    (["--shard", "1/2", "--baseline", "b.json"], "--shard computes chunks only; gates and "
                                                 "baselines are checked by --merge-from: drop "
                                                 "--baseline"),
    (["--shard", "1/2", "--no-gates"], "--shard computes chunks only"),
    (["--shard", "１/2"], "--shard '１/2': expected I/N with 1 <= I <= N <= 256"),
    (["--shard", "1/999999"], "expected I/N with 1 <= I <= N <= 256"),
    (["--scheduler", ""], "--scheduler '': not a dask scheduler address"),
    (["--scheduler", "http://x:80"], "unknown scheme 'http'"),
    (["--scheduler", "tcp://256.1.1.1:8786"], "256.1.1.1 is not an IPv4 address"),
])
def test_options_a_mode_would_ignore_and_bad_addresses_are_one_line(tmp_path, monkeypatch,
                                                                     capsys, args, message):
    """Before: --plan/--shard exited 0 ignoring --out/--baseline/--no-gates, `--scheduler ''`
    ran locally, a malformed address hung a minute and printed a traceback."""
    config = write_config(tmp_path)
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), *args)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("liqbt: error: ") and message in lines[0], lines[0]


def test_a_junk_dask_scheduler_address_in_the_environment_is_named(tmp_path, monkeypatch,
                                                                   capsys):
    config = write_config(tmp_path)
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "junk")
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--out",
                           str(tmp_path / "out"))
    assert code == 2 and lines == [
        "liqbt: error: DASK_SCHEDULER_ADDRESS 'junk': not a dask scheduler address (expected "
        "SCHEME://HOST:PORT, e.g. tcp://10.0.0.5:8786); pass the address `dask scheduler` "
        "prints"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("layout, message", [
    ("file", "not a folder"), ("empty", "no shard manifest (shard-I-of-N.json) below it"),
])
def test_a_merge_folder_without_shards_is_said_before_the_data_is_loaded(tmp_path, monkeypatch,
                                                                        capsys, layout, message):
    config = write_config(tmp_path)
    shards = tmp_path / "shards"
    shards.mkdir() if layout == "empty" else shards.write_text("x")
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--merge-from",
                           str(shards), "--out", str(tmp_path / "out"))
    assert code == 2 and lines == [f"liqbt: error: --merge-from {shards}: {message}"
                                   + lines[0].split(message, 1)[1]], lines


def test_a_shard_with_no_chunk_is_refused_not_an_empty_success(tmp_path, monkeypatch, capsys,
                                                               snapshot):
    """18 combinations in 20 shards: chunks of 1, so shard 19/20 has none (the plan lists 18)."""
    config = write_config(tmp_path)
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--snapshot",
                           str(snapshot), "--shard", "19/20", "--out", str(tmp_path / "out"))
    assert code == 2 and lines[-1] == (
        "liqbt: error: --shard 19/20: no chunk for this shard: the sweep has 18 chunks of 1 "
        "combinations; run the shards `liqbt sweep CONFIG --plan --shards 20` lists"), lines
    assert not list((tmp_path / "out").rglob("shard-*.json"))


def test_a_bad_baseline_is_said_before_any_output_folder_is_made(tmp_path, monkeypatch, capsys):
    config = write_config(tmp_path)
    code, lines = run_main(monkeypatch, capsys, "sweep", str(config), "--baseline",
                           str(tmp_path / "missing.json"), "--out", str(tmp_path / "out"))
    assert code == 2 and len(lines) == 1 and "missing.json: cannot read it" in lines[0]
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))
