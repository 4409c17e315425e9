"""`liqbt fetch` / `liqbt data list`: planning, incremental fetches, export round-trip, and a
black-holed network that must fail on time with one line."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from liqbt.cli import main
from liqbt.cli.data import build_plan
from liqbt.config import load_config
from liqbt.run import build_panel, config_record, open_run_source, run_backtest
from reports.manifest import panel_manifest
from feeds.cache import CacheKey, ParquetCache
from tests.fake_web import SnapshotWeb, query

REPO = Path(__file__).resolve().parents[3]
QUICKSTART = REPO / "liqbt" / "configs" / "quickstart.yaml"


def liqbt(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process (so patched sources apply); return (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["liqbt", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def web(monkeypatch, snapshot):
    monkeypatch.delenv("LIQBT_SNAPSHOT", raising=False)
    monkeypatch.delenv("LIQBT_CACHE_DIR", raising=False)
    monkeypatch.delenv("LIQBT_TIMEOUT", raising=False)
    return SnapshotWeb(monkeypatch, snapshot)


def test_a_config_plan_is_traced_from_its_signals_and_universe(tmp_path):
    config = tmp_path / "traced.yaml"
    config.write_text(
        "name: traced\nuniverse: {equities: SPY, gold: GLD}\n"
        "signals:\n  z: {fn: reserves_change_z}\n  spread: {fn: sofr_iorb_bp}\n"
        "strategies:\n  - {name: hold, rule: buy_and_hold, rebalance: once, "
        "params: {sleeve: equities}}\n")
    plan = build_plan(config, ["WALCL"], ["QQQ"], None, None)
    assert [spec.id for spec in plan.series] == ["WRESBAL", "SOFR", "IOER", "IORB", "WALCL"]
    assert plan.tickers == ["SPY", "GLD", "QQQ"]
    assert plan.vintage == "latest" and plan.notes == []
    quickstart = build_plan(QUICKSTART, [], [], None, None)
    assert {"WRESBAL", "SOFR", "IORB"} <= {spec.id for spec in quickstart.series}
    assert quickstart.tickers == ["SPY", "GLD", "IWM", "IEF"]


def test_fetch_then_refetch_is_incremental_and_data_list_shows_it(web, monkeypatch, capsys,
                                                                  tmp_path):
    cache = tmp_path / "cache"
    code, out, err = liqbt(monkeypatch, capsys, "fetch", "--series", "WALCL,SRF_USAGE",
                           "--series", "TGA_DTS_CLOSE", "--tickers", "VIX", "--cache-dir", str(cache))
    assert (code, err) == (0, "")
    assert "WALCL" in out and "SRF_USAGE" in out and "cached 4 items" in out
    walcl = ParquetCache(cache).read(CacheKey("fred", "WALCL"))
    assert walcl.meta.source == "FRED fredgraph.csv" and walcl.meta.last == "2026-08-19"
    srf = ParquetCache(cache).read(CacheKey("other", "SRF_USAGE")).frame["value"]
    assert srf.loc["2025-12-31"] == 74.6 and srf.loc["2025-12-01"] == pytest.approx(26.0, abs=0.1)
    assert ParquetCache(cache).read(CacheKey("prices", "VIX")).meta.source.startswith("Yahoo")
    assert web.downloads == [("^VIX", None)]

    web.requests.clear()
    code, out, _ = liqbt(monkeypatch, capsys, "fetch", "--series", "WALCL", "--cache-dir",
                         str(cache))
    assert code == 0 and "(+0, incremental)" in out
    assert query(web.requests[0]) == {"id": "WALCL", "cosd": "2026-07-15"}   # 2026-08-19 - 35 d

    code, out, _ = liqbt(monkeypatch, capsys, "data", "list", "--cache-dir", str(cache))
    assert code == 0
    for expected in ("WALCL", "fred", "FRED fredgraph.csv", "2002-12-18", "2026-08-19",
                     "TGA_DTS_CLOSE", "Treasury FiscalData DTS", "VIX", "prices"):
        assert expected in out, expected


def test_fetch_errors_are_one_line_with_exit_code_2(web, monkeypatch, capsys, tmp_path):
    for args, expected in [
        ((), "nothing to fetch: pass a CONFIG"),
        (("--series", "NOPE"), "unknown series 'NOPE'"),
        (("--series", "WALCL", "--vintage", "first_release"), "needs a FRED API key"),
        (("--tickers", "XAUUSD"), "ticker 'XAUUSD' has no online source"),
        (("--series", "WALCL", "--offline"), "series 'WALCL' is not cached"),
    ]:
        code, _, err = liqbt(monkeypatch, capsys, "fetch", *args, "--cache-dir", str(tmp_path))
        assert code == 2 and err.count("\n") == 1 and expected in err, (args, err)
    assert web.requests == []


def test_a_run_reads_the_cache_only_when_it_holds_everything_else_the_bundle(
        web, monkeypatch, capsys, tmp_path):
    """Decided once, said once, never a mix: a cache holding one of the quickstart's series does
    not feed the run; the bundled snapshot does, and the line says what the cache lacks."""
    cache = tmp_path / "partial"
    code, _, err = liqbt(monkeypatch, capsys, "fetch", "--series", "SOFR", "--cache-dir",
                         str(cache))
    assert code == 0, err
    code, _, err = liqbt(monkeypatch, capsys, "signals", str(QUICKSTART), "--cache-dir",
                         str(cache), "--out", str(tmp_path / "out"))
    assert code == 0, err
    first = err.splitlines()[0]
    assert first.startswith("liqbt: using the bundled snapshot (to 2026-08-21, ")
    assert first.endswith(f"; `liqbt fetch {QUICKSTART}` for the latest (the cache {cache} "
                          "lacks series 'WRESBAL' (and 7 more))")
    assert sum("using" in line for line in err.splitlines()) == 1

    config, said = load_config(QUICKSTART), []
    panel = build_panel(config, open_run_source(None, config, QUICKSTART, cache,
                                                progress=said.append))
    assert ["liqbt: " + line for line in said] == [first]
    manifest = panel_manifest(config_record(config, QUICKSTART), panel, panel.sessions)
    assert manifest["data_origin"]["kind"] == "bundled"
    assert manifest["data_origin"]["last_date"] == "2026-08-21"
    assert {Path(f["path"]).suffix for f in manifest["data_files"]} == {".parquet"}
    assert not any(f.get("source") for f in manifest["data_files"])   # no cache file among them


def test_a_first_release_run_never_falls_back_to_the_bundle(web, monkeypatch, capsys, tmp_path):
    config = tmp_path / "first.yaml"
    config.write_text(QUICKSTART.read_text().replace("data:\n", "data:\n  vintage: first_release\n"))
    code, _, err = liqbt(monkeypatch, capsys, "run", str(config), "--cache-dir",
                         str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert code == 2 and "using" not in err, err
    assert f"is not cached in {tmp_path / 'empty'}: run `liqbt fetch --tickers SPY` or " \
           f"`liqbt fetch {config}`" in err.splitlines()[-1]
    assert web.requests == [] and web.downloads == []


def test_export_round_trip_gives_the_same_summary_as_the_cache_and_the_snapshot(
        web, monkeypatch, capsys, tmp_path, snapshot):
    cache, exported = tmp_path / "cache", tmp_path / "exported"
    code, _, err = liqbt(monkeypatch, capsys, "fetch", str(QUICKSTART), "--cache-dir", str(cache))
    assert code == 0, err
    config = load_config(QUICKSTART)
    from_cache = run_backtest(config, open_run_source(None, config, QUICKSTART, cache))
    assert "CacheSource" in repr(from_cache.panel.source)
    assert {r.path for r in from_cache.panel.files_used()} >= {"prices/SPY.parquet",
                                                               "fred/SOFR.parquet"}

    web.requests.clear()
    code, out, err = liqbt(monkeypatch, capsys, "fetch", str(QUICKSTART), "--offline",
                           "--cache-dir", str(cache), "--export", str(exported))
    plan = build_plan(QUICKSTART, [], [], None, None)
    expected = sorted([f"{spec.folder}/{spec.id}.csv" for spec in plan.series]
                      + [f"prices/{ticker}.csv" for ticker in plan.tickers])
    assert code == 0 and f"exported {len(expected)} files" in out and web.requests == [], err
    assert sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*.csv")) == expected
    assert {"fred/WRESBAL.csv", "fred/SOFR.csv", "prices/SPY.csv"} <= set(expected)
    header = (exported / "prices" / "SPY.csv").read_text().splitlines()[:2]
    assert header[0] == "date,open,high,low,close,adj_close,volume"
    # The bundled snapshot keeps adj_close only: the export has what Yahoo (faked from it) gave.
    assert header[1].split(",")[0::4] == ["1993-01-29", "24.113255"]
    assert header[1].split(",")[5] == "24.113255"

    from_export = run_backtest(config, open_run_source(exported, config, QUICKSTART))
    from_snapshot = run_backtest(config, open_run_source(snapshot, config, QUICKSTART))
    assert from_cache.summary == from_export.summary == from_snapshot.summary
    assert set(from_cache.summary) == {"regime_allocator", "spy_buy_hold", "sixty_forty"}
    pd.testing.assert_frame_equal(from_cache.signals, from_export.signals)


class BlackHole:
    """A local TCP server that accepts connections and never says a word."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.server.accept()[0])
            except OSError:
                return

    def close(self):
        self.server.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def black_hole():
    hole = BlackHole()
    yield f"http://127.0.0.1:{hole.port}"
    hole.close()


