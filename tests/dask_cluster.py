"""A real dask.distributed cluster for tests: `dask scheduler` and `dask worker` as separate OS
processes, each in a scratch working directory with a bare environment (no LIQBT_* variable, HOME
in the scratch folder) and in its own mount namespace where the given folders (the snapshot) are an
empty read-only tmpfs, so a worker that tried to read market data from disk would find nothing.
Hiding by a mount namespace touches nothing outside those processes (the snapshot stays readable
for everyone else, and for the test's client).

`unshare --mount` needs root: as root it runs directly; otherwise through passwordless `sudo -n`
(GitHub's hosted runners have it), dropping back to the test's user with `setpriv` before dask
starts. Every process is killed on exit, also when the test fails; should the test process itself
be killed, the scheduler stops after 10 idle minutes and the workers a minute after it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _privileged_prefix() -> list[str]:
    if os.geteuid() == 0:
        return []
    probe = subprocess.run(["sudo", "-n", "true"], capture_output=True) if shutil.which(
        "sudo") else None
    if probe is None or probe.returncode != 0:
        pytest.fail("the cluster test hides the snapshot from the dask processes with "
                    "`unshare --mount`, which needs root or passwordless sudo")
    return ["sudo", "-n"]


def isolated_command(command: list[str], hidden: list[Path], env: dict[str, str]) -> list[str]:
    """`command` in a new mount namespace with `hidden` folders emptied, run with only `env`."""
    mounts = " && ".join([f"mount -t tmpfs -o ro,size=4k liqbt-hidden {shlex.quote(str(h))}"
                          for h in hidden] or ["true"])
    back_to_user = ([] if os.geteuid() == 0 else
                    ["setpriv", f"--reuid={os.getuid()}", f"--regid={os.getgid()}",
                     "--init-groups"])
    inner = [*back_to_user, "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]
    return [*_privileged_prefix(), "unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", f"{mounts} && exec {shlex.join(inner)}"]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except PermissionError:
        subprocess.run(["sudo", "-n", "kill", "-KILL", str(pid)], capture_output=True)


class DaskCluster:
    """`with DaskCluster(scratch, hidden, workers=2) as cluster:` -> cluster.address."""

    def __init__(self, scratch: Path, hidden: list[Path], workers: int = 2,
                 preload: str = "backtests.sweep.cluster"):
        self.scratch, self.hidden, self.n_workers, self.preload = scratch, hidden, workers, preload
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def _start(self, name: str, command: list[str]) -> None:
        folder = self.scratch / name
        folder.mkdir(parents=True, exist_ok=True)
        env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(folder),
               "XDG_CACHE_HOME": str(folder / "cache"), "MPLBACKEND": "Agg"}
        log = open(folder / "log.txt", "w")
        self.processes.append(subprocess.Popen(
            isolated_command([*command, "--pid-file", str(folder / "pid")], self.hidden, env),
            cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True))
        log.close()

    def pid(self, name: str) -> int:
        return int((self.scratch / name / "pid").read_text().strip())

    def kill(self, name: str) -> None:
        """SIGKILL one process (a worker dying with its machine)."""
        _kill(self.pid(name))

    def __enter__(self) -> "DaskCluster":
        try:
            scheduler_file = self.scratch / "scheduler.json"
            self._start("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                      "--port", "0", "--no-dashboard", "--idle-timeout", "600",
                                      "--scheduler-file", str(scheduler_file)])
            for i in range(self.n_workers):
                self._start(f"w{i}", [str(BIN / "dask"), "worker", "--scheduler-file",
                                      str(scheduler_file), "--name", f"w{i}", "--nthreads", "1",
                                      "--no-nanny", "--no-dashboard", "--memory-limit", "2GB",
                                      "--local-directory", str(self.scratch / f"w{i}"),
                                      "--death-timeout", "60", "--preload", self.preload])
            deadline = time.monotonic() + 30
            while not scheduler_file.is_file() or not scheduler_file.read_text().strip():
                if time.monotonic() > deadline or self.processes[0].poll() is not None:
                    raise RuntimeError("dask scheduler did not start: "
                                       + (self.scratch / "scheduler" / "log.txt").read_text())
                time.sleep(0.05)
            self.address = json.loads(scheduler_file.read_text())["address"]
            return self
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc) -> None:
        for name in ["scheduler", *(f"w{i}" for i in range(self.n_workers))]:
            if (self.scratch / name / "pid").is_file():
                _kill(self.pid(name))
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def logs(self) -> str:
        return "\n".join(f"--- {p.parent.name}\n{p.read_text()[-3000:]}"
                         for p in sorted(self.scratch.glob("*/log.txt")))
