"""The run manifest: enough to trace every number to a config, data files, code and packages."""

from __future__ import annotations

import platform
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd

from feeds.window import window_record

PACKAGES = ("liqbt", "vectorbt", "numpy", "pandas", "numba", "quantstats", "yfinance", "fredapi",
            "pyarrow", "plotly", "matplotlib", "scipy", "pydantic", "PyYAML", "typer", "rich",
            "tenacity")


@dataclass(frozen=True)
class ConfigRecord:
    """What a page says about the config it came from: the application fills it in."""

    name: str
    path: Path
    sha256: str
    content: dict       # the validated config as JSON-able data


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _git(arguments: list[str], start: Path | None) -> str | None:
    where = start or Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", *arguments], cwd=where, capture_output=True, text=True,
                              timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_commit(start: Path | None = None) -> str | None:
    """The commit of the liqbt checkout (None when not run from a git work tree)."""
    return (_git(["rev-parse", "HEAD"], start) or "").strip() or None


def git_dirty(start: Path | None = None) -> bool | None:
    """True when tracked files differ from the commit (the commit alone does not pin the code);
    None outside a git work tree."""
    status = _git(["status", "--porcelain", "--untracked-files=no"], start)
    return None if status is None else bool(status.strip())


def data_origin(panel) -> dict | None:
    """Which one origin the run read (snapshot, cache, bundled, online), its last session and
    how many days old that was (`feeds.origin.DataOrigin.record`); None for in-memory sources."""
    origin = getattr(panel.source, "origin", None)
    return origin.record(panel.files_used()) if origin is not None else None


def synthetic_sleeves(panel) -> dict[str, str | None]:
    """Sleeves not made of real products throughout: {sleeve: first real date, or None when
    synthetic throughout} (a chain turns real when its last synthetic link ends)."""
    from feeds.instruments import FROM_START

    return {sleeve: (None if path.real_from is None else str(path.real_from.date()))
            for sleeve, path in panel.sleeve_paths.items() if path.real_from is not FROM_START}


def panel_manifest(config: ConfigRecord, panel, window: pd.DatetimeIndex) -> dict:
    """Provenance shared by every page: config, sessions shown, data files, data quality, code."""
    return {
        "config_name": config.name,
        "config_path": str(config.path),
        "config_sha256": config.sha256,
        "data_source": repr(panel.source),
        "data_origin": data_origin(panel),
        "sessions": {"first": str(window[0].date()), "last": str(window[-1].date()),
                     "count": int(len(window))},
        "data_files": [record.as_dict() for record in panel.files_used()],
        "data_quality": [issue.as_dict() for issue in panel.quality_issues],
        "sleeve_closures": panel.sleeve_closures(),
        "window": window_record(panel),
        "synthetic_sleeves": synthetic_sleeves(panel),
        "instrument_tracking": {sleeve: path.tracking for sleeve, path in panel.sleeve_paths.items()
                                if path.tracking},
        "packages": package_versions(),
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def build_manifest(result, config: ConfigRecord) -> dict:
    """Manifest of a `backtests.results.RunResult`: the shared provenance plus the full config."""
    panel = result.panel
    manifest = panel_manifest(config, panel, panel.sessions[panel.start_position:])
    manifest["sessions"]["warmup_first"] = str(panel.sessions[0].date())
    manifest["config"] = config.content
    manifest["notes"] = list(getattr(result, "notes", []))
    return manifest
