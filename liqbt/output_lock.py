"""Output folders, part 1: is `--out` usable, and who is writing it.

Checked before any work starts (a run must not spend minutes and then find it cannot write):
the folder is not '' or the current folder (or one of its parents), not a file, not inside the
data snapshot or the cache the command reads, not a mount point, its parent can be written, and
it does not hold files liqbt did not write (a run replaces the folder as a whole, see
`liqbt.outputs`); liqbt outputs nested in it (runs/x/sweep) and hidden entries are kept.

Locks are `flock`s on a small file beside the folder, `.NAME.lock` (kept there: removing a lock
file races with the next locker). A command holds its folder's lock exclusively for its whole
life, so a second command on the same folder fails at once with one line naming the holder; the
kernel drops the lock when the process dies, however it dies. A command writing inside another
liqbt output folder (runs/x/sweep inside runs/x) also holds that folder's lock shared, and a
command replacing a folder holds the locks of the outputs nested in it, so neither can pull a
folder from under the other, whichever starts first.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from feeds.errors import InputError, LiqbtError, shown

MARKER = ".liqbt-output.json"

# What each command writes (top level), so a folder written before markers existed is known.
OUTPUT_NAMES: dict[str, frozenset[str]] = {
    "run": frozenset({"index.html", "manifest.json", "summary.json", "returns.csv", "weights",
                      "tearsheets", "assets", "signals.html", "signals.csv", "verdict.html",
                      "verdict.json", "event_study.html", "event_study_mean.csv",
                      "event_study_paths.csv", "event_study_events.csv"}),
    "signals": frozenset({"signals.html", "signals.csv", "assets"}),
    "event_study": frozenset({"event_study.html", "event_study_mean.csv",
                              "event_study_paths.csv", "event_study_events.csv", "assets"}),
    "sweep": frozenset({"sweep.parquet", "sweep.csv", "sweep_summary.json", "sweep_summary.md",
                        "sweep.html", "walk_forward.csv", "walk_forward_returns.csv",
                        "checkpoint", "assets"}),
}


class OutputBusy(LiqbtError):
    """Another liqbt command is writing the folder (exit code 1: wait, or choose another)."""


def lock_path(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.lock"


def visible(folder: Path) -> list[str]:
    """The entries that say what a folder is: hidden ones (`.cache` that a library made in a HOME,
    lock files, a marker) do not, and are carried over like anything liqbt did not write."""
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def read_marker(folder: Path) -> dict | None:
    """The marker of a liqbt output folder, None when there is none (or it is unreadable)."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def output_kind(folder: Path, nested: set[str] | None = None) -> str | None:
    """Which command wrote `folder` ('run', 'sweep', ...): from its marker, else from its file
    names (folders written before markers; `nested` liqbt outputs inside it aside); None if it is
    not a liqbt output folder."""
    marker = read_marker(folder)
    if marker is not None:
        return str(marker.get("command"))
    try:
        names = set(visible(folder)) - (nested or set())
    except OSError:
        return None
    return next((kind for kind, known in OUTPUT_NAMES.items() if names and names <= known), None)


def nested_outputs(folder: Path) -> set[str]:
    """The subfolders of `folder` that are liqbt outputs themselves (runs/x/sweep in runs/x)."""
    return {name for name in visible(folder)
            if (folder / name).is_dir() and output_kind(folder / name) is not None}


