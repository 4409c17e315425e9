"""GitHub Actions job summaries: a command's Markdown summary appended to `$GITHUB_STEP_SUMMARY`
when that variable is set (a CI job), kept under GitHub's 1 MiB limit per step.

GitHub drops a step's summary that exceeds 1 MiB (with an error annotation), so when the file
would grow past STEP_SUMMARY_LIMIT the text is cut at a line and ends with a note naming the file
that holds all of it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Callable, Mapping

from reports.markdown import code

STEP_SUMMARY_LIMIT = 1_000_000  # bytes; GitHub's limit is 1 MiB = 1,048,576 per step


def fit_to(text: str, room: int, full_text_at: Path) -> str:
    """`text`, or its first lines and a note, within `room` bytes (UTF-8); "" if nothing fits."""
    if len(text.encode()) <= room:
        return text
    note = (f"\n*(cut to stay under GitHub's 1 MiB step-summary limit; all of it is in "
            f"{code(full_text_at)})*\n")
    budget = room - len(note.encode())
    if budget <= 0:
        return ""
    kept = text.encode()[:budget].decode(errors="ignore")
    return kept[: kept.rfind("\n") + 1] + note


def append_step_summary(markdown: str, full_text_at: Path,
                        warn: Callable[[str], None] = lambda message: None,
                        environ: Mapping[str, str] = os.environ) -> Path | None:
    """Append `markdown` (the content of `full_text_at`) to the job summary, if there is one."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    try:
        if path.exists() and not path.is_file():  # a folder, a device, a FIFO that would block
            raise OSError(errno.EINVAL, "not a regular file")
        used = path.stat().st_size if path.exists() else 0
        separator = "\n" if used else ""
        text = fit_to(separator + markdown.rstrip("\n") + "\n", STEP_SUMMARY_LIMIT - used,
                      full_text_at)
        if text.strip():
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(text)
    except OSError as exc:
        warn(f"could not append to GITHUB_STEP_SUMMARY {path} ({exc.strerror}); the summary "
             f"is in {full_text_at}")
        return None
    if not text.strip():
        warn(f"GITHUB_STEP_SUMMARY {path} is full (1 MiB); the summary is in {full_text_at}")
    return path