def _fetch_through(proxy: str, tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess,
                                                                    float]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "MPLBACKEND": "Agg"}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "all_proxy"):
        env[name] = proxy
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "liqbt", "fetch", *args,
                           "--cache-dir", str(tmp_path / "cache")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    return done, time.monotonic() - started


def test_fetch_through_a_black_hole_fails_within_the_timeout_with_one_line(black_hole, tmp_path):
    done, elapsed = _fetch_through(black_hole, tmp_path, "--series", "WALCL", "--timeout", "5")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("liqbt: error: cannot fetch series 'WALCL' from "
                                  "fred.stlouisfed.org: timed out")
    fetching = float(re.search(r"attempts? in ([\d.]+) s", done.stderr).group(1))
    print(f"black hole, keyless FRED, --timeout 5: exit {done.returncode}, fetch gave up after "
          f"{fetching:.1f} s, process took {elapsed:.2f} s")
    assert 5.0 <= fetching <= 5.0 + 0.6       # the budget, plus at most the thread-wait grace
    # plus interpreter start-up and imports, which a loaded 2-core CI box can stretch to seconds;
    # an ignored --timeout would take the default (30 s) or hang until the 60 s guard
    assert 5.0 <= elapsed < 5.0 + 8.0
    assert not (tmp_path / "cache" / "fred" / "WALCL.parquet").exists()