def own_entries(folder: Path, kind: str) -> set[str]:
    """The entries of `folder` its last `kind` command wrote (its marker's list, else the
    command's known names); everything else there is someone else's and is kept."""
    marker = read_marker(folder)
    if marker is not None and isinstance(marker.get("entries"), list):
        return {str(name) for name in marker["entries"]} | {MARKER}
    return set(OUTPUT_NAMES[kind]) | {MARKER}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_target(target: Path, kind: str, avoid: dict[str, Path | None],
                 replaced: bool = True) -> Path:
    """The folder `target` resolved, or InputError saying why it cannot take a `kind` output.
    `avoid`: folders it must not be inside, by what they are ('the data snapshot'); (a folder
    around them holds files liqbt did not write, and is refused as such);
    `replaced`: the output replaces the folder as a whole (so it cannot be a mount point)."""
    if str(target) in ("", "."):
        raise InputError("--out '' (or '.') is the current folder: give a folder for the "
                         f"output, e.g. --out runs/{kind}")
    try:
        resolved = target.expanduser().resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        raise InputError(f"--out {shown(str(target))} is a symbolic link that leads back to "
                         "itself: remove it or choose another folder") from None
    if _inside(Path.cwd().resolve(), resolved):
        raise InputError(f"--out {shown(str(target))} is the current folder or one of its "
                         "parents: give a folder of its own, e.g. runs/NAME")
    for what, folder in avoid.items():
        if folder is not None and _inside(resolved, Path(os.path.realpath(folder.expanduser()))):
            raise InputError(f"--out {shown(str(target))} is inside {what} ({folder}); write "
                             "the output elsewhere")
    blocking = next((p for p in (resolved, *resolved.parents) if p.exists()), resolved)
    if not blocking.is_dir():
        raise InputError(f"--out {shown(str(target))}: {blocking} is a file, not a folder; "
                         "choose a folder")
    if replaced and resolved.is_dir() and os.path.ismount(resolved):
        raise InputError(f"--out {shown(str(target))} is a mount point, and an output folder is "
                         "swapped in whole when complete: use a folder inside it, e.g. "
                         f"{resolved / 'run'}")
    if resolved.is_dir():
        try:
            nested = nested_outputs(resolved)
            entries = [name for name in visible(resolved) if name not in nested]
        except OSError as exc:
            raise InputError(f"--out {shown(str(target))}: cannot read it ({exc.strerror})") \
                from None
        found = output_kind(resolved, nested)
        if entries and found is None:
            raise InputError(f"--out {shown(str(target))} holds files liqbt did not write (e.g. "
                             f"{shown(entries[0], 40)}); choose a new or empty folder, "
                             "or the folder of an earlier liqbt output")
        if found is not None and found != kind:
            raise InputError(f"--out {shown(str(target))} holds a `liqbt {found}` output; "
                             f"write the {kind} output to another folder")
    return resolved


@dataclass
class FolderLock:
    """An exclusive lock on a folder (and shared locks on the output folders around it)."""

    folder: Path
    command: str
    _fds: list[int] = field(default_factory=list)

    def acquire(self, replacing: bool = True) -> "FolderLock":
        """Lock the folder; the output folder around it shared (it must not be replaced while
        this command writes inside it); and, when `replacing` the folder, the liqbt outputs
        nested in it (none may be written while it is swapped)."""
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            self._fds.append(_lock(lock_path(self.folder), fcntl.LOCK_EX))
        except OSError as exc:
            raise InputError(f"cannot write --out {self.folder} ({exc.strerror}): choose a "
                             "writable folder") from None
        self._describe_holder(self._fds[0])
        outer = self.folder.parent
        try:
            if outer.parent != outer and _may_be_replaced(outer):
                self._add(lock_path(outer), fcntl.LOCK_SH)
            if replacing and self.folder.is_dir():
                for name in sorted(nested_outputs(self.folder)):
                    self._add(lock_path(self.folder / name), fcntl.LOCK_EX)
        except OutputBusy:
            self.release()
            raise
        return self

    def _add(self, path: Path, mode: int) -> None:
        try:
            self._fds.append(_lock(path, mode))
        except OSError:
            return  # a lock file we cannot open belongs to a folder no liqbt command can write
        if mode == fcntl.LOCK_EX:
            self._describe_holder(self._fds[-1])

    def _describe_holder(self, fd: int) -> None:
        """Who holds it, for the one line a second command prints."""
        holder = json.dumps({"pid": os.getpid(), "command": self.command,
                             "since": time.strftime("%Y-%m-%d %H:%M:%S")})
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)

    def release(self) -> None:
        for fd in reversed(self._fds):
            os.close(fd)  # closing the descriptor releases its flock
        self._fds.clear()


def _may_be_replaced(folder: Path) -> bool:
    """Could a liqbt command be replacing `folder` as a whole? An output folder, or one with a
    lock file beside it (being written now, its first output not yet in place); elsewhere no
    lock is needed, and no lock file is left beside a folder liqbt never wrote."""
    return lock_path(folder).exists() or output_kind(folder) is not None


def _lock(path: Path, mode: int) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        folder = path.parent / path.name.removeprefix(".").removesuffix(".lock")
        raise OutputBusy(f"{folder} is being written by another liqbt command{holder}; wait "
                         "for it to finish, or choose another --out") from None
    return fd


def _holder(fd: int) -> str:
    """Who holds the lock, as its exclusive holder wrote it; "" when unknown (shared holders,
    commands writing inside the folder, do not write it: the pid there may be long gone)."""
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
        os.kill(int(holder["pid"]), 0)
        return f" (liqbt {holder['command']}, pid {holder['pid']}, since {holder['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""
