"""How the pages of a run find their way into index.html.

A page writer is a function `write_<name>_page(run, out_dir, manifest)` that reads a `RunReport`,
writes its page(s) under `out_dir` and returns a `PageLink` (or several, or None when the run has
nothing for it). `reports/outputs.py` keeps the list of writers; adding a page is one line there,
and index.html links whatever the writers return, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from backtests.results import RunResult
from reports.config import ReportSection
from reports.manifest import ConfigRecord


@dataclass(frozen=True)
class RunReport:
    """What the pages of a run read: the backtest results, the `report:` section, the config's
    record for the manifests."""

    result: RunResult
    report: ReportSection
    config: ConfigRecord

    @property
    def title(self) -> str:
        return self.report.title or self.config.name


class PageLink(NamedTuple):
    """One link on index.html: `href` is relative to the output folder (e.g. "verdict.html")."""

    title: str
    href: str
    description: str = ""


PageWriter = Callable[[RunReport, Path, dict], "PageLink | Sequence[PageLink] | None"]


def collect_links(returned: PageLink | Sequence[PageLink] | None) -> list[PageLink]:
    """What a writer returned, as a list (None -> nothing; one link -> [link])."""
    if returned is None:
        return []
    if isinstance(returned, PageLink):
        return [returned]
    return list(returned)
