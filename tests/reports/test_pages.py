"""Page links reach index.html; the manifest block and the warnings say what a reader must know;
plotly.js is written once per output folder and found from any page in it."""

from __future__ import annotations

from pathlib import Path

from reports import formats
from reports.config import ReportSection
from reports.index_page import data_age, render_index
from reports.manifest import ConfigRecord
from reports.manifest_html import manifest_block, warnings_block
from reports.outputs import PAGE_WRITERS, write_pages
from reports.pages import PageLink, RunReport, collect_links
from reports.plotly_assets import plotly_div, plotly_script_tag, write_plotly_asset
from tests.reports.synthetic_run import synthetic_result

MANIFEST = {
    "config_name": "t", "config_path": "t.yaml", "config_sha256": "ab" * 32,
    "sessions": {"first": "2020-01-02", "last": "2020-12-31", "count": 252},
    "data_files": [{"path": "prices/SPY.csv", "sha256": "cd" * 32, "first": "1993-01-29",
                    "last": "2026-08-21", "rows": 8448}],
    "data_quality": [
        {"id": "IEF", "check": "weekend", "date": "2026-08-15", "action": "warn",
         "detail": "price stamped on a Saturday", "note": "row dropped"},
        {"id": "VIX", "check": "jump", "date": "2018-02-05", "action": "allowed",
         "detail": "one-day move of +115.6%", "note": "Volmageddon"}],
    "sleeve_closures": {"short_vol": {"date": "2018-02-05", "reason": "terminated"}},
    "packages": {"quantstats": "0.0.86"}, "git_commit": "f" * 40, "git_dirty": True,
}


def _result():
    result = synthetic_result()
    return RunReport(result, ReportSection(), ConfigRecord("t", Path("t.yaml"), "ab" * 32, {}))


def test_manifest_block_carries_files_issues_closures_and_commit_state():
    block = manifest_block(MANIFEST)
    for text in ("ab" * 32, "cd" * 32, "prices/SPY.csv", "1993-01-29 .. 2026-08-21", "Volmageddon",
                 "short_vol", "terminated", "quantstats 0.0.86", "(uncommitted changes)",
                 'id="liqbt-data-quality"', 'id="liqbt-sleeve-closures"'):
        assert text in block, text


def test_manifest_block_shows_fields_other_sources_record():
    cached = {**MANIFEST, "data_files": [{**MANIFEST["data_files"][0], "origin": "cache",
                                          "fetched_utc": "2026-08-22T01:00:00"}]}
    block = manifest_block(cached)
    assert "<th>origin</th><th>fetched_utc</th>" in block and "<td>cache</td>" in block


def test_warnings_leave_out_allow_listed_issues():
    block = warnings_block(MANIFEST)
    assert "IEF" in block and "short_vol" in block and "VIX" not in block
    quiet = warnings_block({**MANIFEST, "data_quality": [MANIFEST["data_quality"][1]],
                            "sleeve_closures": {}})
    assert "No data-quality warnings" in quiet


def test_index_lists_strategies_sleeves_and_every_page_link():
    pages = [PageLink("Verdict", "verdict.html", "one row per claim"),
             PageLink("Sweep", "sweeps/gold.html")]
    page = render_index(_result(), MANIFEST, {"hold": "tearsheets/hold.html"}, pages,
                        '<script src="assets/plotly.js"></script>')
    assert page.count('<tr class="strategy">') == 2 and page.count('<tr class="sleeve">') == 1
    assert '<a href="tearsheets/hold.html">hold</a>' in page
    assert "<td>(itself)</td>" in page  # the run's benchmark compared with itself: said so
    assert '<a href="verdict.html">Verdict</a> — one row per claim' in page
    assert '<a href="sweeps/gold.html">Sweep</a>' in page
    assert '<script src="assets/plotly.js"></script>' in page
    order = [page.index(f'id="{part}"') for part in ("data-age", "warnings", "overview",
                                                       "summary", "latest", "liqbt-manifest")]
    assert order == sorted(order)  # what a reader meets, top to bottom


def test_index_table_cells_sort_by_their_numbers_and_read_in_the_shared_formats():
    page = render_index(_result(), MANIFEST, {}, [])
    metrics = synthetic_result().summary["rule_a"]
    cell = (f'<td data-v="{metrics["max_drawdown"]!r}">{formats.percent(metrics["max_drawdown"])}'
            "</td>")
    assert cell in page and 'addEventListener("click"' in page
    assert "the run's risk-free (2.00% a year)" in page  # what the Sharpe ratios are in excess of


def test_data_age_from_the_last_session_and_the_origin_when_recorded():
    manifest = {"sessions": {"last": "2026-07-13"}, "created_utc": "2026-11-30T10:00:00+00:00"}
    assert data_age(manifest) == ('<p id="data-age">Data to <b>2026-07-13</b> (the run\'s last '
                                  "session); <b>140 days old</b> on 2026-11-30, the day of the "
                                  "run.</p>")
    origin = {**manifest, "data_age_days": 101,
              "data_origin": {"kind": "bundled", "label": "the bundled snapshot",
                              "last_date": "2026-08-21"}}
    text = data_age(origin)
    assert "source: the bundled snapshot, its data run to 2026-08-21 (101 days old)" in text
    assert "140 days old" in text
    assert "days old" not in data_age({"sessions": {"last": "2026-07-13"}})


def test_page_writers_return_one_link_several_or_none(tmp_path):
    def write_a_page(result, out_dir, manifest):
        return PageLink("A", "a.html")

    def write_b_page(result, out_dir, manifest):
        return [PageLink("B1", "b1.html"), PageLink("B2", "b/b2.html")]

    def write_nothing_page(result, out_dir, manifest):
        return None

    messages: list[str] = []
    links = write_pages(None, tmp_path, {}, messages.append,
                        [write_a_page, write_nothing_page, write_b_page])
    assert [link.href for link in links] == ["a.html", "b1.html", "b/b2.html"]
    assert messages == ["page a", "page nothing", "page b"]
    assert collect_links(None) == [] and all(callable(w) for w in PAGE_WRITERS)


def test_plotly_js_is_written_once_and_found_from_subfolders(tmp_path):
    asset = write_plotly_asset(tmp_path)
    stamp = asset.stat().st_mtime_ns
    assert asset.parent == tmp_path / "assets" and asset.stat().st_size > 3_000_000
    top = plotly_script_tag(tmp_path)
    nested = plotly_script_tag(tmp_path, tmp_path / "sweeps")
    assert f'src="assets/{asset.name}"' in top and f'src="../assets/{asset.name}"' in nested
    assert asset.stat().st_mtime_ns == stamp  # not rewritten
    assert list((tmp_path / "assets").iterdir()) == [asset]


def test_plotly_div_is_plain_plotly_json():
    div = plotly_div("chart-a</script>", [{"type": "scatter", "x": ["2020-01-02"], "y": [1.5],
                                           "name": "</script><b>"}], {"height": 300}, None, 300)
    assert 'class="plotly-graph-div"' in div and "height:300px" in div
    assert "</script><b>" not in div  # a name cannot close the script early
    assert '"y":[1.5]' in div and div.count("</script>") == 1
