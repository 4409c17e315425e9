"""The snapshot shipped in the package: whole, checksummed, small, carried by `pip install`, and
holding everything the shipped configs read; with ../shared/data, the same numbers as it."""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

import pandas as pd

from feeds.bundle import BUNDLED_DIR, bundle_manifest, bundled_source
from feeds.bundle_build import TERMS, build_bundle
from feeds.catalog import spec_for
from feeds.snapshot import SnapshotSource, sha256_of
from liqbt.config import load_config
from liqbt.data_needs import config_needs

REPO = Path(__file__).resolve().parents[2]
MAX_BYTES = 3_000_000


def _bundled_files() -> set[str]:
    return {path.relative_to(BUNDLED_DIR).as_posix() for path in BUNDLED_DIR.rglob("*")
            if path.is_file()}


def test_every_bundled_file_is_listed_with_its_checksum_and_the_whole_is_small():
    manifest = bundle_manifest()
    listed = {f["path"] for f in manifest["files"]}
    assert listed | {"BUNDLE.json", "PROVENANCE.md"} == _bundled_files()
    for record in manifest["files"]:
        assert sha256_of(BUNDLED_DIR / record["path"]) == record["sha256"], record["path"]
    size = sum((BUNDLED_DIR / path).stat().st_size for path in listed)
    assert size == manifest["bytes"] <= MAX_BYTES
    assert manifest["last_date"] == "2026-08-21"


def test_the_provenance_names_each_file_its_source_and_each_sources_terms():
    text = (BUNDLED_DIR / "PROVENANCE.md").read_text()
    for record in bundle_manifest()["files"]:
        assert f"| {record['path']} | {record['source']} |" in text
        assert record["sha256"] in text and record["source_sha256"]
        for source in record["source"].split("; "):
            assert source in TERMS, (record["path"], source)
    for source in TERMS:
        assert f"- **{source}**: " in text


def test_pip_install_carries_every_bundled_file():
    """setuptools copies package data by the globs in pyproject.toml, relative to the package."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = settings["package-data"]["feeds"]
    feeds = REPO / "feeds"
    carried = {Path(hit).relative_to(feeds / "bundled").as_posix()
               for pattern in patterns for hit in glob.glob(str(feeds / pattern))}
    assert carried == _bundled_files()


def test_the_shipped_configs_and_the_next_signals_find_what_they_read():
    source = bundled_source()
    for config in sorted((REPO / "liqbt" / "configs").glob("*.yaml")):
        needs = config_needs(load_config(config))
        assert all(source.has_series(spec) for spec in needs.series), config
        assert all(source.has_file("prices", ticker) for ticker in needs.tickers), config
    assert source.has_series(spec_for("TREAST")) and source.has_file("prices", "SVXY")


def test_the_bundle_is_the_full_snapshot_rebuilt_and_reads_exactly_like_it(shared_snapshot,
                                                                          tmp_path):
    full, bundle = SnapshotSource(shared_snapshot), bundled_source()
    rebuilt, shipped = build_bundle(full, tmp_path), bundle_manifest()
    assert [(f["path"], f["sha256"], f["source_sha256"]) for f in rebuilt["files"]] == \
        [(f["path"], f["sha256"], f["source_sha256"]) for f in shipped["files"]]
    for folder in ("fred", "other", "prices"):
        for name in bundle.names(folder):
            if folder == "prices":
                pd.testing.assert_series_equal(full.prices(name), bundle.prices(name))
            else:
                spec = spec_for(name)
                pd.testing.assert_series_equal(full.observations(spec), bundle.observations(spec))
            ours, theirs = bundle.record(folder, name), full.record(folder, name)
            assert (ours.first, ours.last, ours.rows) == (theirs.first, theirs.last, theirs.rows)
