"""quantstats tearsheets, quiet, offline and carrying the run's manifest.

The benchmark is always passed as a return Series: given a ticker string quantstats calls Yahoo,
and offline that benchmark silently becomes all zeros. A strategy that is its own benchmark (e.g.
spy_buy_hold when the run's benchmark is spy_buy_hold) gets a tearsheet without a benchmark rather
than a page comparing a series with itself.

quantstats' template links a favicon on qtpylib.io (removed: the page makes no request) and has
`<body onload="save()">` with no `save` defined anywhere (removed: every load threw a ReferenceError).
Its metrics table labels CAGR as "CAGR﹪" with U+FE6A SMALL PERCENT SIGN, which no common font
(DejaVu, Liberation, Arial) has, so readers saw a box: the glyph is dropped ("CAGR"; the values
carry their "%" as every other row's do).
Charts are inline SVG with text as <text> elements (see reports/quantstats_speedups.py): the
browser draws them with a local sans-serif font, nothing is downloaded.
"""

from __future__ import annotations

import html
import logging
import re
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

from feeds.atomic import atomic_path
from reports.manifest_html import manifest_block  # noqa: F401  (pages import it from here)
from reports.quantstats_speedups import quantstats_speedups

_EXTERNAL_ICON = re.compile(r'<link rel="shortcut icon"[^>]*>\s*')
_TITLE = re.compile(r"<title>.*?</title>", re.S)
SMALL_PERCENT_SIGN = "\ufe6a"


def quiet_matplotlib() -> None:
    """Agg backend, and no `findfont: Font family 'Arial' not found` floods (quantstats asks for
    Arial on every chart; matplotlib falls back to DejaVu Sans and logs each miss)."""
    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    logging.getLogger("matplotlib").setLevel(logging.ERROR)


def finish_page(page: str, title: str, manifest: dict, index_href: str | None) -> str:
    """quantstats' HTML made offline, error-free, readable and traceable: no external favicon, no
    call to an undefined `save()`, no glyph fonts lack, a real <title>, a link back to the run's
    index, the manifest at the end."""
    page = _EXTERNAL_ICON.sub("", page, count=1).replace(SMALL_PERCENT_SIGN, "")
    page = page.replace('<body onload="save()">', "<body>", 1)
    page = _TITLE.sub(f"<title>{html.escape(title)} — liqbt tearsheet</title>", page, count=1)
    if index_href:
        page = page.replace('<div class="container">',
                            '<div class="container"><p style="margin:0 0 1em">'
                            f'<a href="{html.escape(index_href)}">&larr; run index</a></p>', 1)
    return page.replace("</body>", manifest_block(manifest) + "</body>", 1)


class _AnnualRates(pd.Series):
    """Annual risk-free rates by date, as quantstats takes a time-varying rf (it de-annualises
    them per period); formats as their mean where quantstats prints one number ("RF: 4.2%")."""

    def __format__(self, spec: str) -> str:
        return format(float(self.mean()), spec)


def quantstats_risk_free(risk_free: float | pd.Series) -> float | pd.Series:
    """An annual constant as is; daily risk-free returns as the annual rates quantstats expects
    ((1 + r) ** 252 - 1, which its de-annualisation turns back into r)."""
    if isinstance(risk_free, pd.Series):
        return _AnnualRates((1.0 + risk_free.astype(float)) ** 252 - 1.0)
    return float(risk_free)


def write_tearsheet(returns: pd.Series, benchmark: pd.Series | None, benchmark_label: str | None,
                    title: str, target: Path, manifest: dict, risk_free: float | pd.Series = 0.0,
                    index_href: str | None = "../index.html",
                    publish_if: Callable[[], bool] | None = None) -> Path:
    """Render one quantstats HTML tearsheet (252-day years) to `target`, atomically.

    `returns`/`benchmark`: daily simple returns on the same sessions; `benchmark=None` renders the
    strategy alone. `risk_free`: an annual constant or the run's daily risk-free returns
    (`RunResult.risk_free_returns()`), so the tearsheet's Sharpe is the summary's. `publish_if`:
    asked just before the page is moved into place; False drops it (a worker whose run has died
    must not write into its folder)."""
    quiet_matplotlib()
    import quantstats as qs

    bench = None if benchmark is None else benchmark.rename(benchmark_label or "benchmark")
    with atomic_path(target, publish_if) as temp, warnings.catch_warnings(), quantstats_speedups():
        warnings.simplefilter("ignore")
        qs.reports.html(returns.rename(title), benchmark=bench, rf=quantstats_risk_free(risk_free),
                        title=title,
                        output=str(temp), periods_per_year=252, download_filename=target.name)
        import matplotlib.pyplot as plt

        plt.close("all")
        page = finish_page(temp.read_text(encoding="utf-8"), title, manifest, index_href)
        temp.write_text(page, encoding="utf-8")
    return target
