"""Shared pieces of liqbt's plotly pages (sweep, event study): the HTML shell, plotly.js, tables
(numbers formatted by reports/formats.py).

Pages open from disk with no network: plotly.js is the one local copy in the output folder's
`assets/` (reports/plotly_assets.py), loaded by a relative <script src>.
"""

from __future__ import annotations

import html
from typing import Callable

import pandas as pd

from reports.formats import MISSING
from reports.manifest_html import manifest_block

STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1250px}
h2{margin-top:1.6em;border-top:1px solid #ddd;padding-top:.6em}p.note{color:#555;font-size:90%}
table{border-collapse:collapse;font-size:88%;margin:.5em 0}
td,th{padding:2px 9px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.stat{display:inline-block;margin:0 2em .8em 0}
.stat b{font-size:150%;display:block}.bad{color:#b00020}.good{color:#1b5e20}"""


def figure_div(figure, div_id: str) -> str:
    """A plotly figure as a div + script; plotly.js must already be on the page."""
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                          config={"displaylogo": False, "responsive": True})


def page_html(title: str, body: str, manifest: dict, plotly_tag: str) -> str:
    """The page shell; `plotly_tag` from `reports.plotly_assets.plotly_script_tag`."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            f"{plotly_tag}<style>{STYLE}</style></head>"
            f"<body>{body}\n{manifest_block(manifest)}\n</body></html>\n")


def html_table(frame: pd.DataFrame, table_id: str,
               formats: dict[str, Callable[[object], str]] | None = None) -> str:
    """A plain table of `frame` (index dropped); `formats` per column, else str()."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values):
            text = formats[column](value) if column in formats else _plain(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table id="{table_id}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _plain(value) -> str:
    if isinstance(value, float):
        return MISSING if value != value else f"{value:.4g}"
    return str(value)
