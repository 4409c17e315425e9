"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Write to a temporary file in the same directory, fsync, then `os.replace` (atomic on POSIX), so an
interrupted write (crash, Ctrl-C, full disk) leaves what was stored before intact.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from feeds.errors import InputError


def _read_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


#: Read once at import: changing the process umask later, even briefly, could race with other
#: threads creating files (fetches run in worker threads).
UMASK = _read_umask()


@contextmanager
def atomic_path(target: str | Path, publish_if: Callable[[], bool] | None = None
                ) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` atomically
    (unless `publish_if()` says no at that moment: then it is dropped). A folder that cannot be
    written is one InputError naming it."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write {target} ({exc.strerror}): choose a writable folder "
                         "(--out, --cache-dir, --export)") from None
    os.close(handle)
    temp = Path(temp_name)
    os.chmod(temp, 0o666 & ~UMASK)  # mkstemp creates 0600; published files follow the umask
    try:
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        if publish_if is None or publish_if():
            os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(target: str | Path, text: str) -> None:
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")


def json_ready(value):
    """A copy of `value` that is valid JSON: NaN/inf become null, numpy scalars plain numbers."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


def write_json(target: str | Path, payload: dict) -> None:
    """`payload` as indented JSON, atomically."""
    write_text_atomic(target, json.dumps(json_ready(payload), indent=2) + "\n")


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as temp:
        temp.write_bytes(data)
