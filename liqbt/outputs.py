"""Output folders, part 2: build the output beside the folder, swap it in only when complete.

    with output_folder(out, "run", avoid={"the snapshot": snapshot}) as staging:
        ...write every file into `staging`...     # checked and locked before any work
    # now `out` is the complete new output; after any failure, Ctrl-C or kill the old one

How: `out` is checked and locked first (`liqbt.output_lock`); the command writes into
`.NAME.staging-PID-XXXX` beside it; when everything is written, a marker (`.liqbt-output.json`,
listing the command's entries) goes in, entries of the old folder that the last command did not
write (a nested `sweep/`, a user's notes) are moved over, and the two folders are exchanged with
one `renameat2(RENAME_EXCHANGE)` call; then the old one is deleted. Where the kernel or file
system cannot exchange, the old folder is renamed to `.NAME.previous` and the new one into place.

What a reader sees: `out` is always the old complete output or the new complete output, never a
mix and never a partial one (only with the rename fallback is there an instant without `out`).
A reader already inside the old folder keeps the files it opened; files it opens later may be
gone (the old folder is deleted file by file), never replaced by the new run's. Stale pages of an
earlier run (a strategy since removed) disappear with it. Leftovers of a killed command (a staging
folder, or with the fallback a `.previous` one) are sorted out by the next command on the folder,
under its lock: an unfinished staging folder is deleted, entries carried from the old folder are
put back, and a missing `out` is restored from the newest complete folder.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from feeds.atomic import UMASK
from liqbt.output_lock import (
    MARKER, FolderLock, check_target, own_entries, read_marker,
)

RENAME_EXCHANGE = 2


@contextmanager
def output_folder(target: Path, command: str, avoid: dict[str, Path | None] | None = None,
                  stage: bool = True) -> Iterator[Path]:
    """Check and lock `target`, then yield the folder to write into: a staging folder swapped
    in on success (`stage=True`), or `target` itself (`stage=False`: commands that checkpoint
    into their folder, like `liqbt sweep`; they get the checks, the lock and the marker)."""
    folder = check_target(target, command, avoid or {}, replaced=stage)
    lock = FolderLock(folder, command).acquire(replacing=stage)
    try:
        recover(folder, command)
        if not stage:
            folder.mkdir(parents=True, exist_ok=True)
            if read_marker(folder) is None:  # new, or written before markers existed
                _write_marker(folder, command, entries=None)
            yield folder
            return
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-{os.getpid()}-",
                                        dir=folder.parent))
        os.chmod(staging, 0o777 & ~UMASK)  # mkdtemp makes 0700; an output folder follows umask
        try:
            yield staging
            publish(staging, folder, command)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        lock.release()


def _write_marker(folder: Path, command: str, entries: list[str] | None) -> None:
    marker = {"command": command, "pid": os.getpid(), "complete": entries is not None,
              "entries": entries}
    (folder / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")


def publish(staging: Path, folder: Path, command: str) -> None:
    """Make the complete `staging` folder `folder`; see the module docstring."""
    _write_marker(staging, command, sorted(os.listdir(staging)))
    _fsync_dir(staging)
    if not folder.exists():
        os.rename(staging, folder)
        _fsync_dir(folder.parent)
        return
    _carry_foreign(folder, staging, command)
    if _exchange(staging, folder):
        _fsync_dir(folder.parent)
        shutil.rmtree(staging, ignore_errors=True)
        return
    previous = folder.parent / f".{folder.name}.previous"
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(folder, previous)
    os.rename(staging, folder)
    _fsync_dir(folder.parent)
    shutil.rmtree(previous, ignore_errors=True)


def _carry_foreign(old: Path, new: Path, command: str) -> None:
    """Move the entries of `old` its last command did not write (nested outputs, a user's
    files) into `new`, unless `new` has an entry of that name."""
    own = own_entries(old, command)
    for name in os.listdir(old):
        if name in own or (new / name).exists() or ".staging-" in name \
                or name.endswith(".previous"):
            continue
        os.rename(old / name, new / name)


def recover(folder: Path, command: str) -> None:
    """Sort out what a killed command left beside `folder` (call with the folder's lock held)."""
    leftovers = sorted(folder.parent.glob(f".{folder.name}.staging-*")) + \
        sorted(folder.parent.glob(f".{folder.name}.previous"))
    for leftover in leftovers:
        if not leftover.is_dir():
            continue
        marker = read_marker(leftover)
        if marker is None or not marker.get("complete"):
            shutil.rmtree(leftover, ignore_errors=True)  # killed before it was complete
            continue
        if not folder.exists():
            os.rename(leftover, folder)  # killed between the two renames: the complete one wins
            continue
        own = own_entries(leftover, str(marker.get("command", command)))
        for name in os.listdir(leftover):  # entries carried over before the kill go back
            if name not in own and not (folder / name).exists():
                os.rename(leftover / name, folder / name)
        shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (a crash right after must not bring the old entry back)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
