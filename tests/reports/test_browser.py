"""Every page liqbt writes, loaded in headless chromium: no console errors, no network, key elements
drawn (charts hold data, are drawn, and span the run's sessions); a PNG screenshot is saved beside
every page but the second and later tearsheets of a folder (set LIQBT_BROWSER_OUT=DIR to keep
them: index, verdict, sweep, event study, signals, tearsheets).

chromium is Debian's `chromium` package (`.ci/run` installs it). Without it these tests FAIL with
a message saying so: a report that is never opened in a browser can break silently.

Adding a page kind: one entry in PAGE_KINDS, `glob pattern (relative to the output folder) ->
key elements`, or a function of the output folder returning them (when the checks depend on the
run: its sessions, its strategies). A page that matches no pattern fails the test, so a new page
cannot go unchecked.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

from tests.browser import Chromium, KeyElement, find_chromium
from tests.reports.conftest import run_cli

PLOTLY_UNDRAWN = KeyElement(
    "plotly charts without a drawn SVG",
    "count('.plotly-graph-div') - count('.plotly-graph-div:has(svg.main-svg)')", 0, 0)


def index_checks(root: Path) -> list[KeyElement]:
    """The run's index: table, overview chart (3 panels per line, over the run's sessions),
    the latest panel, manifest."""
    summary = json.loads((root / "summary.json").read_text())
    sessions = json.loads((root / "manifest.json").read_text())["sessions"]
    strategies = len(summary["strategies"])
    lines = strategies + len(summary["benchmarks"])
    first, last = sessions["first"], sessions["last"]
    return [
        KeyElement("summary table rows", "count('#summary tbody tr.strategy')",
                   strategies, strategies),
        KeyElement("tearsheet links", "count('#summary a[href^=\"tearsheets/\"]')"),
        KeyElement("summary table sorts by Sharpe", "sorts('#summary', 4)", 1, 1),
        KeyElement("warnings section", "count('#warnings')", 1, 1),
        KeyElement("data age at the top", "count('#data-age')", 1, 1),
        KeyElement("overview traces with data (growth, drawdown, Sharpe per line)",
                   "plotted('#overview')", 3 * lines + 1),
        KeyElement("overview lines drawn", "lines('#overview')", 3 * lines),
        KeyElement(f"overview x axis covers {first}..{last}",
                   f"xcovers('#overview', '{first}', '{last}')", 1, 1),
        KeyElement("latest weights, one row per strategy", "count('#latest-weights tbody tr')",
                   strategies, strategies),
        KeyElement("latest regime, stance and pace", "count('#latest li')", 3, 3),
        PLOTLY_UNDRAWN,
        KeyElement("manifest", "count('#liqbt-manifest #liqbt-data-files tbody tr')"),
    ]


def sweep_checks(root: Path) -> list[KeyElement]:
    summary = json.loads((root / "sweep_summary.json").read_text())
    first, last = summary["sessions"]["first"], summary["sessions"]["last"]
    equity = 3 if summary["walk_forward"] else 2
    checks = [
        KeyElement("winner / median / walk-forward curves", "plotted('#sweep-equity')",
                   equity, equity),
        KeyElement("their lines drawn", "lines('#sweep-equity')", equity, equity),
        KeyElement(f"equity x axis covers {first}..{last}",
                   f"xcovers('#sweep-equity', '{first}', '{last}')", 1, 1),
        KeyElement("heatmap drawn", "count('#sweep-heatmap:has(svg.main-svg)')", 1, 1),
        KeyElement("top/bottom tables", "count('table')", 2),
        KeyElement("parity result", "count('#parity')", 1, 1),
        PLOTLY_UNDRAWN,
        KeyElement("manifest", "count('#liqbt-manifest')", 1, 1),
    ]
    if len(summary["grid"]) > 2:
        checks.append(KeyElement("every combination in parallel coordinates",
                                 "plotted('#sweep-grid')", 1, 1))
    return checks


def signals_checks(root: Path) -> list[KeyElement]:
    """One chart per signals.csv column, each over the file's first..last date."""
    lines = (root / "signals.csv").read_text().splitlines()
    columns = lines[0].split(",")[1:]
    first, last = lines[1].split(",")[0], lines[-1].split(",")[0]
    covering = " + ".join(f"xcovers('#chart-{c}', '{first}', '{last}')" for c in columns)
    return [
        KeyElement("one chart per signal", "count('.plotly-graph-div')", len(columns),
                   len(columns)),
        KeyElement(f"charts whose x axis covers {first}..{last}", covering, len(columns),
                   len(columns)),
        PLOTLY_UNDRAWN,
        KeyElement("policy calendar rows", "count('#policy-events tbody tr')"),
        KeyElement("manifest", "count('#liqbt-manifest')", 1, 1),
    ]


