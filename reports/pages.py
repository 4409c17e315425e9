"""Extra pages of a run (issue 7 convention): each is written by a
`write_<name>_page(result_or_data, out_dir, manifest) -> PageLink | None` function and linked from
index.html; None means the run has nothing for that page (e.g. no `event_study:` section)."""

from __future__ import annotations

from typing import NamedTuple


class PageLink(NamedTuple):
    title: str
    href: str  # relative to the run's output folder
