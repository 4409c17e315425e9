"""quantstats tearsheets, quiet and offline.

The benchmark is always passed as a return Series: given a ticker string quantstats calls Yahoo,
and offline that benchmark silently becomes all zeros.
"""

from __future__ import annotations

import html
import logging
import warnings
from pathlib import Path

import pandas as pd

from feeds.atomic import atomic_path


def _quiet_matplotlib() -> None:
    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    logging.getLogger("matplotlib").setLevel(logging.ERROR)


def manifest_block(manifest: dict) -> str:
    """A small HTML section carrying the run's provenance into every page."""
    files = "".join(
        f"<tr><td>{html.escape(f['path'])}</td><td>{f['first']} .. {f['last']}</td>"
        f"<td><code>{f['sha256'][:16]}</code></td></tr>" for f in manifest.get("data_files", []))
    packages = ", ".join(f"{k} {v}" for k, v in manifest.get("packages", {}).items())
    sessions = manifest.get("sessions", {})
    return (
        '<section id="liqbt-manifest" style="font:12px monospace;margin:2em;color:#444">'
        f"<h3>liqbt manifest</h3><p>config <b>{html.escape(manifest.get('config_name', ''))}</b> "
        f"sha256 <code>{manifest.get('config_sha256', '')}</code>; sessions "
        f"{sessions.get('first', '')} .. {sessions.get('last', '')}; git "
        f"<code>{manifest.get('git_commit') or 'n/a'}</code></p>"
        f"<table>{files}</table><p>{html.escape(packages)}</p></section>")


def write_tearsheet(returns: pd.Series, benchmark: pd.Series, benchmark_label: str, title: str,
                    target: Path, manifest: dict, risk_free_annual: float = 0.0) -> Path:
    """Render one quantstats HTML tearsheet (252-day years) with the manifest appended."""
    _quiet_matplotlib()
    import quantstats as qs

    benchmark = benchmark.rename(benchmark_label)
    with atomic_path(target) as temp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qs.reports.html(returns.rename(title), benchmark=benchmark, rf=risk_free_annual,
                        title=title, output=str(temp), periods_per_year=252,
                        download_filename=target.name)
        page = temp.read_text(encoding="utf-8")
        page = page.replace("</body>", manifest_block(manifest) + "</body>", 1)
        temp.write_text(page, encoding="utf-8")
    return target
