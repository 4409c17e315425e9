"""NY Fed reference rates and SRF operations, Treasury DTS TGA, and the OFR FSI CSV."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from feeds.catalog import spec_for
from feeds.errors import SourceError
from feeds.online import OnlineSources
from feeds.online.fiscaldata import fetch_tga_close, tga_closing_balance
from feeds.online.http import Budget
from feeds.online.nyfed import srf_usage_usd_bn
from tests.fake_web import FakeWeb, query

NYFED = "https://markets.newyorkfed.org/api"
SOFR_ROWS = {"refRates": [
    {"effectiveDate": "2025-12-31", "type": "SOFR", "percentRate": 3.87, "percentPercentile1": 3.7,
     "percentPercentile25": 3.8, "percentPercentile75": 3.95, "percentPercentile99": 4.1,
     "volumeInBillions": 3126, "revisionIndicator": ""},
    {"effectiveDate": "2025-12-30", "type": "SOFR", "percentRate": 3.71, "percentPercentile1": 3.6,
     "percentPercentile25": 3.68, "percentPercentile75": 3.75, "percentPercentile99": None,
     "volumeInBillions": 3050, "revisionIndicator": ""}]}


def test_sofr_and_its_percentiles_come_from_one_request_per_session(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(f"{NYFED}/rates/secured/sofr/search.json", json.dumps(SOFR_ROWS).encode())
    online = OnlineSources(30, today=date(2026, 1, 2))
    sofr = online.series(spec_for("SOFR"), date(2025, 12, 1))
    p99 = online.series(spec_for("SOFR99"), date(2025, 12, 1))
    assert sofr.frame["value"].tolist() == [3.71, 3.87]             # sorted oldest first
    assert p99.frame["value"].to_dict() == {pd.Timestamp("2025-12-31"): 4.1}   # None dropped
    assert len(web.requests) == 1
    assert query(web.requests[0]) == {"startDate": "2025-12-01", "endDate": "2026-01-02"}
    assert sofr.source == "NY Fed Markets API" and sofr.host == "markets.newyorkfed.org"


def test_tgcr_reads_its_own_endpoint_from_the_first_publication_by_default(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(f"{NYFED}/rates/secured/tgcr/search.json", json.dumps({"refRates": [
        {"effectiveDate": "2018-04-02", "type": "TGCR", "percentRate": 1.81}]}).encode())
    got = OnlineSources(30, today=date(2026, 1, 2)).series(spec_for("TGCR"), None)
    assert got.frame["value"].tolist() == [1.81]
    assert query(web.requests[0])["startDate"] == "2018-04-02"


def _op(day, legs, op_type="Repo", note="", status="Results"):
    return {"operationId": f"RP {day}", "operationDate": day, "operationType": op_type,
            "operationMethod": "Full Allotment", "term": "Overnight", "auctionStatus": status,
            "note": note, "totalAmtAccepted": sum(legs),
            "details": [{"securityType": t, "amtAccepted": a, "amtSubmitted": a}
                        for t, a in zip(("Treasury", "Agency", "Mortgage-Backed"), legs)]}


def test_srf_usage_sums_operations_and_collateral_legs_in_usd_bn():
    operations = [
        _op("2025-12-31", [60_000_000_000, 10_600_000_000, 4_000_000_000]),   # morning op
        _op("2025-12-31", [0, 0, 0]),                                          # afternoon op
        _op("2025-12-30", [3_000_000_000]),
        _op("2025-12-30", [500_000_000_000], op_type="Reverse Repo"),          # ON RRP: not SRF
        _op("2025-12-29", [56_000_000], note="This operation is a Small Value Exercise (SVE)"),
        _op("2025-12-26", [1_000_000_000], status="Announcement"),
    ]
    usage = srf_usage_usd_bn(operations)["value"]
    assert usage.to_dict() == {pd.Timestamp("2025-12-30"): 3.0, pd.Timestamp("2025-12-31"): 74.6}


def test_srf_usage_asks_for_repo_operations_from_the_facility_start(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(f"{NYFED}/rp/results/search.json", json.dumps(
        {"repo": {"operations": [_op("2021-07-29", [0])]}}).encode())
    got = OnlineSources(30, today=date(2021, 8, 2)).series(spec_for("SRF_USAGE"), None)
    assert got.frame["value"].tolist() == [0.0]
    assert query(web.requests[0]) == {"startDate": "2021-07-01", "endDate": "2021-08-02",
                                      "operationTypes": "Repo"}


def test_a_nyfed_answer_without_its_list_is_unreadable(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route(f"{NYFED}/rp/results/search.json", b'{"error": "maintenance"}')
    with pytest.raises(SourceError, match="cannot read series 'SRF_USAGE' from markets"):
        OnlineSources(30).series(spec_for("SRF_USAGE"), None)


def test_tga_closing_balance_reads_each_eras_row_and_field():
    rows = [
        {"record_date": "2020-06-01", "account_type": "Federal Reserve Account",
         "open_today_bal": "1449129", "close_today_bal": "1394436"},
        {"record_date": "2020-06-01", "account_type": "Tax and Loan Note Accounts",
         "open_today_bal": "5555", "close_today_bal": "7777"},
        {"record_date": "2021-10-01", "account_type": "Treasury General Account (TGA)",
         "open_today_bal": "900", "close_today_bal": "1000"},
        {"record_date": "2025-12-31", "account_type": "Treasury General Account (TGA) Opening "
         "Balance", "open_today_bal": "826406", "close_today_bal": "null"},
        {"record_date": "2025-12-31", "account_type": "Treasury General Account (TGA) Closing "
         "Balance", "open_today_bal": "872853", "close_today_bal": "null"},
    ]
    assert tga_closing_balance(rows)["value"].tolist() == [1394436.0, 1000.0, 872853.0]


def test_dts_pages_are_all_read_with_a_record_date_filter(monkeypatch):
    web = FakeWeb(monkeypatch)

    def page(url):
        number = int(query(url)["page[number]"])
        day = f"2026-01-0{number + 1}"
        return json.dumps({"data": [{"record_date": day, "account_type": "Treasury General Account"
                                     " (TGA) Closing Balance", "open_today_bal": str(800000 + number),
                                     "close_today_bal": "null"}],
                           "meta": {"count": 1, "total-count": 2, "total-pages": 2},
                           "links": {"next": None}}).encode()

    web.route("https://api.fiscaldata.treasury.gov/", page)
    got = fetch_tga_close(date(2026, 1, 1), Budget(30))
    assert got.frame["value"].tolist() == [800001.0, 800002.0]
    first = query(web.requests[0])
    assert first["filter"] == "record_date:gte:2026-01-01" and first["page[number]"] == "1"
    assert "open_today_bal" in first["fields"] and len(web.requests) == 2


def test_ofr_fsi_headline_from_the_public_csv(monkeypatch):
    web = FakeWeb(monkeypatch)
    web.route("https://www.financialresearch.gov/financial-stress-index/data/fsi.csv",
              b"Date,OFR FSI,Credit,Equity valuation,Safe assets,Funding,Volatility\n"
              b"2026-08-18,-2.661,0.1,0.2,0.3,0.4,0.5\n2026-08-19,-2.624,0.1,0.2,0.3,0.4,0.5\n")
    got = OnlineSources(30).series(spec_for("OFR_FSI"), date(2026, 8, 19))
    assert got.frame["value"].to_dict() == {pd.Timestamp("2026-08-19"): -2.624}


def test_snapshot_only_series_say_so():
    with pytest.raises(SourceError, match="GOLDAMGBD228NLBM' has no online source"):
        OnlineSources(30).series(spec_for("GOLDAMGBD228NLBM"), None)
