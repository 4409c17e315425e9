"""Data-quality checks on load: every price path and series is checked once, as it comes in.

Sources differ (snapshot CSVs, the parquet cache, Yahoo, FRED), so the checks run in one place —
the panel wraps its source in `CheckedSource` — and apply uniformly. Checks:

- `duplicated_dates`, `unsorted_index`: the rows are repaired (last row per date kept, sorted);
- `non_positive`: a price <= 0 (prices and index levels only; rates and amounts may be <= 0);
  on `warn` the row is dropped;
- `gap`: no observation for more than `max_gap_days` calendar days (not for take-up series, where a
  missing day means zero take-up);
- `jump`: a one-day move beyond `max_abs_daily_return` (prices and index levels only);
- `weekend`: a price stamped on a Saturday or Sunday (no exchange trades then; such a row would
  become a fake session of the run); on `warn` the row is dropped;
- `non_numeric`: a cell that is text, not a number (empty cells are just missing); the row is
  dropped (the file, line and text are in the issue);
- `non_finite`: an infinite value (`inf` in a CSV); the row is dropped (it would turn every
  metric after it into NaN).

Each issue is `warn` (one log line on the `liqbt.quality` logger, run continues), `fail` (DataError)
or `off`, per config: `data.quality.on_issue`, per check `checks:`, per ticker/series `overrides:`.
Known real events go on the allow-list (`allow:`); a short list of documented ones ships with
liqbt (`KNOWN_EVENTS`, `KNOWN_OVERRIDES`; `known_events: false` turns them off). Every issue found,
allowed ones included, is kept in `CheckedSource.issues` for the run's manifest.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field

from feeds.catalog import SeriesSpec
from feeds.errors import DataError, shown
from feeds.schema import ConfigModel

logger = logging.getLogger("liqbt.quality")


def _yaml_off(value: Any) -> Any:
    """YAML 1.1 reads a bare `off` as False; let `jump: off` mean what it says."""
    return "off" if value is False else value


Check = Literal["duplicated_dates", "unsorted_index", "non_positive", "gap", "jump", "weekend",
                "non_numeric", "non_finite"]
Action = Annotated[Literal["warn", "fail", "off"], BeforeValidator(_yaml_off)]
MAX_LINES_PER_CHECK = 3
#: `Series.attrs` key where a source lists cells of the loaded column that were not numbers:
#: [(date, "FILE line N, column C", text), ...] (the source has dropped those rows).
UNPARSED = "liqbt_unparsed_cells"
INFINITE = "liqbt_infinite_cells"  # the same for infinite values (which stay in the series)


class QualityOverride(ConfigModel):
    """Settings for one ticker or series id; unset fields fall back to the section's."""

    on_issue: Action | None = None
    checks: dict[Check, Action] = Field(default_factory=dict)
    max_gap_days: int | None = Field(None, ge=1, le=3660)
    max_abs_daily_return: float | None = Field(None, gt=0)
    reason: str = ""


class AllowedIssue(ConfigModel):
    """A known real event: the issue of `check` (any check if unset) at `date` in `id` is fine."""

    id: str = Field(min_length=1, description="ticker or series id")
    date: date
    check: Check | None = None
    reason: str = ""


class QualityPolicy(ConfigModel):
    """The `data.quality:` config section."""

    on_issue: Literal["warn", "fail"] = Field("warn", description="default action for any issue")
    checks: dict[Check, Action] = Field(default_factory=dict, description="action per check")
    max_gap_days: int = Field(10, ge=1, le=3660, description="longest allowed calendar-day gap")
    max_abs_daily_return: float = Field(0.5, gt=0, description="largest plausible |1-day move|")
    overrides: dict[str, QualityOverride] = Field(default_factory=dict,
                                                  description="per ticker/series id")
    allow: list[AllowedIssue] = Field(default_factory=list, description="known real events")
    known_events: bool = Field(True, description="apply liqbt's documented real events too")

    def override_for(self, series_id: str) -> QualityOverride:
        """The config override merged over the shipped one (config wins field by field)."""
        shipped = KNOWN_OVERRIDES.get(series_id) if self.known_events else None
        mine = self.overrides.get(series_id)
        if shipped is None or mine is None:
            return mine or shipped or QualityOverride()
        merged = shipped.model_dump() | mine.model_dump(exclude_unset=True)
        merged["checks"] = shipped.checks | mine.checks
        return QualityOverride(**merged)

    def action(self, check: str, series_id: str) -> Action:
        override = self.override_for(series_id)
        return (override.checks.get(check) or override.on_issue or self.checks.get(check)
                or self.on_issue)

    def threshold(self, name: str, series_id: str) -> Any:
        value = getattr(self.override_for(series_id), name)
        return getattr(self, name) if value is None else value

    def allowance(self, check: str, series_id: str, day: str | None) -> AllowedIssue | None:
        entries = list(self.allow) + (list(KNOWN_EVENTS) if self.known_events else [])
        return next((entry for entry in entries
                     if entry.id == series_id and str(entry.date) == day
                     and entry.check in (None, check)), None)


