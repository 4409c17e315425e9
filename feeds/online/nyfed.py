"""The New York Fed Markets API (keyless JSON): reference rates and standing-repo operations.

Reference rates — `GET /api/rates/secured/{sofr|tgcr|bgcr}/search.json?startDate=&endDate=`:

    {"refRates": [{"effectiveDate": "2025-12-31", "type": "SOFR", "percentRate": 3.87,
                   "percentPercentile1": 3.80, "percentPercentile25": 3.84,
                   "percentPercentile75": 3.95, "percentPercentile99": 4.10,
                   "volumeInBillions": 3126, "revisionIndicator": ""}, ...]}   (newest first)

  -> SOFR, SOFR1/25/75/99, TGCR, BGCR in percent, stamped with the trade (effective) date.
  A rate the Desk republishes after a correction carries a non-empty `revisionIndicator` (seen:
  "r"; any non-empty value counts). When a date comes twice, the revised row wins whatever the
  order of the answer; between two rows alike, the first listed (the newest-first answer's own
  choice) is kept.

Repo operations — `GET /api/rp/results/search.json?startDate=&endDate=&operationTypes=Repo`:

    {"repo": {"operations": [{"operationId": "RP 123125 1", "operationDate": "2025-12-31",
        "operationType": "Repo", "operationMethod": "Full Allotment", "term": "Overnight",
        "auctionStatus": "Results", "note": "", "totalAmtAccepted": 74600000000,
        "details": [{"securityType": "Treasury", "amtSubmitted": ..., "amtAccepted": ...}, ...]}]}}

  -> SRF_USAGE: accepted amounts per operation date, summed over operations and collateral legs
  (Treasury, agency, MBS), in USD bn. Every Desk repo operation since the standing repo facility
  began (2021-07) is an SRF operation, except small value exercises: operational tests of $75-250
  million at most, not usage. The API labels them inconsistently (some say so in `note`, several
  have an empty note: 2022-04-11, 2023-03-08, 2024-09-24), so an operation is an exercise, and left
  out, when any of `is_small_value_exercise`'s rules holds:
    1. its `note` says "small value";
    2. its id ends in operation number 99 ("RP 100825 99"), the Desk's number for them;
    3. it is not overnight (the SRF is overnight only; some exercises are term repos);
    4. it ran outside the SRF's windows (08:15-08:30 and 13:30-13:45 ET): released between 09:00
       and 12:59 ET, with at most $250 million accepted — the amount guard keeps a real operation
       the Desk might move on an early-close day (not verified) from being dropped.
  Size alone is no rule: real afternoon operations often accept $1-5 million (test trades by
  counterparties) and count. A business day with no row means no operation (the catalog
  zero-fills inside the series' coverage).
"""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd

from feeds.online.fetched import Fetched, value_frame
from feeds.online.http import Budget, fetch_bytes, parse_json, unreadable

BASE_URL = "https://markets.newyorkfed.org/api"
HOST = "markets.newyorkfed.org"
SOURCE = "NY Fed Markets API"
#: series id -> (rate path, JSON field)
REFERENCE_RATES: dict[str, tuple[str, str]] = {
    "SOFR": ("sofr", "percentRate"),
    "SOFR1": ("sofr", "percentPercentile1"),
    "SOFR25": ("sofr", "percentPercentile25"),
    "SOFR75": ("sofr", "percentPercentile75"),
    "SOFR99": ("sofr", "percentPercentile99"),
    "TGCR": ("tgcr", "percentRate"),
    "BGCR": ("bgcr", "percentRate"),
}
RATES_START = date(2018, 4, 2)   # first publication of SOFR, TGCR and BGCR
SRF_START = date(2021, 7, 1)     # standing repo facility (all Desk repo since then)
SRF_SERIES = "SRF_USAGE"
SERIES = frozenset(REFERENCE_RATES) | {SRF_SERIES}


