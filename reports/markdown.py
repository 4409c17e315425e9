"""Small GitHub-flavoured Markdown helpers shared by the run's and the sweep's summaries
(`summary.md`, `sweep_summary.md`, which CI also appends to the job's step summary); numbers
read as on the pages (`reports.formats`)."""

from __future__ import annotations

import re
from typing import Sequence


_ACTIVE = str.maketrans({"|": "\\|", "`": "\\`", "[": "\\[", "]": "\\]", "<": "&lt;",
                         ">": "&gt;", "\r": " ", "\n": " "})


def text(value) -> str:
    """User-given text (a title, a sleeve or file name) as literal Markdown on one line: no
    table break, code span, link or HTML tag of its own (a CI job page renders it); other
    control characters dropped."""
    plain = "".join(c for c in str(value) if c.isprintable() or c in "\r\n")
    return plain.translate(_ACTIVE).lstrip("#")


def code(value) -> str:
    """`value` as a code span (a path, a name), or as `text` when it could end the span early."""
    plain = str(value)
    return f"`{plain}`" if plain.isprintable() and "`" not in plain else text(plain)


def cell(value) -> str:
    """Text safe inside a table cell: `text` unless it is Markdown this module made (`code`,
    **bold**, numbers)."""
    value = str(value)
    if re.fullmatch(r"`[A-Za-z0-9_.-]*`", value):
        return value
    return text(value)


def table(header: Sequence[str], rows: Sequence[Sequence], align: str | None = None) -> str:
    """A Markdown table; `align` is one letter per column, l or r (default: first left, rest
    right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def join_sections(sections: Sequence[str | None]) -> str:
    """Non-empty sections separated by blank lines, ending with a newline."""
    return "\n\n".join(s.strip("\n") for s in sections if s) + "\n"
