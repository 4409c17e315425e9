"""Small GitHub-flavoured Markdown helpers shared by the run's and the sweep's summaries
(`summary.md`, `sweep_summary.md`, which CI also appends to the job's step summary)."""

from __future__ import annotations

import math
from typing import Callable, Sequence

PERCENT_METRICS = {"total_return", "cagr", "max_drawdown", "volatility"}


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


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt_number(value, digits: int = 2) -> str:
    return "–" if missing(value) else f"{value:,.{digits}f}"


def fmt_percent(value) -> str:
    return "–" if missing(value) else f"{value:.2%}"


def fmt_metric(name: str) -> Callable[[object], str]:
    """The formatter of a summary metric (percentages for returns, drawdown and volatility)."""
    return fmt_percent if name in PERCENT_METRICS else fmt_number


def join_sections(sections: Sequence[str | None]) -> str:
    """Non-empty sections separated by blank lines, ending with a newline."""
    return "\n\n".join(s.strip("\n") for s in sections if s) + "\n"
