"""The verdict page in headless chromium: a specification curve per claim and an out-of-sample
excess chart per claim with a rule, drawn by the local plotly copy, with no errors and no network
(the page kinds of tests/reports/test_browser.py check the rest of every page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import Chromium, KeyElement, find_chromium
from tests.verdict_fixtures import ARTICLE, article_verdict_run  # noqa: F401  (fixture)

VERDICT_CHARTS = [
    KeyElement("one row per claim", "count('#verdict tbody tr.claim')", 6, 6),
    KeyElement("Holm-adjusted p on every row", "count('#verdict tr[data-p-adjusted]')", 6, 6),
    KeyElement("specification curves drawn",
               "count('[id^=\"spec-curve-\"].plotly-graph-div:has(svg.main-svg)')", 6, 6),
    KeyElement("spec curves with a primary marker",
               "[...document.querySelectorAll('[id^=\"spec-curve-\"]')].filter(d => "
               "d.data.some(t => t.name === 'primary' && t.x.includes('primary'))).length", 6, 6),
    KeyElement("out-of-sample excess charts drawn",
               "count('[id^=\"oos-\"].plotly-graph-div:has(svg.main-svg)')", 5, 5),
    KeyElement("walk-forward windows marked and the post-2025-12-10 window shaded",
               "[...document.querySelectorAll('[id^=\"oos-\"]')].filter(d => "
               "d.layout.shapes.filter(s => s.type === 'line').length >= 10 && "
               "d.layout.shapes.some(s => s.type === 'rect' && s.x0 === '2025-12-10')).length",
               5, 5),
    KeyElement("thresholds written out", "count('pre.rules')", 1, 1),
    KeyElement("plotly charts without a drawn SVG",
               "count('.plotly-graph-div') - count('.plotly-graph-div:has(svg.main-svg)')", 0, 0),
]


def test_the_verdict_page_draws_its_specification_curves_and_oos_charts(article_verdict_run,
                                                                         tmp_path):
    binary = find_chromium()
    if binary is None:
        pytest.fail("chromium not found: the browser check needs Debian's chromium "
                    "(or LIQBT_CHROMIUM)")
    from liqbt.config import load_config
    from liqbt.run import config_record
    from reports.config import ReportSection
    from reports.manifest import build_manifest
    from reports.pages import RunReport
    from reports.verdict_page import write_verdict_page

    record = config_record(load_config(ARTICLE), ARTICLE)
    run = RunReport(article_verdict_run, ReportSection(), record)
    write_verdict_page(run, tmp_path, build_manifest(article_verdict_run, record))
    page = Path(tmp_path / "verdict.html")
    (tmp_path / "chromium").mkdir()
    with Chromium(binary, tmp_path / "chromium") as browser:
        report = browser.check_page(page, VERDICT_CHARTS, tmp_path / "verdict.png")
    assert report.problems == []
    assert report.screenshot is not None and report.screenshot.stat().st_size > 50_000