@pytest.mark.parametrize("args", [("--tickers", "SPY"), ("--series", "SOFR")])
def test_yahoo_and_nyfed_through_a_black_hole_also_stop_on_time(black_hole, tmp_path, args):
    done, elapsed = _fetch_through(black_hole, tmp_path, *args, "--timeout", "1")
    print(f"black hole, {args}, --timeout 1: exit {done.returncode} after {elapsed:.2f} s")
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert f"'{args[1]}'" in done.stderr
    assert elapsed < 1.0 + 8.0               # start-up as above; the default timeout is 30 s


def test_config_data_section_takes_a_vintage_and_a_timeout(tmp_path):
    from liqbt.config import ConfigError

    text = QUICKSTART.read_text().replace("  end: null", "  end: null\n  vintage: first_release\n"
                                          "  timeout_s: 12")
    good = tmp_path / "good.yaml"
    good.write_text(text)
    loaded = load_config(good)
    assert (loaded.data.vintage, loaded.data.timeout_s) == ("first_release", 12.0)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("first_release", "final").replace("timeout_s: 12",
                                                                     "timeout_s: -1"))
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    assert any("data.vintage" in line and "'latest' or 'first_release'" in line
               for line in caught.value.lines)
    assert any("data.timeout_s" in line for line in caught.value.lines)