Checks = list[KeyElement] | Callable[[Path], list[KeyElement]]
PAGE_KINDS: dict[str, Checks] = {
    "index.html": index_checks,
    "tearsheets/*.html": [
        KeyElement("charts drawn (inline SVG)", "drawn('#left svg')", 12),
        KeyElement("metrics table rows", "count('#right table tr')", 40),
        KeyElement("manifest", "count('#liqbt-manifest')", 1, 1),
    ],
    "signals.html": signals_checks,
    "verdict.html": [
        KeyElement("one row per article claim", "count('#verdict tbody tr.claim')", 6, 6),
        KeyElement("verdict labels", "count('#verdict .verdict')", 6, 6),
        KeyElement("manifest", "count('#liqbt-manifest')", 1, 1),
    ],
    "event_study.html": [
        KeyElement("mean-path charts", "count('[id^=\"mean-\"].plotly-graph-div')", 3),
        # 9 sleeves x (band + mean + the 2019-10-11 and 2025-12-10 RMP episodes)
        KeyElement("RMP episodes over the RMP mean band", "plotted('#episodes-RMP')", 36),
        KeyElement("episode lines drawn", "lines('#episodes-RMP')", 27),
        PLOTLY_UNDRAWN,
        KeyElement("manifest", "count('#liqbt-manifest')", 1, 1),
    ],
    "sweep.html": sweep_checks,
}


def page_kind(relative: str, root: Path | None = None) -> list[KeyElement] | None:
    """The checks of a page (`relative` to its output folder `root`), None for an unknown kind."""
    checks = next((checks for pattern, checks in PAGE_KINDS.items()
                   if fnmatch.fnmatch(relative, pattern)), None)
    return checks(root) if callable(checks) else checks


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    binary = find_chromium()
    if binary is None:
        pytest.fail("chromium not found: the browser check needs Debian's chromium "
                    "(apt-get update && apt-get install -y chromium; .ci/run does it), or set "
                    "LIQBT_CHROMIUM to a chromium binary")
    return binary


@pytest.fixture(scope="module")
def browser(chromium_binary, tmp_path_factory):
    with Chromium(chromium_binary, tmp_path_factory.mktemp("chromium")) as running:
        yield running


@pytest.fixture(scope="module")
def generated_pages(quickstart_run, snapshot, tmp_path_factory) -> list[tuple[Path, Path]]:
    """(output folder, page) for every HTML page liqbt writes: the quickstart run, the article run
    (verdict, event studies, signals, 12 tearsheets), the article sweep and the standalone
    `liqbt signals` page; copied to LIQBT_BROWSER_OUT when set."""
    roots = {"run": quickstart_run}
    for name, command in (("signals", ["signals", "liqbt/configs/quickstart.yaml"]),
                          ("article", ["run", "liqbt/configs/article.yaml"]),
                          ("sweep", ["sweep", "liqbt/configs/article.yaml"])):
        out = tmp_path_factory.mktemp(name)
        run_cli([*command, "--out", str(out)], out, snapshot)
        roots[name] = out
    if os.environ.get("LIQBT_BROWSER_OUT"):
        keep = Path(os.environ["LIQBT_BROWSER_OUT"])
        for name, root in roots.items():
            shutil.copytree(root, keep / name, dirs_exist_ok=True)
        roots = {name: keep / name for name in roots}
    return [(root, page) for root in roots.values() for page in sorted(root.rglob("*.html"))]


def test_every_page_loads_cleanly_with_its_key_elements(browser, generated_pages):
    problems = []
    kinds_seen = set()
    for root, page in generated_pages:
        relative = page.relative_to(root).as_posix()
        checks = page_kind(relative, root)
        if checks is None:
            problems.append(f"{relative}: no key-element checks for this page; add its glob "
                            "pattern to PAGE_KINDS in tests/reports/test_browser.py")
            continue
        kind = relative.split("/")[0]
        # one screenshot per kind and folder: the other tearsheets look alike (~0.4 s each)
        shoot = kind != "tearsheets" or page == min(root.glob("tearsheets/*.html"))
        kinds_seen.add(kind)
        report = browser.check_page(page, checks, page.with_suffix(".png") if shoot else None)
        problems += [f"{relative}: {problem}" for problem in report.problems]
        if shoot:
            assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
    assert {"index.html", "tearsheets", "signals.html", "verdict.html", "event_study.html",
            "sweep.html"} <= kinds_seen
    assert problems == []


