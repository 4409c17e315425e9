"""Known breaks: dates on which a ticker became a different product under the same symbol.

An adjusted-close history runs straight across such a date, so a backtest that holds the ticker
"since inception" splices two strategies into one fictional path. A ticker instrument must therefore
never span a known break: the config picks a side with `since:`/`until:` or uses a synthetic.

Facts: research NOTES.md (f) — ProShares cut SVXY from -1x to -0.5x and UVXY from 2x to 1.5x daily
exposure to the S&P 500 VIX Short-Term Futures Index after the close of 2018-02-27 (official
statement via Reuters, ETF Trends, fa-mag; some mirrors swap the two multiples).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class KnownBreak:
    """`ticker` is one product through `last_old` (inclusive) and another from `first_new`."""

    ticker: str
    last_old: date
    first_new: date
    change: str
    alternative: str

    def spanned_by(self, since: date | None, until: date | None) -> bool:
        """True when a history restricted to [since, until] contains both sides of the break."""
        before = since is None or since <= self.last_old
        return before and (until is None or until >= self.first_new)

    def message(self, field: str = "ticker") -> str:
        return (f"{field} {self.ticker} {self.change} after the close of {self.last_old}; its "
                f"price history splices two different products: set `since: {self.first_new}` or "
                f"`until: {self.last_old}`, or use {self.alternative}")


KNOWN_BREAKS: dict[str, KnownBreak] = {
    b.ticker: b for b in (
        KnownBreak("SVXY", date(2018, 2, 27), date(2018, 2, 28),
                   "changed from -1x to -0.5x daily exposure to the VIX short-term futures index",
                   "`{inverse_of: VIXY}` for a constant -1x short-vol sleeve"),
        KnownBreak("UVXY", date(2018, 2, 27), date(2018, 2, 28),
                   "changed from 2x to 1.5x daily exposure to the VIX short-term futures index",
                   "`{ticker: VIXY}` for a constant 1x long-vol sleeve"),
    )
}


def break_problem(ticker: str, since: date | None = None, until: date | None = None,
                  field: str = "ticker") -> str | None:
    """The one-line problem if `ticker` restricted to [since, until] spans a known break."""
    known = KNOWN_BREAKS.get(ticker.upper())
    if known is not None and known.spanned_by(since, until):
        return known.message(field)
    return None
