"""The output contract of `liqbt run` (DESIGN.md): every file a user or CI job may rely on.

    OUT/index.html  OUT/tearsheets/<strategy>.html  OUT/summary.json  OUT/returns.csv
    OUT/weights/<strategy>.csv  OUT/manifest.json
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.atomic import write_text_atomic
from reports.event_study_page import write_event_study_page
from reports.index_page import render_index
from reports.jsonio import write_json
from reports.manifest import build_manifest
from reports.tearsheet import write_tearsheet
from reports.verdict_page import write_verdict_page

Progress = Callable[[str], None]


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


def write_run_outputs(result, out_dir: Path, progress: Progress = lambda message: None) -> dict:
    """Write the full output contract for a `backtests.run.RunResult`; returns the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = build_manifest(result)
    config = result.config
    benchmark_of = {name: bench[0] for name in result.strategies
                    if (bench := result.benchmark_returns(name)) is not None}
    write_json(out_dir / "summary.json", {
        "config": config.name,
        "strategies": result.summary,
        "benchmarks": result.benchmark_summary,
        "benchmark_of": benchmark_of,
        "annualisation_days": 252,
        "risk_free_annual": config.report.risk_free_annual,
    })
    write_text_atomic(out_dir / "returns.csv", returns_frame(result).to_csv(float_format="%.10g"))
    for name, backtest in result.strategies.items():
        write_text_atomic(out_dir / "weights" / f"{name}.csv",
                          weights_frame(backtest, config.execution.lag_days).to_csv(float_format="%.6g"))
    tearsheets = {}
    if config.report.tearsheets:
        for name, backtest in result.strategies.items():
            benchmark = result.benchmark_returns(name)
            if benchmark is None:
                continue
            progress(f"tearsheet {name}")
            label, bench_returns = benchmark
            target = out_dir / "tearsheets" / f"{name}.html"
            write_tearsheet(backtest.returns, bench_returns, label, name, target, manifest,
                            config.report.risk_free_annual)
            tearsheets[name] = f"tearsheets/{name}.html"
    pages = []
    if result.verdict is not None:
        pages.append(write_verdict_page(result.verdict, out_dir, manifest,
                                        config.report.title or config.name))
    if (link := write_event_study_page(result, out_dir, manifest)):
        pages.append(link)
    write_json(out_dir / "manifest.json", manifest)
    write_text_atomic(out_dir / "index.html", render_index(result, manifest, tearsheets, pages))
    return manifest
