"""The point-in-time panel: the one object signals and strategies read.

It owns the run's trading sessions, the sleeves' price paths, and turns any catalog series into
"value known at each session's close" (USD bn for amounts). `truncated(t)` rebuilds the same panel
from data cut at `t`; the truncation tests use it to prove nothing downstream peeks ahead.
"""

from __future__ import annotations

from functools import reduce
from typing import Mapping, Protocol

import pandas as pd

from feeds.calendar import trading_sessions
from feeds.catalog import SeriesSpec, spec_for
from feeds.errors import DataError, LiqbtError
from feeds.instruments import Instrument, PricePath
from feeds.quality import CheckedSource, QualityIssue, QualityPolicy
from feeds.release import fed_business_days, first_usable_session, known_at_close
from feeds.snapshot import FileRecord
from feeds.window import say_window_notes, window_notes


class Source(Protocol):
    """What the panel needs from a data source (snapshot directory, cache, online)."""

    def observations(self, spec: SeriesSpec) -> pd.Series: ...
    def prices(self, ticker: str) -> pd.Series: ...
    def files_used(self) -> list[FileRecord]: ...


def _zero_fill_business_days(observations: pd.Series, through: pd.Timestamp) -> pd.Series:
    """Take-up series omit days without operations; inside their coverage such a Fed business day
    means zero (holidays stay absent: no operation was held, nothing is known for them).

    `through` is the last day whose operations are known: the source's coverage end, or the
    panel's cutoff if earlier. It must not be the last row: a gap would then count as zero only
    because a later row exists, i.e. only in hindsight."""
    if observations.empty:
        return observations
    days = fed_business_days(observations.index[0], through)
    return observations.reindex(observations.index.union(days)).fillna(0.0)


class _CutSource:
    """A read-only view of a source showing only what is stamped on or before `cutoff`, so a
    truncated panel builds its instruments from cut inputs, as a live run at `cutoff` would."""

    def __init__(self, source, cutoff: pd.Timestamp):
        self.source, self.cutoff = source, cutoff

    def prices(self, ticker: str) -> pd.Series:
        return self.source.prices(ticker).loc[: self.cutoff]

    def observations(self, spec: SeriesSpec) -> pd.Series:
        return self.source.observations(spec).loc[: self.cutoff]