KNOWN_OVERRIDES: dict[str, QualityOverride] = {
    **{ticker: QualityOverride(max_abs_daily_return=1.0, reason=(
        "volatility index or VIX-futures ETP: one-day moves of 50-100% are real"))
       for ticker in ("VIX", "VIX3M", "VIXCLS", "VIXY", "VIXM", "VXX", "UVXY", "SVXY")},
    "RRPONTSYAWARD": QualityOverride(max_gap_days=21, reason=(
        "the ON RRP award rate is reported only on days with accepted bids (14-day gap in 2020)")),
}

KNOWN_EVENTS: tuple[AllowedIssue, ...] = (
    AllowedIssue(id="VIX", date=date(2018, 2, 5), check="jump", reason=(
        "Volmageddon: VIX closed 37.32 from 17.31 (+115.6%); NOTES.md (f), PROVENANCE.md")),
    AllowedIssue(id="GSPC", date=date(1933, 3, 15), check="gap", reason=(
        "NYSE closed 1933-03-04..03-14 for the national bank holiday")),
)


@dataclass(frozen=True)
class QualityIssue:
    """One finding. `action` is what the policy made of it: warn, fail or allowed."""

    check: str
    id: str
    kind: str
    date: str
    detail: str
    action: str = "warn"
    note: str = ""
    origin: str = ""

    def line(self) -> str:
        """One line: what, where, which date, and how to silence or fix it."""
        origin = f" from {self.origin}" if self.origin else ""
        head = f"data quality {self.action}: {self.kind} {self.id}{origin}: {self.detail}"
        silence = f"data.quality.allow: [{{id: {self.id}, date: {self.date}, check: {self.check}}}]"
        if self.action == "fail":
            return f"{head}; fix the data, or accept it with {silence}"
        return f"{head} ({self.note}); if this is expected, silence it with {silence}"

    def as_dict(self) -> dict:
        return asdict(self)


def _day(stamp: Any) -> str:
    return str(pd.Timestamp(stamp).date())


def find_issues(values: pd.Series, series_id: str, kind: str, policy: QualityPolicy,
                price_like: bool, gaps_meaningful: bool, origin: str = ""
                ) -> tuple[list[QualityIssue], pd.Series]:
    """Issues in one loaded series, and the series repaired (sorted, one row per date)."""
    found: list[QualityIssue] = []

    def add(check: str, stamp: Any, detail: str, note: str = "data left as is") -> None:
        found.append(QualityIssue(check, series_id, kind, _day(stamp), detail, note=note,
                                  origin=origin))

    for stamp, where, text in values.attrs.get(UNPARSED, ()):
        add("non_numeric", stamp, f"{shown(text)} on {_day(stamp)} is not a number ({where})",
            "row dropped")
    infinite = np.isinf(values.to_numpy(dtype=float))
    where = {stamp: f" ({place})" for stamp, place, _ in values.attrs.get(INFINITE, ())}
    for stamp, value in values[infinite].items():
        add("non_finite", stamp, f"value {value} on {_day(stamp)} is not finite"
            f"{where.get(stamp, '')}", "row dropped")
    values = values[~infinite]  # never usable, whatever the policy says

    if not values.index.is_monotonic_increasing:
        order = np.flatnonzero(np.diff(values.index.values.astype("datetime64[D]")).astype(int) < 0)
        add("unsorted_index", values.index[order[0] + 1],
            f"dates out of order, first at {_day(values.index[order[0] + 1])}", "sorted")
        values = values.sort_index(kind="stable")  # equal dates keep file order: "last" is last
    if values.index.has_duplicates:
        dups = values.index[values.index.duplicated()]
        add("duplicated_dates", dups[0],
            f"{len(dups)} duplicated date(s), first on {_day(dups[0])}",
            "kept the last row per date")
        values = values[~values.index.duplicated(keep="last")]
    clean = values.dropna()
    if price_like:
        for stamp, value in clean[clean <= 0].items():
            add("non_positive", stamp, f"price {value:g} <= 0 on {_day(stamp)}", "row dropped")
        clean = clean[clean > 0]
        weekend = clean.index.day_of_week >= 5
        for stamp in clean.index[weekend]:
            add("weekend", stamp, f"price stamped on a {stamp.day_name()} ({_day(stamp)})",
                "row dropped")
        clean = clean[~weekend]
    if gaps_meaningful and len(clean) > 1:
        limit = policy.threshold("max_gap_days", series_id)
        days = np.diff(clean.index.values.astype("datetime64[D]")).astype(int)
        for position in np.flatnonzero(days > limit):
            before, after = clean.index[position], clean.index[position + 1]
            add("gap", after, f"no observation for {days[position]} days between {_day(before)} "
                f"and {_day(after)} (max_gap_days {limit})")
    if price_like and len(clean) > 1:
        limit = policy.threshold("max_abs_daily_return", series_id)
        moves = clean.pct_change()
        for stamp, move in moves[moves.abs() > limit].items():
            add("jump", stamp, f"one-day move of {move:+.1%} on {_day(stamp)} "
                f"(max_abs_daily_return {limit:g})")
    return found, values


