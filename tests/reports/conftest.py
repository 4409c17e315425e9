"""One quickstart run (`liqbt run`, a real subprocess on the real snapshot) shared by the report
tests: the output-contract checks and the browser check read the same folder."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sweep_fixtures import (  # noqa: F401  (fixtures)
    small_sweep, sweep_config_path, sweep_inputs,
)

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CliRun:
    out: Path
    stdout: str
    stderr: str


def run_cli(arguments: list[str], out: Path, snapshot: Path) -> CliRun:
    """`python -m liqbt ARGS` from the repo, behind the test network guard (the proxies of
    conftest.py are inherited), HOME in the output folder, as in a CI job (its job summary file
    beside the output folder: OUT.step.md); fails the test on a non-zero exit."""
    import os

    env = {**{k: v for k, v in os.environ.items() if "proxy" in k.lower()},
           "LIQBT_SNAPSHOT": str(snapshot), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
           "HOME": str(out), "GITHUB_STEP_SUMMARY": str(out.parent / f"{out.name}.step.md")}
    done = subprocess.run([sys.executable, "-m", "liqbt", *arguments], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return CliRun(out, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def quickstart_cli(tmp_path_factory, snapshot) -> CliRun:
    out = tmp_path_factory.mktemp("quickstart")
    return run_cli(["run", "liqbt/configs/quickstart.yaml", "--out", str(out)], out, snapshot)


@pytest.fixture(scope="session")
def quickstart_run(quickstart_cli) -> Path:
    return quickstart_cli.out
