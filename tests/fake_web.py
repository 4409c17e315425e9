"""Fake online sources for tests: the HTTP layer and `yfinance.download`, patched.

`FakeWeb` replaces `feeds.online.http._open` (the one place liqbt's own HTTP goes through) with
routes that answer by URL prefix; anything unrouted fails like the conftest network guard does.
`SnapshotWeb` routes every provider to payloads built from a snapshot directory, shaped like the
real APIs (fredgraph.csv, NY Fed refRates / repo operations JSON, FiscalData DTS pages, the OFR
CSV, and yfinance's ('Price', 'Ticker') frame), honouring the date parameters each API takes.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from feeds.snapshot import SnapshotSource

Handler = Callable[[str], "bytes | BaseException"]


class FakeWeb:
    """Routes URL prefixes to payloads; records every request and the timeout it was given."""

    def __init__(self, monkeypatch):
        self.routes: list[tuple[str, Handler | bytes | BaseException]] = []
        self.requests: list[str] = []
        self.timeouts: list[float] = []
        monkeypatch.setattr("feeds.online.http._open", self._open)

    def route(self, prefix: str, answer: Handler | bytes | BaseException) -> None:
        self.routes.insert(0, (prefix, answer))

    def _open(self, request, timeout):
        url = request.full_url
        self.requests.append(url)
        self.timeouts.append(timeout)
        for prefix, answer in self.routes:
            if url.startswith(prefix):
                result = answer(url) if callable(answer) else answer
                if isinstance(result, BaseException):
                    raise result
                return io.BytesIO(result)
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def read_series(snapshot: Path, folder: str, series_id: str) -> pd.Series:
    """A snapshot file's values (CSV or parquet, as the snapshot reader reads them)."""
    return SnapshotSource(snapshot).frame(folder, series_id)["value"].dropna()


def fredgraph_csv(series: pd.Series, series_id: str) -> bytes:
    lines = [f"observation_date,{series_id}"]
    lines += [f"{day:%Y-%m-%d},{'' if np.isnan(v) else repr(float(v))}" for day, v in series.items()]
    return ("\n".join(lines) + "\n").encode()


def refrates_json(rows: pd.DataFrame, rate_type: str) -> bytes:
    """NY Fed reference-rate rows, newest first; `rows` columns are the API's field names."""
    out = []
    for day, row in rows.sort_index(ascending=False).iterrows():
        item = {"effectiveDate": f"{day:%Y-%m-%d}", "type": rate_type, "revisionIndicator": ""}
        item.update({k: (None if pd.isna(v) else float(v)) for k, v in row.items()})
        out.append(item)
    return json.dumps({"refRates": out}).encode()


def repo_operation(day: str, legs_usd: list[int], number: int = 2, release: str = "13:30",
                   term: str = "Overnight", note: str = "", op_type: str = "Repo",
                   status: str = "Results") -> dict:
    """One operation of the NY Fed's `rp/results/search.json`, every field the API sends;
    amounts in USD (not billions), collateral legs Treasury, Agency, Mortgage-Backed."""
    stamp = pd.Timestamp(day)
    close = (pd.Timestamp(f"{day} {release}") + pd.Timedelta(minutes=15)).strftime("%H:%M")
    total = int(sum(legs_usd))
    return {
        "operationId": f"RP {stamp:%m%d%y} {number}", "auctionStatus": status,
        "operationDate": day, "settlementDate": day,
        "maturityDate": str((stamp + pd.offsets.BDay(1)).date()), "operationType": op_type,
        "operationMethod": "Full Allotment", "settlementType": "Same Day",
        "termCalenderDays": 1 if term == "Overnight" else 14, "term": term,
        "releaseTime": release, "closeTime": close, "note": note,
        "lastUpdated": f"{day} {close}:38", "participatingCpty": 4, "acceptedCpty": 4,
        "totalAmtSubmitted": total, "totalAmtAccepted": total,
        "details": [{"securityType": kind, "amtSubmitted": int(amount), "amtAccepted": int(amount),
                     "percentOfferingRate": 3.75, "percentAwardRate": 3.75}
                    for kind, amount in zip(("Treasury", "Agency", "Mortgage-Backed"), legs_usd)]}


