"""Faults, with real processes: concurrent runs into one folder, `kill -9`, Ctrl-C.

The output folder always holds one complete run; a second command on it fails at once with one
line; nothing of a killed run keeps running (its tearsheet workers, the fork server and the
resource tracker die with it); Ctrl-C is one line and exit code 130 for every command.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.liqbt.cli.test_data import BlackHole
from tests.sweep_fixtures import SWEEP_CONFIG

REPO = Path(__file__).resolve().parents[3]
TINY = """\
name: tiny
data: {start: 2023-01-03}
universe: {equities: SPY, treasuries: IEF}
strategies:
  - {name: hold, rule: buy_and_hold, rebalance: once, params: {sleeve: equities}}
  - {name: mix, rule: fixed_weights, params: {weights: {equities: 0.6, treasuries: 0.4}}}
report: {workers: 2}
"""
PROGRESS = ("loading", "computing", "simulating", "tearsheet", "page", "rendering", "data quality",
            "selection", "warning", "using")


@dataclass
class Liqbt:
    process: subprocess.Popen
    stderr: Path

    def wait_for(self, text: str, timeout: float = 60) -> None:
        ends = time.monotonic() + timeout
        while text not in self.stderr.read_text():
            assert self.process.poll() is None, self.stderr.read_text()
            assert time.monotonic() < ends, f"no {text!r} within {timeout} s"
            time.sleep(0.05)

    def finish(self, timeout: float = 120) -> tuple[int, list[str]]:
        """Exit code and the stderr lines that are not progress."""
        code = self.process.wait(timeout)
        lines = self.stderr.read_text().splitlines()
        return code, [line for line in lines
                      if not any(line.startswith(f"liqbt: {word}") for word in PROGRESS)]


def start(tmp_path: Path, snapshot: Path, *args: str, env: dict | None = None) -> Liqbt:
    """`python -m liqbt ARGS` in a session of its own, with Ctrl-C at its default (a shell that
    starts a job in the background may have it ignored)."""
    stderr = tmp_path / f"stderr-{time.monotonic_ns()}.txt"
    environment = {**{k: v for k, v in os.environ.items() if "proxy" in k.lower()},
                   "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(tmp_path),
                   "LIQBT_SNAPSHOT": str(snapshot), **(env or {})}
    with open(stderr, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "liqbt", *args], cwd=REPO, env=environment,
            stdout=subprocess.DEVNULL, stderr=sink, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return Liqbt(process, stderr)


def alive_in_session(session: int) -> list[str]:
    """Processes (not zombies) of the session a command was started in."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(f"{entry} {command.decode(errors='replace')[:100]}")
    return alive


def gone_within(session: int, seconds: float) -> list[str]:
    ends = time.monotonic() + seconds
    while (left := alive_in_session(session)) and time.monotonic() < ends:
        time.sleep(0.1)
    return left


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs_into_one_folder(tmp_path_factory, snapshot):
    """Two `liqbt run`s started together into the same --out."""
    folder = tmp_path_factory.mktemp("concurrent")
    config = folder / "tiny.yaml"
    config.write_text(TINY)
    out = folder / "out"
    runs = [start(folder, snapshot, "run", str(config), "--out", str(out)) for _ in range(2)]
    return folder, config, out, [run.finish() for run in runs]


def test_two_runs_into_one_folder_one_succeeds_one_fails_with_one_line(two_runs_into_one_folder):
    _, _, out, results = two_runs_into_one_folder
    assert sorted(code for code, _ in results) == [0, 1]
    (lines,) = [lines for code, lines in results if code == 1]
    assert len(lines) == 1 and lines[0].startswith(f"liqbt: error: {out} is being written by "
                                                   "another liqbt command (liqbt run, pid ")
    assert {"index.html", "manifest.json", "summary.json", "returns.csv", "tearsheets/hold.html",
            "tearsheets/mix.html", "weights/mix.csv"} <= set(digest(out))
    assert [name for name in os.listdir(out.parent) if ".staging-" in name] == []


def test_kill_9_leaves_the_previous_run_intact_and_nothing_of_it_running(
        two_runs_into_one_folder, snapshot):
    folder, config, out, _ = two_runs_into_one_folder
    before = digest(out)
    run = start(folder, snapshot, "run", str(config), "--out", str(out))
    run.wait_for("liqbt: tearsheets:")  # the tearsheet workers are drawing
    time.sleep(0.5)
    os.kill(run.process.pid, signal.SIGKILL)
    run.process.wait(30)
    assert gone_within(run.process.pid, 5.0) == []
    (staging,) = [folder / name for name in os.listdir(folder) if name.startswith(".out.staging-")]
    written = digest(staging)
    time.sleep(1.0)
    assert digest(staging) == written  # nothing writes into the abandoned staging folder
    assert digest(out) == before      # the previous complete run, untouched


@pytest.mark.parametrize("command", ["run", "signals", "event-study", "sweep", "fetch"])
def test_ctrl_c_is_one_line_and_exit_code_130_for_every_command(tmp_path, snapshot, command):
    config = tmp_path / "config.yaml"
    config.write_text(SWEEP_CONFIG)
    hole = BlackHole()
    env = {name: f"http://127.0.0.1:{hole.port}" for name in ("HTTP_PROXY", "HTTPS_PROXY",
                                                              "http_proxy", "https_proxy")}
    arguments = ["fetch", "--series", "WALCL", "--cache-dir", str(tmp_path / "cache")] \
        if command == "fetch" else [command, str(config), "--out", str(tmp_path / "out")]
    try:
        run = start(tmp_path, snapshot, *arguments, env=env)
        if command == "fetch":
            time.sleep(2.5)  # started, and waiting on the silent network
        else:
            run.wait_for("liqbt: loading data")
        os.killpg(run.process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        code, lines = run.finish(60)
    finally:
        hole.close()
    assert (code, lines) == (130, ["liqbt: interrupted"]) or \
        (command == "sweep" and code == 130 and lines[-1] == "liqbt: interrupted"), lines
    assert gone_within(run.process.pid, 5.0) == []
    assert not (tmp_path / "out").exists() or command == "sweep"
