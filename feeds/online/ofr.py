"""The OFR Financial Stress Index: the OFR's public CSV (keyless, whole history in one file).

`https://www.financialresearch.gov/financial-stress-index/data/fsi.csv` has a `Date` column, the
headline `OFR FSI` and its components (Credit, Equity valuation, Safe assets, Funding, Volatility,
regions). We keep the headline as OFR_FSI (index, 0 = average stress), stamped with its date.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from feeds.online.fetched import Fetched, value_frame
from feeds.online.http import Budget, fetch_bytes, unreadable

URL = "https://www.financialresearch.gov/financial-stress-index/data/fsi.csv"
HOST = "www.financialresearch.gov"
SERIES_ID = "OFR_FSI"
HEADLINE = "OFR FSI"


def fetch_ofr_fsi(start: date | None, budget: Budget) -> Fetched:
    what = f"series '{SERIES_ID}'"
    body = fetch_bytes(URL, what=what, budget=budget)
    try:
        raw = pd.read_csv(io.BytesIO(body), dtype=str)
    except (ValueError, pd.errors.ParserError) as exc:
        raise unreadable(what, HOST, f"not a CSV ({exc})") from None
    if "Date" not in raw.columns or HEADLINE not in raw.columns:
        raise unreadable(what, HOST, f"expected columns 'Date' and '{HEADLINE}', got "
                         f"{list(raw.columns)[:4]}")
    frame = value_frame(raw["Date"], raw[HEADLINE])
    if start is not None:
        frame = frame[frame.index >= pd.Timestamp(start)]
    return Fetched(frame, "OFR fsi.csv", HOST)
