"""One local copy of plotly.js per output folder, shared by every plotly page in it.

Inlining plotly.js costs ~4.8 MB per page; a run with several plotly pages (signals, sweep, event
study) would carry it several times. Instead each page loads `OUT/assets/plotly-<version>.min.js`
through a relative <script src>, so the folder opens from disk with no network, and moving the
whole folder keeps it working. The version is in the file name, so an older copy left in the
folder is never picked up by a newer page.

    tag = plotly_script_tag(out_dir)                     # page at OUT/page.html
    tag = plotly_script_tag(out_dir, out_dir / "sweeps")  # page at OUT/sweeps/page.html
    chart = plotly_div("chart-x", [{"type": "scatter", "x": [...], "y": [...]}], {"height": 300})
"""

from __future__ import annotations

import datetime
import html
import json
import os
from pathlib import Path

from feeds.atomic import write_text_atomic

ASSETS_DIR = "assets"


def plotly_asset_name() -> str:
    import plotly.offline

    return f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js"


def write_plotly_asset(out_dir: Path) -> Path:
    """Write OUT/assets/plotly-<version>.min.js unless an identical copy is already there."""
    import plotly.offline

    target = out_dir / ASSETS_DIR / plotly_asset_name()
    bundle = plotly.offline.get_plotlyjs()
    if not (target.is_file() and target.stat().st_size == len(bundle.encode("utf-8"))):
        write_text_atomic(target, bundle)
    return target


def plotly_script_tag(out_dir: Path, page_dir: Path | None = None) -> str:
    """Ensure the shared plotly.js exists in `out_dir` and return the <script> tag for a page
    written in `page_dir` (default: `out_dir` itself)."""
    asset = write_plotly_asset(out_dir)
    href = Path(os.path.relpath(asset, page_dir or out_dir)).as_posix()
    return f'<script type="text/javascript" src="{href}" charset="utf-8"></script>'


def _json_default(value):
    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, datetime.date)):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} into a plotly chart")


def plotly_div(div_id: str, data: list[dict], layout: dict, config: dict | None = None,
               height_px: int | None = None) -> str:
    """One chart: a div and the `Plotly.newPlot` call that fills it, from plain plotly.js dicts
    (traces and layout as in the plotly.js reference; plotly.js must be on the page already).

    Written directly instead of through `plotly.graph_objects`, whose validation of every property
    cost ~0.5 s per 5,000-point chart; the JSON is what plotly.py would emit (NaN -> a gap)."""
    payload = ",".join(json.dumps(part, separators=(",", ":"), default=_json_default)
                       .replace("</", "<\\/") for part in (data, layout, config or {}))
    height = f"height:{height_px}px;" if height_px else ""
    quoted = json.dumps(div_id).replace("</", "<\\/")
    return (f'<div style="{height}width:100%"><div id="{html.escape(div_id)}" '
            'class="plotly-graph-div" style="height:100%;width:100%"></div>'
            f"<script>Plotly.newPlot({quoted},{payload});</script></div>")
