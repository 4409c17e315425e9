"""signals.html: one chart per signal, regime shading, announcements, and nothing fetched online
(plotly.js comes from the output folder's assets/)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from liqbt.config import RunConfig
from liqbt.run import compute_configured_signals
from reports.manifest import ConfigRecord
from reports.signals_outputs import write_signals_outputs
from signals import SIGNALS


class PageParser(HTMLParser):
    """Collects chart divs, signal sections and every external reference."""

    def __init__(self):
        super().__init__()
        self.charts: list[str] = []
        self.sections: list[str] = []
        self.external: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and "plotly-graph-div" in (attributes.get("class") or ""):
            self.charts.append(attributes.get("id", ""))
        if tag == "section" and attributes.get("class") == "signal":
            self.sections.append(attributes["data-signal"])
        for key in ("src", "href"):
            value = attributes.get(key) or ""
            if tag in ("script", "link", "img", "iframe") and value:
                self.external.append(f"{tag} {key}={value}")
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1


@pytest.fixture(scope="module")
def every_signal_page(tmp_path_factory, real_panel) -> tuple[Path, RunConfig]:
    """A page over every registered signal with default params (the real panel, since 2008)."""
    config = RunConfig.model_validate({
        "name": "all_signals", "data": {"start": "2008-01-02"}, "universe": {"equities": "SPY"},
        "signals": {name: {"fn": name} for name in sorted(SIGNALS)},
        "strategies": [{"name": "hold", "rule": "buy_and_hold", "params": {"sleeve": "equities"}}]})
    out = tmp_path_factory.mktemp("page")
    signals = compute_configured_signals(config, real_panel)
    record = ConfigRecord("all_signals", Path("all_signals.yaml"), "0" * 64, {})
    write_signals_outputs(dict(config.signals), config.title, record, real_panel, signals, out)
    return out / "signals.html", config


def test_one_chart_per_signal_and_nothing_external(every_signal_page):
    page_path, config = every_signal_page
    parser = PageParser()
    parser.feed(page_path.read_text(encoding="utf-8"))
    assert parser.sections == list(config.signals)
    assert len(parser.charts) == len(config.signals)
    assert parser.charts == [f"chart-{name}" for name in config.signals]
    # plotly.js is the folder's one local copy: the page opens offline
    (asset,) = (page_path.parent / "assets").glob("plotly-*.min.js")
    assert parser.external == [f"script src=assets/{asset.name}"]
    assert asset.stat().st_size > 3_000_000
    assert parser.inline_scripts == len(config.signals)


def test_page_carries_plotly_regime_shading_events_and_manifest(every_signal_page):
    text = every_signal_page[0].read_text(encoding="utf-8")
    assert "Plotly.newPlot" in text and "plotly.js v" not in text  # not inlined
    assert '"name":"regime: stress"' in text and '"name":"Fed announcement"' in text
    assert "RMP2019_announce" in text and 'id="policy-events"' in text
    assert 'id="liqbt-manifest"' in text


def test_csv_next_to_the_page_has_every_signal(every_signal_page):
    page_path, config = every_signal_page
    frame = pd.read_csv(page_path.parent / "signals.csv", index_col="date")
    assert list(frame.columns) == list(config.signals)
    assert frame.index[0] == "2008-01-02"
