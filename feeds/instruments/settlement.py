"""Known stale closes: days on which an ETP's 16:00 close missed its index's 16:15 settlement.

VIX-futures ETPs close at 16:00 ET, but their index (and the NAV, and the ETNs' termination
triggers) is struck on the 16:15 futures settlement. On 2018-02-05 the futures doubled after
16:00: the S&P 500 VIX Short-Term Futures Index rose ~96.1% on the day — XIV's closing indicative
value fell from 108.3681 to 4.22 (WSJ via research NOTES.md (f)), and XIV was -1x that index —
while VIXY's 16:00 close rose only 34%. A daily-reset inverse built from VIXY's closes would then
survive the day that terminated XIV and cost SVXY 83%. The synthetic therefore books the index's
move on such a day and lets the next session absorb the difference, so the underlying's
cumulative return over the two sessions is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class SettlementMove:
    """On `day`, the index behind `tickers` returned `index_return` at its settlement."""

    tickers: tuple[str, ...]
    day: date
    index_return: float
    source: str


KNOWN_SETTLEMENT_MOVES: tuple[SettlementMove, ...] = (
    SettlementMove(("VIXY", "VXX"), date(2018, 2, 5), 1.0 - 4.22 / 108.3681,
                   "S&P 500 VIX Short-Term Futures Index, 2018-02-05: XIV indicative value "
                   "108.3681 -> 4.22 (WSJ; research NOTES.md (f))"),
)


def with_settlement_moves(ticker: str, returns: pd.Series) -> pd.Series:
    """`returns` (daily, of `ticker`) with known settlement moves booked on their day.

    The next session's return is rescaled so that (1 + r_day)(1 + r_next) is unchanged: the price
    level after the event still matches the ticker's own closes.
    """
    adjusted = returns.copy()
    for move in KNOWN_SETTLEMENT_MOVES:
        day = pd.Timestamp(move.day)
        if ticker.upper() not in move.tickers or day not in adjusted.index:
            continue
        position = adjusted.index.get_loc(day)
        if position + 1 < len(adjusted):
            two_day = (1.0 + adjusted.iloc[position]) * (1.0 + adjusted.iloc[position + 1])
            adjusted.iloc[position + 1] = two_day / (1.0 + move.index_return) - 1.0
        adjusted.iloc[position] = move.index_return
    return adjusted