def _decide(issue: QualityIssue, policy: QualityPolicy) -> QualityIssue:
    allowed = policy.allowance(issue.check, issue.id, issue.date)
    if allowed is not None:
        return QualityIssue(**(issue.as_dict() | {"action": "allowed",
                                                  "note": allowed.reason or "allow-listed"}))
    return QualityIssue(**(issue.as_dict() | {"action": policy.action(issue.check, issue.id)}))


def report(issues: list[QualityIssue]) -> None:
    """Log each warning on one line (at most a few per series and check); raise on a failure."""
    shown: Counter = Counter()
    for issue in issues:
        if issue.action != "warn":
            continue
        shown[(issue.id, issue.check)] += 1
        if shown[(issue.id, issue.check)] <= MAX_LINES_PER_CHECK:
            logger.warning("liqbt: %s", issue.line())
    for (series_id, check), count in shown.items():
        if count > MAX_LINES_PER_CHECK:
            logger.warning("liqbt: data quality warn: %s: %d more %s issues (all listed in the "
                           "run manifest's data_quality)", series_id, count - MAX_LINES_PER_CHECK,
                           check)
    failures = [issue for issue in issues if issue.action == "fail"]
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise DataError(failures[0].line() + more)


class CheckedSource:
    """Wraps a data source: each ticker/series is checked once, on first load, then memoised."""

    def __init__(self, source: Any, policy: QualityPolicy | None = None):
        self.source = source
        self.policy = policy or QualityPolicy()
        self.issues: list[QualityIssue] = []
        self._loaded: dict[tuple[str, str], pd.Series] = {}

    def __repr__(self) -> str:
        return repr(self.source)

    def prices(self, ticker: str) -> pd.Series:
        key = ("ticker", ticker)
        if key not in self._loaded:
            self._loaded[key] = self._check(self.source.prices(ticker), ticker, "ticker",
                                            price_like=True, gaps_meaningful=True)
        return self._loaded[key]

    def observations(self, spec: SeriesSpec) -> pd.Series:
        if spec.folder == "prices":  # an index level kept with the prices (VIX): one file, one check
            return self.prices(spec.id).rename(spec.id)
        key = ("series", spec.id)
        if key not in self._loaded:
            self._loaded[key] = self._check(
                self.source.observations(spec), spec.id, "series",
                price_like=spec.folder == "prices", gaps_meaningful=not spec.zero_when_missing)
        return self._loaded[key]

    def files_used(self) -> list:
        return self.source.files_used()

    def _check(self, values: pd.Series, series_id: str, kind: str, price_like: bool,
               gaps_meaningful: bool) -> pd.Series:
        found, repaired = find_issues(values, series_id, kind, self.policy, price_like,
                                      gaps_meaningful, origin=repr(self.source))
        decided = [issue for issue in (_decide(i, self.policy) for i in found)
                   if issue.action != "off"]
        self.issues.extend(decided)
        report(decided)
        dropped = [pd.Timestamp(i.date) for i in decided
                   if i.check in ("non_positive", "weekend") and i.action == "warn"]
        return repaired.drop(index=dropped) if dropped else repaired
