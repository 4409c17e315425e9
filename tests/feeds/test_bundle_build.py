"""Building the bundle from a snapshot directory, and the repo script that swaps it in."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd

from feeds.atomic import UMASK
from feeds.bundle import bundle_manifest, bundled_source
from feeds.bundle_build import build_bundle
from feeds.catalog import spec_for
from feeds.quality import CheckedSource, QualityPolicy
from feeds.snapshot import SnapshotSource, sha256_of

REPO = Path(__file__).resolve().parents[2]


def _small_snapshot(root: Path) -> Path:
    for folder in ("fred", "other", "prices"):
        (root / folder).mkdir(parents=True)
    (root / "fred" / "WALCL.csv").write_text("date,value\n2026-08-12,6600000\n2026-08-19,6610000\n")
    (root / "fred" / "GOLDAMGBD228NLBM.csv").write_text("date,value\n2020-12-30,1880.5\n")
    (root / "other" / "SRF_USAGE.csv").write_text("date,value\n2025-12-31,74.6\n2026-01-02,\n")
    (root / "prices" / "SPY.csv").write_text(
        "date,open,high,low,close,adj_close,volume\n2026-08-13,1,1,1,600.5,600.5,10\n"
        "2026-08-14,1,1,1,601.25,601.25,10\n2026-08-15,1,1,1,601.25,601.25,\n"
        "2026-08-14,1,1,1,601.5,601.5,10\n")
    (root / "EXPORT.json").write_text(json.dumps({"vintage": "latest", "files": [
        {"path": "prices/SPY.csv", "source": "Yahoo Finance (yfinance)",
         "fetched_at": "2026-08-16T21:00:00+00:00"}]}))
    return root


def test_a_bundle_keeps_what_runs_read_as_they_read_it(tmp_path):
    source = SnapshotSource(_small_snapshot(tmp_path / "snap"))
    manifest = build_bundle(source.root, tmp_path / "bundle", "a test export")
    bundle = SnapshotSource(tmp_path / "bundle")
    assert [f["path"] for f in manifest["files"]] == [
        "fred/WALCL.parquet", "other/SRF_USAGE.parquet", "prices/SPY.parquet"]   # LBMA left out
    assert list(bundle.frame("prices", "SPY").columns) == ["adj_close"]
    assert bundle.frame("fred", "WALCL")["value"].dtype == "int64"               # as the CSV's
    pd.testing.assert_series_equal(source.observations(spec_for("SRF_USAGE")),
                                   bundle.observations(spec_for("SRF_USAGE")))
    # Rows as in the file: the weekend row and the duplicated date reach the quality checks.
    issues = []
    for reader in (source, bundle):
        checked = CheckedSource(reader, QualityPolicy())
        checked.prices("SPY")
        issues.append([(i.check, i.date) for i in checked.issues])
    assert issues[0] == issues[1] and {check for check, _ in issues[0]} >= {"weekend",
                                                                           "duplicated_dates"}
    spy = next(f for f in manifest["files"] if f["path"] == "prices/SPY.parquet")
    assert spy["source"] == "Yahoo Finance" and spy["rows"] == 4
    assert spy["from"] == "Yahoo Finance (yfinance), fetched 2026-08-16T21:00:00+00:00"
    assert spy["source_sha256"] == sha256_of(source.root / "prices" / "SPY.csv")
    assert manifest["last_date"] == "2026-08-15" and manifest["source"] == "a test export"
    provenance = (tmp_path / "bundle" / "PROVENANCE.md").read_text()
    assert "`fred/GOLDAMGBD228NLBM`: LBMA gold price" in provenance


def test_a_rebuild_replaces_the_files_and_drops_stale_ones(tmp_path):
    snap = _small_snapshot(tmp_path / "snap")
    first = build_bundle(snap, tmp_path / "bundle")
    (snap / "fred" / "WALCL.csv").unlink()
    second = build_bundle(snap, tmp_path / "bundle")
    assert len(second["files"]) == len(first["files"]) - 1
    assert not (tmp_path / "bundle" / "fred" / "WALCL.parquet").exists()


def _script():
    spec = importlib.util.spec_from_file_location(
        "rebuild_bundled_snapshot", REPO / "scripts" / "rebuild_bundled_snapshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_keeps_the_old_bundle_when_the_new_one_lacks_what_configs_read(tmp_path,
                                                                                  capsys):
    target = tmp_path / "bundled"
    build_bundle(bundled_source().root, target)          # a copy of the shipped bundle
    before = {p.name: sha256_of(p) for p in target.rglob("*.parquet")}
    code = _script().main([str(_small_snapshot(tmp_path / "snap")), "--target", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "old bundle kept" in err and "quickstart.yaml: fred/WRESBAL" in err
    assert {p.name: sha256_of(p) for p in target.rglob("*.parquet")} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bundled")] == []


def test_the_script_swaps_in_a_complete_bundle(tmp_path, capsys):
    target = tmp_path / "bundled"
    code = _script().main([str(bundled_source().root), "--target", str(target),
                           "--describe-as", "the shipped bundle"])
    assert code == 0, capsys.readouterr().err
    assert "bundled 53 files" in capsys.readouterr().out
    rebuilt = json.loads((target / "BUNDLE.json").read_text())
    assert [f["sha256"] for f in rebuilt["files"]] == [f["sha256"] for f in
                                                        bundle_manifest()["files"]]
    assert target.stat().st_mode & 0o777 == 0o777 & ~UMASK    # not mkdtemp's private 0700
