"""One quickstart run (`liqbt run`, a real subprocess in a fresh copy of the repository, on the
bundled snapshot) shared by the report tests: the output-contract checks, the fresh-clone check
and the browser check read the same folder."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fresh_checkout import fresh_checkout
from tests.sweep_fixtures import (  # noqa: F401  (fixtures)
    small_sweep, sweep_config_path, sweep_inputs,
)

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CliRun:
    out: Path
    stdout: str
    stderr: str


def run_cli(arguments: list[str], out: Path, snapshot: Path | None, cwd: Path = REPO,
            home: Path | None = None) -> CliRun:
    """`python -m liqbt ARGS` in `cwd` (its code and data: cwd comes first on sys.path), behind
    the test network guard (the proxies of conftest.py are inherited), HOME in the output folder
    unless given, LIQBT_SNAPSHOT only when `snapshot` is, as in a CI job (its job summary file
    beside the output folder: OUT.step.md); fails the test on a non-zero exit."""
    import os

    env = {**{k: v for k, v in os.environ.items() if "proxy" in k.lower()},
           "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(home or out),
           "GITHUB_STEP_SUMMARY": str(out.parent / f"{out.name}.step.md")}
    if snapshot is not None:
        env["LIQBT_SNAPSHOT"] = str(snapshot)
    done = subprocess.run([sys.executable, "-m", "liqbt", *arguments], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return CliRun(out, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def quickstart_cli(tmp_path_factory) -> CliRun:
    """The README's quickstart as a fresh clone runs it: a copy of the repository with nothing
    beside it (no ../shared), an empty HOME (so an empty cache) and no LIQBT_* variable, so it
    reads the bundled snapshot; `--out runs/quickstart` inside the copy."""
    clone = fresh_checkout(tmp_path_factory.mktemp("fresh_clone") / "liqbt")
    home = tmp_path_factory.mktemp("empty_home")
    return run_cli(["run", "liqbt/configs/quickstart.yaml", "--out", "runs/quickstart"],
                   clone / "runs" / "quickstart", None, cwd=clone, home=home)


@pytest.fixture(scope="session")
def quickstart_run(quickstart_cli) -> Path:
    return quickstart_cli.out
