"""The repository as a fresh clone has it, in a folder of its own, for tests that must prove the
README's commands work with nothing beside it (no ../shared, no cache, no environment variable).

It copies what git would hand a cloner once the work in progress is committed: tracked files
plus untracked ones that .gitignore does not exclude (without git: every file outside the
ignored folders). A copy, not `git clone HEAD`, so uncommitted work is what gets tested.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IGNORED_PARTS = {".git", ".venv", "venv", "runs", "out", "__pycache__", ".pytest_cache",
                 ".hypothesis", "build", "dist"}


def repository_files() -> list[str]:
    """Paths (relative, posix) a fresh clone would hold."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=REPO, capture_output=True,
                                timeout=30, check=True)
        return [path for path in listed.stdout.decode().split("\0") if path]
    except (OSError, subprocess.SubprocessError):
        return [path.relative_to(REPO).as_posix() for path in REPO.rglob("*")
                if path.is_file() and not IGNORED_PARTS & set(path.relative_to(REPO).parts)
                and ".egg-info" not in path.as_posix()]


def fresh_checkout(dest: Path) -> Path:
    """Copy the repository's files into `dest` (created) and return it."""
    for relative in repository_files():
        source = REPO / relative
        if source.is_file():              # a tracked file deleted in the work tree is skipped
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest
