"""Small GitHub-flavoured Markdown helpers shared by the run's and the sweep's summaries
(`summary.md`, `sweep_summary.md`, which CI also appends to the job's step summary); numbers
read as on the pages (`reports.formats`)."""

from __future__ import annotations

from typing import Sequence


def cell(value) -> str:
    """Text safe inside a table cell (pipes escaped, one line)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


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
