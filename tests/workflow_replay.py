"""Replay a GitHub Actions workflow on this machine, the way the runners would run it.

Jobs run in `needs` order, each leg of a matrix in its own empty workspace folder and its own
processes (in parallel, like separate runners). `run:` steps run with bash exactly as written, with
the workflow's, job's and step's `env:` and the `${{ }}` expressions evaluated (the subset of the
expression language workflows here use: contexts, literals, == != ! && || and parentheses,
fromJSON, success/failure/always/cancelled); GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and
GITHUB_STEP_SUMMARY work as on GitHub. Actions (`uses:`) are replaced by what they do for these
workflows: checkout and setup-python do nothing (the test's checkout and Python are used); the
local setup-liqbt action puts the test's virtualenv on PATH; cache restore/save keep folders by key
(restore-keys as prefixes); upload-artifact and download-artifact copy folders with the artifact
layout of download-artifact v8 (merge-multiple, one subfolder per artifact, a single artifact
unpacked in place). Anything else is an error, so a workflow using something new fails the replay
until it is taught here.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.workflow_expressions import evaluate, interpolate, truthy


@dataclass
class StepRun:
    name: str
    outcome: str                     # success | failure | skipped
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    summary: str = ""


@dataclass
class JobRun:
    name: str
    matrix: dict
    result: str = "success"
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict = field(default_factory=dict)
    workspace: Path | None = None

    def step(self, prefix: str) -> StepRun:
        return next(s for s in self.steps if s.name.startswith(prefix))


def _action(uses: str) -> str:
    return uses.split("@")[0]


def condition(text) -> str:
    """An `if:` as GitHub reads it: without a status function it means success() && (...)."""
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    if re.search(r"\b(success|failure|always|cancelled)\s*\(", text):
        return text
    return f"success() && ({text})"


class WorkflowReplay:
    """`WorkflowReplay(path, root, inputs, base_env, venv_bin).run()` -> {job: [JobRun per leg]}."""

    def __init__(self, workflow: Path, root: Path, inputs: dict, base_env: dict[str, str],
                 venv_bin: Path, event: str = "workflow_dispatch"):
        self.workflow = yaml.safe_load(workflow.read_text())
        self.root, self.base_env, self.venv_bin = root, dict(base_env), venv_bin
        triggers = self.workflow.get("on", self.workflow.get(True))  # YAML 1.1 reads `on` as True
        declared = (triggers.get("workflow_dispatch") or {}).get("inputs", {})
        self.inputs = ({name: spec.get("default") for name, spec in declared.items()} | inputs
                       if event == "workflow_dispatch" else {})
        self.github = {"event_name": event, "run_id": "4242", "run_attempt": "1",
                       "workspace": "", "ref": "refs/heads/main", "ref_name": "main",
                       "event": {"repository": {"default_branch": "main"}}}
        self.artifacts: dict[str, Path] = {}
        self.caches: dict[str, Path] = {}
        self.results: dict[str, list[JobRun]] = {}

    # -- jobs ----------------------------------------------------------------------------------
    def run(self) -> dict[str, list[JobRun]]:
        jobs = self.workflow["jobs"]
        while len(self.results) < len(jobs):
            ready = [n for n, j in jobs.items() if n not in self.results
                     and all(d in self.results for d in self._needs(j))]
            for name in ready:
                self.results[name] = self._run_job(name, jobs[name])
        return self.results

    @staticmethod
    def _needs(job: dict) -> list[str]:
        needs = job.get("needs", [])
        return [needs] if isinstance(needs, str) else list(needs)

    def _needs_context(self, job: dict) -> dict:
        context = {}
        for name in self._needs(job):
            legs = self.results[name]
            failed = any(leg.result == "failure" for leg in legs)
            skipped = all(leg.result == "skipped" for leg in legs)
            context[name] = {"result": "failure" if failed else "skipped" if skipped
                             else "success", "outputs": legs[0].outputs if legs else {}}
        return context

    def _run_job(self, name: str, job: dict) -> list[JobRun]:
        needs = self._needs_context(job)
        context = {"github": self.github, "inputs": self.inputs, "needs": needs, "matrix": {},
                   "env": {}}
        context["env"] = self._env(self.workflow.get("env", {}), context)
        status = {"success": all(n["result"] == "success" for n in needs.values()),
                  "failure": any(n["result"] == "failure" for n in needs.values())}
        if not truthy(evaluate(condition(job.get("if", "success()")), context, status)):
            return [JobRun(name, {}, result="skipped")]
        legs = self._matrix(job, context)
        with ThreadPoolExecutor(max_workers=max(1, len(legs))) as pool:
            return list(pool.map(lambda leg: self._run_leg(name, job, leg[0], leg[1], context),
                                 enumerate(legs)))

    def _matrix(self, job: dict, context: dict) -> list[dict]:
        matrix = (job.get("strategy") or {}).get("matrix")
        if matrix is None:
            return [{}]
        if isinstance(matrix, str):
            matrix = evaluate(matrix, context)
        dimensions = {k: v for k, v in matrix.items() if k not in ("include", "exclude")}
        if dimensions or "exclude" in matrix:
            raise NotImplementedError("the replay expands `include` matrices only")
        return list(matrix.get("include", []))

    def _env(self, mapping: dict, context: dict) -> dict[str, str]:
        env = dict(context.get("env", {}))
        for key, value in (mapping or {}).items():
            env[key] = interpolate(str(value), {**context, "env": env})
        return env

    def _run_leg(self, name: str, job: dict, index: int, matrix: dict, outer: dict) -> JobRun:
        workspace = self.root / f"{name}-{index + 1}"
        workspace.mkdir(parents=True)
        github = {**self.github, "workspace": str(workspace)}
        context = {**outer, "github": github, "matrix": matrix, "steps": {}}
        context["env"] = self._env(self.workflow.get("env", {}), context)
        context["env"] = self._env(job.get("env", {}), context)
        run = JobRun(interpolate(str(job.get("name", name)), context), matrix,
                     workspace=workspace)
        path_prefix: list[str] = []
        for position, step in enumerate(job["steps"]):
            label = step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]
            status = {"success": run.result == "success", "failure": run.result == "failure"}
            step_env = self._env(step.get("env", {}), context)
            step_context = {**context, "env": step_env}
            if not truthy(evaluate(condition(step.get("if", "success()")), step_context,
                                  status)):
                run.steps.append(StepRun(label, "skipped"))
                continue
            files = {k: workspace.parent / f".{workspace.name}-{position}-{k}" for k in
                     ("output", "env", "path", "summary")}
            for file in files.values():
                file.write_text("")
            if "uses" in step:
                outcome = self._use(step, step_context, workspace, path_prefix)
                record = StepRun(label, outcome)
            else:
                env = {**self.base_env, **step_env, "GITHUB_WORKSPACE": str(workspace),
                       "GITHUB_OUTPUT": str(files["output"]), "GITHUB_ENV": str(files["env"]),
                       "GITHUB_PATH": str(files["path"]),
                       "GITHUB_STEP_SUMMARY": str(files["summary"]), "CI": "true",
                       "GITHUB_ACTIONS": "true"}
                env["PATH"] = os.pathsep.join([*path_prefix, env.get("PATH", "")])
                record = self._run_script(label, step, step_context, workspace, env)
            record.summary = files["summary"].read_text()
            run.steps.append(record)
            outputs = dict(_key_values(files["output"].read_text()))
            if step.get("id"):
                context["steps"] = {**context["steps"], step["id"]: {"outputs": outputs,
                                                                     "outcome": record.outcome}}
            context["env"] = {**context["env"], **dict(_key_values(files["env"].read_text()))}
            path_prefix = [*reversed(files["path"].read_text().split()), *path_prefix]
            if record.outcome == "failure":
                run.result = "failure"
        run.outputs = {k: interpolate(str(v), context) for k, v in job.get("outputs", {}).items()}
        return run

    def _run_script(self, label: str, step: dict, context: dict, workspace: Path,
                    env: dict) -> StepRun:
        script = interpolate(step["run"], context)
        shell = step.get("shell")
        command = (["bash", "-e", "-c", script] if shell is None else
                   ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        done = subprocess.run(command, cwd=workspace / step.get("working-directory", "."),
                              env=env, capture_output=True, text=True, timeout=600)
        return StepRun(label, "success" if done.returncode == 0 else "failure",
                       done.returncode, done.stdout, done.stderr)

    # -- actions -------------------------------------------------------------------------------
    def _use(self, step: dict, context: dict, workspace: Path, path_prefix: list[str]) -> str:
        action = _action(step["uses"])
        given = {k: interpolate(str(v), context) for k, v in (step.get("with") or {}).items()}
        if action in ("actions/checkout", "actions/setup-python"):
            return "success"
        if action == "./.github/actions/setup-liqbt":
            path_prefix.insert(0, str(self.venv_bin))
            return "success"
        if action in ("actions/cache/restore", "actions/cache"):
            return self._restore(given, workspace)
        if action == "actions/cache/save":
            self.caches[given["key"]] = _copy_tree(workspace / given["path"],
                                                  self.root / "_caches" / _slug(given["key"]))
            return "success"
        if action == "actions/upload-artifact":
            return self._upload(given, workspace)
        if action == "actions/download-artifact":
            return self._download(given, workspace)
        raise NotImplementedError(f"the replay does not know the action {step['uses']}")

    def _restore(self, given: dict, workspace: Path) -> str:
        keys = [given["key"], *given.get("restore-keys", "").split()]
        hit = next((self.caches[k] for k in keys if k in self.caches), None)
        if hit is None:
            prefixes = keys[1:]
            matches = [k for k in self.caches if any(k.startswith(p) for p in prefixes)]
            hit = self.caches[matches[-1]] if matches else None
        if hit is None:
            return "failure" if given.get("fail-on-cache-miss") == "true" else "success"
        _copy_tree(hit, workspace / given["path"])
        return "success"

    def _upload(self, given: dict, workspace: Path) -> str:
        name = given.get("name", "artifact")
        if name in self.artifacts and given.get("overwrite") != "true":
            return "failure"                     # artifact names are unique within a run
        lines = [line.strip() for line in given["path"].splitlines() if line.strip()]
        includes = [workspace / line for line in lines if not line.startswith("!")]
        excludes = [(workspace / line[1:]).resolve() for line in lines if line.startswith("!")]
        if len(includes) != 1 or not includes[0].is_dir():
            raise NotImplementedError("the replay uploads one folder (minus ! exclusions)")
        target = self.root / "_artifacts" / name
        _copy_tree(includes[0], target, excludes)
        if not any(target.rglob("*")) and given.get("if-no-files-found") == "error":
            return "failure"
        self.artifacts[name] = target
        return "success"

    def _download(self, given: dict, workspace: Path) -> str:
        destination = workspace / given.get("path", ".")
        if given.get("name"):
            names = [given["name"]] if given["name"] in self.artifacts else []
        else:
            names = sorted(n for n in self.artifacts
                           if fnmatch.fnmatchcase(n, given.get("pattern", "*")))
        single = bool(given.get("name")) or len(names) == 1
        merge = given.get("merge-multiple") == "true"
        for name in names:
            _copy_tree(self.artifacts[name], destination if single or merge
                       else destination / name)
        return "success" if names else "failure"


def _key_values(text: str) -> list[tuple[str, str]]:
    """name=value lines of GITHUB_OUTPUT / GITHUB_ENV (heredoc form: name<<EOF ... EOF)."""
    pairs, lines = [], iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            body = []
            for item in lines:
                if item == delimiter:
                    break
                body.append(item)
            pairs.append((name, "\n".join(body)))
        elif "=" in line:
            pairs.append(tuple(line.split("=", 1)))
    return pairs


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def _copy_tree(source: Path, target: Path, excludes: list[Path] = ()) -> Path:
    """Copy `source` (folder) into `target`, merging, skipping `excludes`; files overwrite."""
    for path in sorted(source.rglob("*")):
        if any(path.resolve() == e or e in path.resolve().parents for e in excludes):
            continue
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    target.mkdir(parents=True, exist_ok=True)
    return target


def step_summaries(legs: list[JobRun]) -> str:
    return "".join(step.summary for leg in legs for step in leg.steps)