def repo_operations_json(usage_bn: pd.Series) -> bytes:
    """One afternoon SRF operation per day with three collateral legs summing to its usage."""
    operations = []
    for day, value in usage_bn.items():
        total = int(round(float(value) * 1e9))
        treasury, agency = int(total * 0.7), int(total * 0.2)
        operations.append(repo_operation(f"{day:%Y-%m-%d}",
                                         [treasury, agency, total - treasury - agency]))
    return json.dumps({"repo": {"operations": operations}}).encode()


DTS_LINES = ("Treasury General Account (TGA) Opening Balance", "Total TGA Deposits (Table II)",
             "Total TGA Withdrawals (Table II) (-)",
             "Treasury General Account (TGA) Closing Balance")


def dts_rows(close_musd: pd.Series) -> list[dict]:
    """FiscalData `operating_cash_balance` rows as served since 2022-04-18: four per date, every
    value a string, amounts in millions, the closing balance in `open_today_bal` of line 4
    (`close_today_bal` is "null" on all four)."""
    rows = []
    for day, close in close_musd.items():
        close = int(close)
        amounts = (close - 1_329, 295_501, 296_830, close)
        for line, (account, amount) in enumerate(zip(DTS_LINES, amounts), start=1):
            rows.append({
                "record_date": f"{day:%Y-%m-%d}", "account_type": account,
                "close_today_bal": "null", "open_today_bal": str(amount),
                "open_month_bal": "null", "open_fiscal_year_bal": "null", "table_nbr": "I",
                "table_nm": "Operating Cash Balance", "sub_table_name": "null",
                "src_line_nbr": str(line), "record_fiscal_year": str(day.year),
                "record_fiscal_quarter": "4", "record_calendar_year": str(day.year),
                "record_calendar_quarter": str((day.month - 1) // 3 + 1),
                "record_calendar_month": f"{day.month:02d}", "record_calendar_day": f"{day.day:02d}"})
    return rows


def fiscaldata_page(rows: list[dict], url: str) -> bytes:
    """One page of the FiscalData envelope for `url`'s query (filter record_date:gte, sort,
    page[size], page[number]). Without `src_line_nbr` in the sort, rows of one date come in no
    fixed order: here, reversed on even pages, as a database may break ties per request."""
    q = query(url)
    start = q["filter"].split("record_date:gte:")[1].split(",")[0]
    kept = [row for row in rows if row["record_date"] >= start]
    size, page = int(q.get("page[size]", 100)), int(q.get("page[number]", 1))
    stable = "src_line_nbr" in q.get("sort", "")
    kept.sort(key=lambda row: (row["record_date"], int(row["src_line_nbr"]) * (
        1 if stable or page % 2 else -1)))
    pages = max(1, -(-len(kept) // size))
    data = kept[(page - 1) * size: page * size]
    if "fields" in q:
        data = [{k: row[k] for k in q["fields"].split(",")} for row in data]

    def link(number):
        return f"&page%5Bnumber%5D={number}&page%5Bsize%5D={size}"

    return json.dumps({
        "data": data,
        "meta": {"count": len(data), "labels": {"record_date": "Record Date"},
                 "dataTypes": {"record_date": "DATE", "open_today_bal": "CURRENCY0"},
                 "dataFormats": {"record_date": "YYYY-MM-DD", "open_today_bal": "$10.20"},
                 "total-count": len(kept), "total-pages": pages},
        "links": {"self": link(page), "first": link(1),
                  "prev": link(page - 1) if page > 1 else None,
                  "next": link(page + 1) if page < pages else None, "last": link(pages)}}).encode()


def yf_frame(prices: pd.DataFrame, symbol: str) -> pd.DataFrame:
    """What `yfinance.download(symbol, auto_adjust=True)` returns: ('Price', 'Ticker') columns.
    Columns `prices` lacks (the bundled snapshot keeps only adj_close) come back empty (NaN)."""
    def column(name):
        return prices[name] if name in prices else pd.Series(float("nan"), index=prices.index)

    frame = pd.DataFrame({"Close": prices["adj_close"], "High": column("high"),
                          "Low": column("low"), "Open": column("open"),
                          "Volume": column("volume")}, index=pd.DatetimeIndex(prices.index,
                                                                              name="Date"))
    frame.columns = pd.MultiIndex.from_product([frame.columns, [symbol]], names=["Price", "Ticker"])
    return frame


def _since(series, start: str | None):
    return series if not start else series[series.index >= pd.Timestamp(start)]


class SnapshotWeb(FakeWeb):
    """Every online provider answering from a snapshot directory (see module docstring)."""

    RATE_FIELDS = {"percentRate": "", "percentPercentile1": "1", "percentPercentile25": "25",
                   "percentPercentile75": "75", "percentPercentile99": "99"}

    def __init__(self, monkeypatch, snapshot: Path):
        super().__init__(monkeypatch)
        self.snapshot = Path(snapshot)
        self.downloads: list[tuple[str, str | None]] = []
        self.route("https://fred.stlouisfed.org/graph/fredgraph.csv", self._fred)
        self.route("https://markets.newyorkfed.org/api/rates/secured/", self._rates)
        self.route("https://markets.newyorkfed.org/api/rp/results/search.json", self._repo)
        self.route("https://api.fiscaldata.treasury.gov/", self._dts)
        self.route("https://www.financialresearch.gov/", self._ofr)
        monkeypatch.setattr("yfinance.download", self._download)
        monkeypatch.delenv("FRED_API_KEY", raising=False)

    def _fred(self, url):
        q = query(url)
        if not SnapshotSource(self.snapshot).has_file("fred", q["id"]):
            return urllib.error.HTTPError(url, 404, "Not Found", {}, None)
        return fredgraph_csv(_since(read_series(self.snapshot, "fred", q["id"]), q.get("cosd")),
                             q["id"])

    def _rates(self, url):
        rate = urllib.parse.urlsplit(url).path.split("/")[-2].upper()
        q = query(url)
        if rate == "SOFR":
            columns = {field: read_series(self.snapshot, "fred", f"SOFR{suffix}")
                       for field, suffix in self.RATE_FIELDS.items()}
            rows = pd.DataFrame(columns)
        else:
            rows = pd.DataFrame({"percentRate": read_series(self.snapshot, "fred", rate)})
        rows = rows[(rows.index >= pd.Timestamp(q["startDate"]))
                    & (rows.index <= pd.Timestamp(q["endDate"]))]
        return refrates_json(rows, rate)

    def _repo(self, url):
        q = query(url)
        usage = read_series(self.snapshot, "other", "SRF_USAGE")
        return repo_operations_json(usage[(usage.index >= pd.Timestamp(q["startDate"]))
                                          & (usage.index <= pd.Timestamp(q["endDate"]))])

    def _dts(self, url):
        return fiscaldata_page(dts_rows(read_series(self.snapshot, "other", "TGA_DTS_CLOSE")), url)

    def _ofr(self, url):
        fsi = read_series(self.snapshot, "other", "OFR_FSI")
        lines = ["Date,OFR FSI,Credit,Equity valuation,Safe assets,Funding,Volatility"]
        lines += [f"{d:%Y-%m-%d},{v!r},0.1,0.2,0.3,0.4,0.5" for d, v in fsi.items()]
        return ("\n".join(lines) + "\n").encode()

    def _download(self, symbol, start=None, **kwargs):
        ticker = {"^VIX": "VIX", "^VIX3M": "VIX3M", "^GSPC": "GSPC", "^RUT": "RUT",
                  "GC=F": "GC_F"}.get(symbol, symbol)
        self.downloads.append((symbol, start))
        source = SnapshotSource(self.snapshot)
        if not source.has_file("prices", ticker):
            return pd.DataFrame()
        prices = source.frame("prices", ticker)
        return yf_frame(_since(prices.dropna(subset=["adj_close"]), start), symbol.upper())


class FakeAlfred:
    """The FRED API as fredapi sees it (`fredapi.fred.urlopen` patched): `series/vintagedates`
    and `series/observations` with a real-time period, in FRED's XML, for one series whose
    observations are released (and revised) at given vintage dates; a request spanning more
    than `cap` vintage dates gets FRED's 400 with its XML error body.

    `releases[date] = [(vintage, value or None for "."), ...]`, oldest first."""

    def __init__(self, monkeypatch, series_id: str, releases: dict, cap: int = 2000):
        import fredapi.fred

        self.series_id, self.releases, self.cap = series_id, releases, cap
        self.vintages = sorted({v for history in releases.values() for v, _ in history})
        self.urls: list[str] = []
        self.timeouts: list[float | None] = []
        monkeypatch.setattr(fredapi.fred, "urlopen", self._urlopen)
        monkeypatch.setenv("FRED_API_KEY", "k" * 32)

    def _urlopen(self, url, *args, **kwargs):
        self.urls.append(url)
        self.timeouts.append(kwargs.get("timeout"))
        q = query(url)
        assert q["series_id"] == self.series_id and q["api_key"] == "k" * 32
        if "/series/vintagedates" in url:
            items = "".join(f"<vintage_date>{v}</vintage_date>" for v in self.vintages)
            return io.BytesIO(
                '<?xml version="1.0" encoding="utf-8" ?>\n<vintage_dates realtime_start='
                '"1776-07-04" realtime_end="9999-12-31" order_by="vintage_date" sort_order="asc" '
                f'count="{len(self.vintages)}" offset="0" limit="10000">{items}</vintage_dates>'
                .encode())
        start, end = q["realtime_start"], q["realtime_end"]
        inside = sum(start <= v <= end for v in self.vintages)
        if inside > self.cap:
            message = (f"Bad Request.  There are {inside} vintage dates in the specified real-time"
                       f" period: {start} to {end}.  This exceeds the maximum number of vintage "
                       f"dates allowed for this file type ({self.cap}).")
            body = f'<?xml version="1.0" encoding="utf-8" ?>\n<error code="400" message="{message}"/>'
            raise urllib.error.HTTPError(url, 400, "Bad Request", {}, io.BytesIO(body.encode()))
        rows = self._rows(start, end)
        return io.BytesIO(
            f'<?xml version="1.0" encoding="utf-8" ?>\n<observations realtime_start="{start}" '
            f'realtime_end="{end}" observation_start="1776-07-04" observation_end="9999-12-31" '
            'units="lin" output_type="1" file_type="xml" order_by="observation_date" '
            f'sort_order="asc" count="{len(rows)}" offset="0" limit="100000">{"".join(rows)}'
            '</observations>'.encode())

    def _rows(self, start: str, end: str) -> list[str]:
        """One row per (date, real-time period) that overlaps [start, end], clipped to it."""
        rows = []
        for day in sorted(self.releases):
            history = self.releases[day]
            for k, (vintage, value) in enumerate(history):
                until = ("9999-12-31" if k + 1 == len(history) else
                         str((pd.Timestamp(history[k + 1][0]) - pd.Timedelta(days=1)).date()))
                if until < start or vintage > end:
                    continue
                shown = "." if value is None else repr(value)
                rows.append(f'<observation realtime_start="{max(vintage, start)}" realtime_end='
                            f'"{min(until, end)}" date="{day}" value="{shown}"/>')
        return rows
