"""The output contract of `liqbt run` (DESIGN.md): every file a user or CI job may rely on.

    OUT/index.html  OUT/tearsheets/<strategy>.html  OUT/summary.json  OUT/summary.md
    OUT/returns.csv  OUT/weights/<strategy>.csv  OUT/manifest.json
    + the pages of PAGE_WRITERS (OUT/signals.html, ...) and OUT/assets/ (shared plotly.js)
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.atomic import write_json, write_text_atomic
from reports.event_study_page import write_event_study_page
from reports.index_page import write_index_page
from reports.manifest import build_manifest
from reports.pages import PageLink, PageWriter, RunReport, collect_links
from reports.run_summary import run_summary_markdown
from reports.signals_outputs import write_signals_page
from reports.tearsheet_pool import TearsheetJob, TearsheetWorkers
from reports.verdict_page import write_verdict_page

Progress = Callable[[str], None]

# Every extra page of a run, in the order index.html lists them: `write_<name>_page(run, out_dir,
# manifest) -> PageLink | list[PageLink] | None` (reports/pages.py). Add a page with one line here.
PAGE_WRITERS: list[PageWriter] = [
    write_verdict_page,
    write_event_study_page,
    write_signals_page,
]


def returns_frame(result) -> pd.DataFrame:
    """Daily simple returns: one column per strategy, then each sleeve benchmark."""
    columns = {name: r.returns for name, r in result.strategies.items()}
    columns.update({f"buy_and_hold_{sleeve}": series for sleeve, series in result.benchmarks.items()})
    frame = pd.DataFrame(columns)
    frame.index.name = "date"
    return frame


def weights_frame(backtest, lag_days: int) -> pd.DataFrame:
    """Decisions only: the decision session, the session it trades at, and the target weights."""
    decided = backtest.target_weights.dropna(how="all")
    sessions = backtest.returns.index
    positions = sessions.get_indexer(decided.index) + lag_days
    traded = [str(sessions[p].date()) if p < len(sessions) else "" for p in positions]
    frame = decided.copy()
    frame.insert(0, "traded", traded)
    frame.index.name = "date"
    return frame


def tearsheet_jobs(run: RunReport, out_dir: Path, manifest: dict) -> list[TearsheetJob]:
    """One tearsheet per strategy, benchmarks included, against the strategy's benchmark (none
    when the strategy has no benchmark or is its own)."""
    result = run.result
    risk_free = result.risk_free_returns()
    jobs = []
    for name, backtest in result.strategies.items():
        label, bench = result.benchmark_returns(name) or (None, None)
        if label == name:
            label, bench = None, None
        jobs.append(TearsheetJob(name, backtest.returns, bench, label,
                                 out_dir / "tearsheets" / f"{name}.html", manifest,
                                 risk_free))
    return jobs


def write_pages(run: RunReport, out_dir: Path, manifest: dict, progress: Progress,
                writers: list[PageWriter] | None = None) -> list[PageLink]:
    """Run every page writer; the links they return, in order."""
    links: list[PageLink] = []
    for writer in PAGE_WRITERS if writers is None else writers:
        progress(f"page {writer.__name__.removeprefix('write_').removesuffix('_page')}")
        links += collect_links(writer(run, out_dir, manifest))
    return links


def write_run_outputs(run: RunReport, out_dir: Path, progress: Progress = lambda message: None,
                      workers: TearsheetWorkers | None = None) -> dict:
    """Write the full output contract of a run; returns the manifest.

    Tearsheets render in `workers` (started by the caller, ideally before the backtest, so their
    imports overlap it) or in a pool of `report.workers` processes opened here; the other pages
    are written in this process meanwhile."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result, report = run.result, run.report
    manifest = build_manifest(result, run.config)
    benchmark_of = {name: bench[0] for name in result.strategies
                    if (bench := result.benchmark_returns(name)) is not None}
    write_json(out_dir / "summary.json", {
        "config": run.config.name,
        "strategies": result.summary,
        "benchmarks": result.benchmark_summary,
        "benchmark_of": benchmark_of,
        "annualisation_days": 252,
        "risk_free": result.risk_free_record(),
        "risk_free_annual": (None if result.spec.risk_free.sleeve
                             else result.spec.risk_free.constant),
    })
    write_text_atomic(out_dir / "returns.csv", returns_frame(result).to_csv(float_format="%.10g"))
    lag_days = result.spec.execution.lag_days
    for name, backtest in result.strategies.items():
        write_text_atomic(out_dir / "weights" / f"{name}.csv",
                          weights_frame(backtest, lag_days).to_csv(float_format="%.6g"))
    jobs = tearsheet_jobs(run, out_dir, manifest) if report.tearsheets else []
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(TearsheetWorkers(report.workers if jobs else 1))
        if jobs:
            progress(f"tearsheets: {len(jobs)} in {workers.workers} process(es)")
        pending = workers.submit(jobs)
        pages = write_pages(run, out_dir, manifest, progress)
        written = pending.wait(progress)
    tearsheets = {name: path.relative_to(out_dir).as_posix() for name, path in written.items()}
    write_json(out_dir / "manifest.json", manifest)
    write_text_atomic(out_dir / "summary.md", run_summary_markdown(run, manifest))
    write_index_page(run, out_dir, manifest, tearsheets, pages)
    return manifest
