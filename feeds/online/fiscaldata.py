"""Treasury FiscalData: the Daily Treasury Statement's TGA closing balance (USD millions).

`GET /services/api/fiscal_service/v1/accounting/dts/operating_cash_balance` (keyless JSON):

    {"data": [{"record_date": "2026-08-20",
               "account_type": "Treasury General Account (TGA) Closing Balance",
               "open_today_bal": "935077", "close_today_bal": "null", ...}, ...],
     "meta": {"count": 1, "total-count": 1, "total-pages": 1, ...},
     "links": {"self": "&page%5Bnumber%5D=1&page%5Bsize%5D=10000", "next": null, ...}}

Amounts are strings in millions; "null" means missing. Since 2022-04-18 each date has four rows
(Opening Balance, Deposits, Withdrawals, Closing Balance), so pages are sorted by
`record_date,src_line_nbr`: sorted by date alone, rows of one date could be ordered differently
from one page request to the next and a day dropped or repeated at a page boundary. No `fields=`:
naming fields makes the API group by them and sum (it would silently merge rows), and asking for
`close_today_bal`, which the site's own download no longer has, would fail every fetch the day
the API drops it. The TGA's closing balance has lived in three rows over the years, and we read
each era's own field:
- from 2022-04-18: account_type "Treasury General Account (TGA) Closing Balance", value in
  `open_today_bal` (`close_today_bal` is "null" in this layout);
- 2021-10-01 .. 2022-04-15: "Treasury General Account (TGA)", `close_today_bal`;
- to 2021-09-30: "Federal Reserve Account", `close_today_bal`.
Stamped with the statement's record date (published ~16:00 ET the next business day).
"""

from __future__ import annotations

from datetime import date

from feeds.online.fetched import Fetched, value_frame
from feeds.online.http import Budget, fetch_bytes, parse_json, unreadable

URL = ("https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/accounting/dts/"
       "operating_cash_balance")
HOST = "api.fiscaldata.treasury.gov"
SOURCE = "Treasury FiscalData DTS"
SERIES_ID = "TGA_DTS_CLOSE"
DTS_START = date(2005, 10, 3)
PAGE_SIZE = 10000
MAX_PAGES = 50
#: account_type -> fields to read, in order of preference
CLOSING_ROWS = {
    "treasury general account (tga) closing balance": ("open_today_bal", "close_today_bal"),
    "treasury general account (tga)": ("close_today_bal",),
    "federal reserve account": ("close_today_bal",),
}


def fetch_tga_close(start: date | None, budget: Budget) -> Fetched:
    """Daily TGA closing balance in USD millions from `start` (None: from 2005-10-03)."""
    what = f"series '{SERIES_ID}'"
    rows: list[dict] = []
    page = 1
    while True:
        params = {"filter": f"record_date:gte:{(start or DTS_START).isoformat()}",
                  "sort": "record_date,src_line_nbr", "page[size]": str(PAGE_SIZE),
                  "page[number]": str(page)}
        payload = parse_json(fetch_bytes(URL, what=what, budget=budget, params=params), what, HOST)
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            raise unreadable(what, HOST, "no 'data' list in the answer")
        rows += [row for row in data if isinstance(row, dict)]
        pages = int((payload.get("meta") or {}).get("total-pages") or 1)
        if page >= pages or not data:
            break
        if page >= MAX_PAGES:
            raise unreadable(what, HOST, f"{pages} pages of {PAGE_SIZE} rows, more than the "
                             f"{MAX_PAGES} a fetch reads; fetch from a later --start")
        page += 1
    return Fetched(tga_closing_balance(rows), SOURCE, HOST)


def tga_closing_balance(rows: list[dict]):
    """Pick each record date's closing balance from whichever era's row carries it."""
    dates, values = [], []
    for row in rows:
        fields = CLOSING_ROWS.get(str(row.get("account_type", "")).strip().lower())
        if fields is None:
            continue
        value = next((row.get(f) for f in fields
                      if row.get(f) not in (None, "", "null")), None)
        if value is not None:
            dates.append(row.get("record_date"))
            values.append(value)
    return value_frame(dates, values)

