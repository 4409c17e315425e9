"""The series catalog: complete for the snapshot, honest about units, and mapped to a provider."""

from __future__ import annotations

import pytest

from feeds.catalog import CATALOG, spec_for
from feeds.online.fiscaldata import SERIES_ID as DTS_SERIES
from feeds.online.nyfed import SERIES as NYFED_SERIES
from feeds.online.ofr import SERIES_ID as OFR_SERIES
from feeds.snapshot import SnapshotSource


def _assert_catalogued(source: SnapshotSource) -> None:
    for folder in ("fred", "other"):
        names = source.names(folder)
        assert names, folder
        for name in names:
            assert name in CATALOG, (folder, name)
            assert CATALOG[name].folder == folder, (folder, name)
    for index_level in ("VIX", "VIX3M"):
        assert source.has_file("prices", index_level)
        assert CATALOG[index_level].folder == "prices"


def test_every_snapshot_series_file_has_a_catalog_entry_in_its_folder(snapshot):
    _assert_catalogued(SnapshotSource(snapshot))


def test_every_series_file_of_the_full_snapshot_too(shared_snapshot):
    _assert_catalogued(SnapshotSource(shared_snapshot))


def test_every_series_names_a_provider_that_can_serve_it():
    served = {"nyfed": NYFED_SERIES, "fiscaldata": {DTS_SERIES}, "ofr": {OFR_SERIES}}
    for spec in CATALOG.values():
        if spec.online in served:
            assert spec.id in served[spec.online], spec.id
        elif spec.online == "yahoo":
            assert spec.folder == "prices", spec.id
        elif spec.online == "fred":
            assert spec.folder == "fred", spec.id
    assert spec_for("GOLDAMGBD228NLBM").online is None          # FRED dropped it in 2022
    assert {s.id for s in CATALOG.values() if s.online == "nyfed"} == set(NYFED_SERIES)


@pytest.mark.parametrize("series_id, per_unit", [
    ("WALCL", 1e-3), ("WRESBAL", 1e-3), ("WTREGEN", 1e-3), ("TREAST", 1e-3), ("WSHOMCB", 1e-3),
    ("TGA_DTS_CLOSE", 1e-3), ("RRPONTSYD", 1.0), ("RPONTSYD", 1.0), ("SRF_USAGE", 1.0),
])
def test_amounts_convert_to_usd_bn(series_id, per_unit):
    assert spec_for(series_id).usd_bn_per_unit == per_unit


def test_net_liquidity_has_the_published_magnitude_on_2025_12_31(real_panel):
    """WALCL 6,640.6 - WTREGEN 837.3 - ON RRP 106.0 = about 5,697 USD bn."""
    def usd_bn(series_id):
        return real_panel.observations(series_id).loc["2025-12-31"] * \
            spec_for(series_id).usd_bn_per_unit

    walcl, tga, rrp = usd_bn("WALCL"), usd_bn("WTREGEN"), usd_bn("RRPONTSYD")
    assert (round(walcl, 1), round(tga, 1), round(rrp, 1)) == (6640.6, 837.3, 106.0)
    assert walcl - tga - rrp == pytest.approx(5697.3, abs=0.1)