class NyFed:
    """One fetch session: SOFR and its percentiles share one download per start date."""

    def __init__(self, today: date | None = None):
        self.today = today or date.today()
        self._rates: dict[tuple[str, date], list[dict]] = {}

    def fetch(self, series_id: str, start: date | None, budget: Budget) -> Fetched:
        if series_id == SRF_SERIES:
            return Fetched(self._srf_usage(start or SRF_START, budget), SOURCE, HOST)
        rate, field = REFERENCE_RATES[series_id]
        rows = preferring_revisions(self._reference_rows(rate, start or RATES_START, series_id,
                                                         budget))
        frame = value_frame([row.get("effectiveDate") for row in rows],
                            [row.get(field) for row in rows])
        return Fetched(frame, SOURCE, HOST)

    def _reference_rows(self, rate: str, start: date, series_id: str, budget: Budget) -> list[dict]:
        key = (rate, start)
        if key not in self._rates:
            what = f"series '{series_id}'"
            body = fetch_bytes(f"{BASE_URL}/rates/secured/{rate}/search.json", what=what,
                               budget=budget, params=self._window(start))
            payload = parse_json(body, what, HOST)
            rows = payload.get("refRates") if isinstance(payload, dict) else None
            if not isinstance(rows, list):
                raise unreadable(what, HOST, "no 'refRates' list in the answer")
            self._rates[key] = [row for row in rows if isinstance(row, dict)]
        return self._rates[key]

    def _srf_usage(self, start: date, budget: Budget) -> pd.DataFrame:
        what = f"series '{SRF_SERIES}'"
        params = {**self._window(start), "operationTypes": "Repo"}
        body = fetch_bytes(f"{BASE_URL}/rp/results/search.json", what=what, budget=budget,
                           params=params)
        payload = parse_json(body, what, HOST)
        operations = (payload.get("repo") or {}).get("operations") if isinstance(payload, dict) \
            else None
        if not isinstance(operations, list):
            raise unreadable(what, HOST, "no 'repo.operations' list in the answer")
        return srf_usage_usd_bn(operations)

    def _window(self, start: date) -> dict[str, str]:
        return {"startDate": start.isoformat(), "endDate": self.today.isoformat()}


def preferring_revisions(rows: list[dict]) -> list[dict]:
    """One row per effective date: a revised row (non-empty `revisionIndicator`) over an
    unrevised one, else the first listed; dates in first-seen order."""
    chosen: dict[str, dict] = {}
    for row in rows:
        day = str(row.get("effectiveDate", ""))
        if day not in chosen or (_revised(row) and not _revised(chosen[day])):
            chosen[day] = row
    return list(chosen.values())


def _revised(row: dict) -> bool:
    return bool(str(row.get("revisionIndicator") or "").strip())


SVE_MAX_USD = 250e6


def is_small_value_exercise(op: dict) -> bool:
    """The module docstring's four rules."""
    if "small value" in str(op.get("note") or "").lower():
        return True
    if str(op.get("operationId") or "").split()[-1:] == ["99"]:
        return True
    if str(op.get("term") or "Overnight").strip().lower() != "overnight":
        return True
    released = _clock(op.get("releaseTime")) or _clock(op.get("closeTime"))
    accepted = float(op.get("totalAmtAccepted") or 0)
    return released is not None and time(9, 0) <= released < time(13, 0) and \
        accepted <= SVE_MAX_USD


def _clock(text) -> time | None:
    try:
        return datetime.strptime(str(text).strip(), "%H:%M").time()
    except ValueError:
        return None


def srf_usage_usd_bn(operations: list[dict]) -> pd.DataFrame:
    """Accepted USD bn per operation date over standing-repo operations (see module docstring)."""
    totals: dict[str, float] = {}
    for op in operations:
        if not isinstance(op, dict) or str(op.get("operationType", "")).lower() != "repo":
            continue
        if str(op.get("auctionStatus") or "Results").lower() != "results":
            continue
        if is_small_value_exercise(op):
            continue
        legs = [leg for leg in op.get("details") or [] if isinstance(leg, dict)]
        if legs:
            accepted = sum(float(leg.get("amtAccepted") or 0) for leg in legs)
        else:
            accepted = float(op.get("totalAmtAccepted") or 0)
        day = str(op.get("operationDate", ""))[:10]
        totals[day] = totals.get(day, 0.0) + accepted
    days = sorted(totals)
    return value_frame(days, [totals[day] / 1e9 for day in days])

