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
    frame = pd.read_csv(snapshot / folder / f"{series_id}.csv", index_col="date", parse_dates=True)
    return frame["value"].dropna()


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


def repo_operations_json(usage_bn: pd.Series) -> bytes:
    """One SRF operation per day with three collateral legs summing to the day's usage."""
    operations = []
    for day, value in usage_bn.items():
        total = int(round(float(value) * 1e9))
        treasury, agency = int(total * 0.7), int(total * 0.2)
        legs = [("Treasury", treasury), ("Agency", agency), ("Mortgage-Backed", total - treasury
                                                             - agency)]
        operations.append({
            "operationId": f"RP {day:%m%d%y} 1", "auctionStatus": "Results",
            "operationDate": f"{day:%Y-%m-%d}", "settlementDate": f"{day:%Y-%m-%d}",
            "operationType": "Repo", "operationMethod": "Full Allotment", "term": "Overnight",
            "note": "", "totalAmtSubmitted": total, "totalAmtAccepted": total,
            "details": [{"securityType": name, "amtSubmitted": amount, "amtAccepted": amount,
                         "percentOfferingRate": 3.75} for name, amount in legs]})
    return json.dumps({"repo": {"operations": operations}}).encode()


def dts_page(close_musd: pd.Series, page: int, pages: int) -> bytes:
    """FiscalData operating_cash_balance rows: the closing balance in open_today_bal (new
    layout), next to opening-balance and deposits rows that must be ignored."""
    data = []
    for day, value in close_musd.items():
        stamp = f"{day:%Y-%m-%d}"
        data += [
            {"record_date": stamp, "account_type": "Treasury General Account (TGA) Opening Balance",
             "open_today_bal": str(int(value) - 1000), "close_today_bal": "null"},
            {"record_date": stamp, "account_type": "Total TGA Deposits (Table II)",
             "open_today_bal": "50000", "close_today_bal": "null"},
            {"record_date": stamp, "account_type": "Treasury General Account (TGA) Closing Balance",
             "open_today_bal": str(int(value)), "close_today_bal": "null"}]
    return json.dumps({"data": data, "meta": {"count": len(data), "total-pages": pages},
                       "links": {"next": None if page >= pages else f"&page%5Bnumber%5D={page + 1}"}
                       }).encode()


def yf_frame(prices: pd.DataFrame, symbol: str) -> pd.DataFrame:
    """What `yfinance.download(symbol, auto_adjust=True)` returns: ('Price', 'Ticker') columns."""
    frame = pd.DataFrame({"Close": prices["adj_close"], "High": prices["high"],
                          "Low": prices["low"], "Open": prices["open"],
                          "Volume": prices["volume"]}, index=pd.DatetimeIndex(prices.index,
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
        path = self.snapshot / "fred" / f"{q['id']}.csv"
        if not path.is_file():
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
        q = query(url)
        start = q["filter"].split("record_date:gte:")[1].split(",")[0]
        close = _since(read_series(self.snapshot, "other", "TGA_DTS_CLOSE"), start)
        size = int(q.get("page[size]", 10000)) // 3  # three rows per day
        page = int(q.get("page[number]", 1))
        pages = max(1, -(-len(close) // size))
        return dts_page(close.iloc[(page - 1) * size: page * size], page, pages)

    def _ofr(self, url):
        fsi = read_series(self.snapshot, "other", "OFR_FSI")
        lines = ["Date,OFR FSI,Credit,Equity valuation,Safe assets,Funding,Volatility"]
        lines += [f"{d:%Y-%m-%d},{v!r},0.1,0.2,0.3,0.4,0.5" for d, v in fsi.items()]
        return ("\n".join(lines) + "\n").encode()

    def _download(self, symbol, start=None, **kwargs):
        ticker = {"^VIX": "VIX", "^VIX3M": "VIX3M", "^GSPC": "GSPC", "^RUT": "RUT",
                  "GC=F": "GC_F"}.get(symbol, symbol)
        self.downloads.append((symbol, start))
        path = self.snapshot / "prices" / f"{ticker}.csv"
        if not path.is_file():
            return pd.DataFrame()
        prices = pd.read_csv(path, index_col="date", parse_dates=True)
        return yf_frame(_since(prices.dropna(subset=["adj_close"]), start), symbol.upper())