def test_overview_chart_ends_at_each_total_return_of_summary_json(browser, generated_pages):
    """What the reader sees at the right end of the overview's growth panel is the total return
    summary.json reports, for every strategy and benchmark of the article run."""
    root = next(root for root, page in generated_pages
                if page == root / "index.html" and (root / "verdict.html").exists())
    report = browser.check_page(root / "index.html", [], probes={"last": """
        Object.fromEntries(chart('#overview').data.filter(t => t.yaxis === 'y' && t.legendgroup)
            .map(t => [t.name, [t.y[t.y.length - 1], t.x[t.x.length - 1]]]))"""})
    summary = json.loads((root / "summary.json").read_text())
    expected = {**summary["strategies"], **summary["benchmarks"]}
    last = json.loads((root / "manifest.json").read_text())["sessions"]["last"]
    drawn = report.values["last"]
    assert set(drawn) == set(expected) and len(drawn) == 12
    for name, (growth, date) in drawn.items():
        assert date == last, name
        assert growth - 1 == pytest.approx(expected[name]["total_return"], abs=2e-6), name


# -- the checker itself must catch a broken page ----------------------------------------------

def _broken(tmp_path: Path, name: str, body: str, head: str = "") -> Path:
    page = tmp_path / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"<!doctype html><html><head><meta charset='utf-8'>{head}</head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    return page


def test_checker_catches_a_javascript_error(browser, tmp_path):
    page = _broken(tmp_path, "index.html", "<p>x</p><script>notAFunction();</script>")
    report = browser.check_page(page, [])
    assert any("ReferenceError: notAFunction is not defined" in p for p in report.problems)


def test_checker_catches_console_errors(browser, tmp_path):
    page = _broken(tmp_path, "index.html", "<script>console.error('chart data missing')</script>")
    assert browser.check_page(page, []).problems == ["console.error: chart data missing"]


def test_checker_catches_a_tearsheet_without_charts(browser, tmp_path):
    rows = "".join(f"<tr><td>m{i}</td><td>1</td></tr>" for i in range(45))
    page = _broken(tmp_path, "tearsheets/x.html", '<div id="left"><svg width="0" height="0">'
                   f'</svg></div><div id="right"><table>{rows}</table></div>'
                   '<section id="liqbt-manifest"></section>')
    report = browser.check_page(page, page_kind("tearsheets/x.html"))
    assert report.problems == ["key element 'charts drawn (inline SVG)': 0 found, at least 12 "
                               "expected"]


def test_checker_catches_plotly_that_did_not_load_and_network_requests(browser, tmp_path):
    """A plotly page whose local plotly.js is missing, and which also asks a CDN for a font."""
    page = _broken(tmp_path, "signals.html",
                   '<div id="c" class="plotly-graph-div"></div>'
                   "<script>Plotly.newPlot('c', [{y: [1, 2]}], {});</script>",
                   head='<script src="assets/plotly-missing.min.js"></script>'
                        '<link rel="stylesheet" href="https://fonts.example.com/css?family=Arial">')
    report = browser.check_page(page, [PLOTLY_UNDRAWN])
    text = "\n".join(report.problems)
    assert "ReferenceError: Plotly is not defined" in text
    assert "plotly-missing.min.js" in text  # the failed local load
    assert "network request to https://fonts.example.com/" in text
    assert "key element 'plotly charts without a drawn SVG': 1 found, at most 0 expected" in text


def test_a_chromium_that_is_not_there_is_not_found(monkeypatch, tmp_path):
    monkeypatch.setenv("LIQBT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None  # -> the fixture fails the run, it does not skip


def test_an_unknown_page_kind_is_a_failure():
    assert page_kind("tearsheets/a.html") is not None and page_kind("verdict.html") is not None
    assert page_kind("verdict_without_checks.html") is None


def test_checker_catches_an_empty_chart_an_axis_short_of_the_run_and_an_unsorted_table(
        browser, tmp_path):
    """A chart whose trace has no points, whose x axis ends before the run's last session, and a
    table whose header click does not sort: each is reported."""
    page = _broken(tmp_path, "index.html",
                   '<div id="c" class="plotly-graph-div" style="height:300px"></div>'
                   "<script>Plotly.newPlot('c', [{x: ['2020-01-02', '2020-06-30'], y: [1, 2]},"
                   " {x: [], y: []}], {xaxis: {type: 'date'}});</script>"
                   '<table id="t"><thead><tr><th>a</th></tr></thead><tbody>'
                   '<tr><td data-v="2">2</td></tr><tr><td data-v="1">1</td></tr></tbody></table>',
                   head=_plotly_head(tmp_path))
    report = browser.check_page(page, [
        KeyElement("traces with data", "plotted('#c')", 2),
        KeyElement("lines drawn", "lines('#c')", 1, 1),
        KeyElement("x covers 2020", "xcovers('#c', '2020-01-02', '2020-12-31')", 1, 1),
        KeyElement("sorts", "sorts('#t', 0)", 1, 1)])
    assert report.problems == [
        "key element 'traces with data': 1 found, at least 2 expected",
        "key element 'x covers 2020': 0 found, at least 1 expected",
        "key element 'sorts': 0 found, at least 1 expected"]


def _plotly_head(folder: Path) -> str:
    from reports.plotly_assets import plotly_script_tag

    return plotly_script_tag(folder)
