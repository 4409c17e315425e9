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
from feeds.online.nyfed import is_small_value_exercise, preferring_revisions, srf_usage_usd_bn
from tests.fake_web import FakeWeb, dts_rows, fiscaldata_page, query, repo_operation

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
    return repo_operation(day, legs, op_type=op_type, note=note, status=status)


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


def test_small_value_exercises_are_not_usage_whether_or_not_the_note_says_so():
    """The API's labelling is inconsistent: exercises with an empty note are recognised by their
    operation number (99), their term, or their time outside the SRF windows with a small amount.
    Real small operations inside the windows (test trades of $1-5 million) still count."""
    operations = [
        repo_operation("2022-04-11", [25_000_000], number=1, release="10:30"),  # empty note
        repo_operation("2023-03-08", [21_000_000], number=1, release="10:30"),  # empty note
        repo_operation("2025-10-08", [1_000_000], number=99, release="10:15"),  # "RP 100825 99"
        repo_operation("2025-10-08", [1_000_000], number=2, release="13:30"),   # the real one
        repo_operation("2019-11-06", [50_000_000], number=1, release="13:30", term="Term"),
        repo_operation("2024-09-24", [75_000_000], number=1, release="09:45",
                       note="Statement Regarding Repurchase Agreement Small Value Exercise"),
        repo_operation("2025-06-27", [5_000_000], number=1, release="08:15"),   # morning SRF
        repo_operation("2025-06-27", [3_000_000], number=2, release="13:30"),
        repo_operation("2026-01-02", [800_000_000], number=1, release="11:00"),  # too big for one
    ]
    usage = srf_usage_usd_bn(operations)["value"]
    assert usage.round(6).to_dict() == {pd.Timestamp("2025-06-27"): 0.008,
                                        pd.Timestamp("2025-10-08"): 0.001,
                                        pd.Timestamp("2026-01-02"): 0.8}
    assert is_small_value_exercise(repo_operation("2022-04-11", [25_000_000], release="10:30"))
    assert not is_small_value_exercise(repo_operation("2025-12-31", [25_000_000]))


def test_a_revised_reference_rate_wins_whatever_the_order_of_the_answer():
    plain = {"effectiveDate": "2025-12-30", "type": "SOFR", "percentRate": 3.71,
             "percentPercentile1": 3.6, "percentPercentile25": 3.68, "percentPercentile75": 3.75,
             "percentPercentile99": 3.9, "volumeInBillions": 3050, "revisionIndicator": ""}
    revised = {**plain, "percentRate": 3.72, "volumeInBillions": 3061, "revisionIndicator": "r"}
    newest = {**plain, "effectiveDate": "2025-12-31", "percentRate": 3.87}
    for rows in ([newest, revised, plain], [newest, plain, revised]):
        assert [r["percentRate"] for r in preferring_revisions(rows)] == [3.87, 3.72]
    assert preferring_revisions([plain, {**plain, "percentRate": 9.0}])[0]["percentRate"] == 3.71


def test_a_revised_rate_reaches_the_series(monkeypatch):
    web = FakeWeb(monkeypatch)
    rows = SOFR_ROWS["refRates"] + [{**SOFR_ROWS["refRates"][1], "percentRate": 3.73,
                                     "revisionIndicator": "r"}]
    web.route(f"{NYFED}/rates/secured/sofr/search.json", json.dumps({"refRates": rows}).encode())
    sofr = OnlineSources(30, today=date(2026, 1, 2)).series(spec_for("SOFR"), date(2025, 12, 1))
    assert sofr.frame["value"].tolist() == [3.73, 3.87]


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
    rows = dts_rows(pd.Series([800001, 800002], index=pd.to_datetime(["2026-01-02",
                                                                      "2026-01-05"])))
    web.route("https://api.fiscaldata.treasury.gov/", lambda url: fiscaldata_page(rows, url))
    got = fetch_tga_close(date(2026, 1, 1), Budget(30))
    assert got.frame["value"].tolist() == [800001.0, 800002.0]
    first = query(web.requests[0])
    assert first == {"filter": "record_date:gte:2026-01-01", "sort": "record_date,src_line_nbr",
                     "page[size]": "10000", "page[number]": "1"}   # no fields=: no aggregation
    assert len(web.requests) == 1


def test_dts_over_three_pages_with_a_date_split_across_a_page_boundary(monkeypatch):
    """Four rows per date, six per page: 2026-08-18's rows straddle pages 1 and 2. Sorted by
    record_date alone the API may order a date's rows differently on each page request (the
    fake reverses them on even pages): the Closing Balance row would be read twice or never."""
    monkeypatch.setattr("feeds.online.fiscaldata.PAGE_SIZE", 6)
    closes = pd.Series([935077, 931500, 926000, 940123],
                       index=pd.to_datetime(["2026-08-17", "2026-08-18", "2026-08-19",
                                             "2026-08-20"]))
    web = FakeWeb(monkeypatch)
    pages = []

    def serve(url):
        pages.append(json.loads(fiscaldata_page(dts_rows(closes), url)))
        return fiscaldata_page(dts_rows(closes), url)

    web.route("https://api.fiscaldata.treasury.gov/", serve)
    got = fetch_tga_close(date(2026, 8, 17), Budget(30))
    assert got.frame["value"].tolist() == closes.astype(float).tolist()
    assert [page["meta"]["total-pages"] for page in pages] == [3, 3, 3]
    assert pages[-1]["links"]["next"] is None and pages[0]["links"]["prev"] is None
    assert {row["record_date"] for row in pages[0]["data"]} & \
        {row["record_date"] for row in pages[1]["data"]} == {"2026-08-18"}
    assert [query(url)["page[number]"] for url in web.requests] == ["1", "2", "3"]


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
