"""The run manifest: enough to trace every number to a config, data files, code and packages."""

from __future__ import annotations

import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = ("liqbt", "vectorbt", "numpy", "pandas", "numba", "quantstats", "yfinance", "fredapi",
            "pyarrow", "plotly", "matplotlib", "scipy", "pydantic", "PyYAML", "typer", "rich",
            "tenacity")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(start: Path | None = None) -> str | None:
    """The commit of the liqbt checkout (None when not run from a git work tree)."""
    where = start or Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def build_manifest(result) -> dict:
    """Manifest of a `backtests.run.RunResult`."""
    panel = result.panel
    window = panel.sessions[panel.start_position:]
    return {
        "config_name": result.config.name,
        "config_path": str(result.config_path),
        "config_sha256": result.config_sha256,
        "config": result.config.model_dump(mode="json"),
        "data_source": repr(panel.source),
        "sessions": {"first": str(window[0].date()), "last": str(window[-1].date()),
                     "count": int(len(window)),
                     "warmup_first": str(panel.sessions[0].date())},
        "data_files": [record.as_dict() for record in panel.files_used()],
        "data_quality": [issue.as_dict() for issue in panel.quality_issues],
        "sleeve_closures": panel.sleeve_closures(),
        "packages": package_versions(),
        "git_commit": git_commit(),
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