class PointInTimePanel:
    """Sessions x data, each value as known at that session's close.

    `sleeve_prices` (sessions x sleeves) are the sleeves' price paths: NaN before an instrument
    exists, the last close carried over gaps inside its life, and flat after it was closed
    (terminated, or cut with `until:`). `sleeve_tradable` (same shape, bool) says where a sleeve can
    be held: False before its first price and from its closing session on. Every ticker and series
    passes the data-quality checks once, as loaded (`quality_issues`).
    """

    def __init__(self, source: Source, instruments: Mapping[str, Instrument],
                 start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
                 cutoff: pd.Timestamp | None = None, quality: QualityPolicy | None = None,
                 *, checked: CheckedSource | None = None, say_notes: bool = True):
        self.source = source
        self.quality = quality or QualityPolicy()
        self.checked = checked or CheckedSource(source, self.quality)
        self.instruments = dict(instruments)
        self.start, self.end, self.cutoff = start, end, cutoff
        last = end if cutoff is None else (cutoff if end is None else min(end, cutoff))
        self.sleeve_paths, self.sessions = self._build_paths(start, last)
        self.sleeve_prices = pd.DataFrame(
            {sleeve: self._on_sessions(path.prices) for sleeve, path in self.sleeve_paths.items()},
            index=self.sessions)
        self.sleeve_tradable = pd.DataFrame(
            {sleeve: self._tradable(path) for sleeve, path in self.sleeve_paths.items()},
            index=self.sessions)
        self._series_cache: dict[str, pd.Series] = {}
        self.window_notes = [] if cutoff is not None else window_notes(self)
        if say_notes:  # off for stand-in panels (tracing what a config reads): not the run's
            say_window_notes(self.window_notes)

    def _build_paths(self, start: pd.Timestamp | None, last: pd.Timestamp | None
                     ) -> tuple[dict[str, PricePath], pd.DatetimeIndex]:
        """Exchange sleeves first (their dates are the sessions), then accrual sleeves on them."""
        exchange = [s for s, i in self.instruments.items() if not i.prices_on_run_sessions]
        accrual = [s for s in self.instruments if s not in exchange]
        paths = {sleeve: self._build(sleeve, None) for sleeve in exchange}
        if paths:
            calendar = self._calendar(paths, start, last)
        else:  # rates-only universe: the union of the series' own dates
            own = [self._build(sleeve, None).prices.index for sleeve in accrual]
            calendar = reduce(pd.DatetimeIndex.union, own)
            calendar = calendar if last is None else calendar[calendar <= last]
        paths |= {sleeve: self._build(sleeve, calendar) for sleeve in accrual}
        paths = {sleeve: paths[sleeve] for sleeve in self.instruments}
        return paths, self._calendar(paths, start, last)

    def _build(self, sleeve: str, sessions: pd.DatetimeIndex | None) -> PricePath:
        try:
            view = self.checked if self.cutoff is None else _CutSource(self.checked, self.cutoff)
            return self.instruments[sleeve].build(view, sessions)
        except LiqbtError as exc:
            if self.cutoff is not None and isinstance(exc, DataError):
                # Cut before the instrument has data: at that date it is not listed yet. (A real
                # data problem already failed the full panel this one was truncated from.)
                return PricePath(pd.Series(dtype=float, index=pd.DatetimeIndex([]), name=sleeve))
            raise type(exc)(f"universe.{sleeve}: {exc}") from None

    @staticmethod
    def _calendar(paths: dict[str, PricePath], start: pd.Timestamp | None,
                  last: pd.Timestamp | None) -> pd.DatetimeIndex:
        closed = {sleeve for sleeve, path in paths.items() if path.closed_on is not None}
        return trading_sessions({s: p.prices for s, p in paths.items()}, start, last, closed)

    @property
    def sleeves(self) -> list[str]:
        return list(self.instruments)

    @property
    def decision_prices(self) -> pd.DataFrame:
        """Sleeve prices as a rule may read them at each close. `sleeve_prices` are the true closes
        the P&L is booked at; a synthetic priced from data published after the close (the yield
        steepener: H.15 yields of t come out after the close of t+1) shows each price that many
        sessions later here."""
        lags = {sleeve: instrument.price_public_sessions_later
                for sleeve, instrument in self.instruments.items()}
        if not any(lags.values()):
            return self.sleeve_prices
        return pd.DataFrame({sleeve: self.sleeve_prices[sleeve].shift(lag)
                             for sleeve, lag in lags.items()}, index=self.sessions)

    @property
    def start_position(self) -> int:
        """Index of the first backtest session (earlier sessions are signal warm-up)."""
        if self.start is None:
            return 0
        return int(self.sessions.searchsorted(self.start, side="left"))

    def truncated(self, cutoff: pd.Timestamp | str) -> "PointInTimePanel":
        """The same panel rebuilt from observations stamped on or before `cutoff`."""
        return PointInTimePanel(self.source, self.instruments, self.start, self.end,
                                pd.Timestamp(cutoff), self.quality, checked=self.checked)

    @property
    def quality_issues(self) -> list[QualityIssue]:
        """Every data-quality issue found so far (warned, failed or allow-listed), in load order."""
        return list(self.checked.issues)

    def sleeve_closures(self) -> dict[str, dict]:
        """Sleeves closed by design: {sleeve: {"date", "reason"}} (for the run manifest), with
        "gaps" [{"date", "until", "reason"}] for a chain that reopened with its next product."""
        closures: dict[str, dict] = {}
        for sleeve, path in self.sleeve_paths.items():
            entry = path.closures()
            if entry:
                final = entry[-1] if path.closed_on is not None else {}
                closures[sleeve] = {**final, **({"gaps": entry[:len(path.gaps)]} if path.gaps
                                                else {})}
        return closures

    def observations(self, series_id: str) -> pd.Series:
        """Raw stamped observations (native units), cut at the panel's cutoff."""
        return self._cut(self.checked.observations(spec_for(series_id)))

    def stamped(self, series_id: str) -> pd.Series:
        """Observations by stamp, cut at the cutoff, amounts in USD bn; for take-up series a Fed
        business day without a row is zero (through what is known at the cutoff)."""
        spec = spec_for(series_id)
        observations = self.observations(series_id)
        if spec.zero_when_missing and len(observations):
            coverage_end = self.checked.observations(spec).index[-1]
            through = coverage_end if self.cutoff is None else min(coverage_end, self.cutoff)
            observations = _zero_fill_business_days(observations, through)
        if spec.is_amount:
            observations = observations * spec.usd_bn_per_unit
        return observations.rename(series_id)

    def series(self, series_id: str) -> pd.Series:
        """`series_id` as known at each session's close; amounts in USD bn."""
        if series_id not in self._series_cache:
            values = known_at_close(self.stamped(series_id), spec_for(series_id).release,
                                    self.sessions)
            self._series_cache[series_id] = values.rename(series_id)
        return self._series_cache[series_id]

    def align(self, stamped: pd.Series, like: str) -> pd.Series:
        """A series derived from `like`'s observations (same stamps), released under `like`'s rule."""
        return known_at_close(stamped, spec_for(like).release, self.sessions)

    def first_known_session(self, series_id: str, stamp: pd.Timestamp | str) -> pd.Timestamp:
        """The first session at whose close the observation stamped `stamp` is public."""
        position = int(first_usable_session(pd.DatetimeIndex([pd.Timestamp(stamp)]),
                                            spec_for(series_id).release, self.sessions)[0])
        if position >= len(self.sessions):
            raise DataError(f"{series_id} stamped {stamp} is published after the panel's last session")
        return self.sessions[position]

    def files_used(self) -> list[FileRecord]:
        return self.source.files_used()

    def _cut(self, stamped: pd.Series) -> pd.Series:
        return stamped if self.cutoff is None else stamped.loc[: self.cutoff]

    def _on_sessions(self, path: pd.Series) -> pd.Series:
        """Prices on the run's sessions; gaps inside an instrument's life carry the last close,
        dates before its first close stay NaN (never back-filled)."""
        on_sessions = path.reindex(self.sessions)
        if path.dropna().empty:
            return on_sessions
        alive = self.sessions >= path.dropna().index[0]
        return on_sessions.ffill().where(alive)

    def _tradable(self, path: PricePath) -> pd.Series:
        """True from the first price until (excluding) the session the sleeve was closed on."""
        return pd.Series(path.tradable_on(self.sessions), index=self.sessions, dtype=bool)
