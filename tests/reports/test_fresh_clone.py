"""Acceptance: in a fresh clone with nothing beside it and an empty HOME, the README's quickstart
runs with no environment variable, on the bundled snapshot, and says so once (the run is the
shared `quickstart_cli` of conftest.py: a copy of the repository, `python -m liqbt run
liqbt/configs/quickstart.yaml --out runs/quickstart` in it)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from feeds.snapshot import sha256_of


def test_the_quickstart_runs_in_a_fresh_clone_on_the_bundled_snapshot(quickstart_cli):
    out = quickstart_cli.out
    clone = out.parents[1]
    assert out == clone / "runs" / "quickstart"
    assert not (clone.parent / "shared").exists() and not (clone / ".venv").exists()
    age = (date.today() - date(2026, 8, 21)).days
    said = [line for line in quickstart_cli.stderr.splitlines() if "using" in line]
    assert said == [f"liqbt: using the bundled snapshot (to 2026-08-21, {age} days old); "
                    "`liqbt fetch liqbt/configs/quickstart.yaml` for the latest"]

    manifest = json.loads((out / "manifest.json").read_text())
    bundled = clone / "feeds" / "bundled"              # the clone's own code and data were used
    assert manifest["data_origin"] == {
        "kind": "bundled", "label": "the bundled snapshot", "path": str(bundled),
        "last_date": "2026-08-21", "age_days": age, "as_of": date.today().isoformat()}
    shipped = {f["path"]: f["sha256"] for f in
               json.loads((bundled / "BUNDLE.json").read_text())["files"]}
    read = manifest["data_files"]
    assert {Path(f["path"]).stem for f in read} == {"SPY", "GLD", "IWM", "IEF", "WRESBAL", "SOFR",
                                                    "IOER", "IORB", "SRF_USAGE"}
    assert all(f["sha256"] == shipped[f["path"]] == sha256_of(bundled / f["path"]) for f in read)

    summary = json.loads((out / "summary.json").read_text())["strategies"]
    assert set(summary) == {"regime_allocator", "spy_buy_hold", "sixty_forty"}
    assert summary["spy_buy_hold"]["end"] == "2026-08-21"
    assert (out / "index.html").is_file() and (out / "tearsheets" / "regime_allocator.html").is_file()
