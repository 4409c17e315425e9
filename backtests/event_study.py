"""Event studies: how each sleeve moved around Fed policy announcements.

Day 0 of an event is the first session at whose close the announcement was public
(`signals.policy_data.known_from_positions`: before 16:00 ET on a session -> that close, otherwise
the next one). For offsets o in [-before, +after] trading sessions, an event's path is

    cum_return(o) = price(day0 + o) / price(day0) - 1

so every path is 0 at the event close; o > 0 is what a holder from that close earned, o < 0 is
minus (roughly) the run-up into the event (price(-5)/price(0) - 1 < 0 after a rally). Prices are
the sleeves' total-return paths.

The mean path is the average over events (per offset, over the events that have that offset), with
a bootstrap band: events are resampled with replacement `n_boot` times (seeded) and the band is
the central `confidence` interval of the resampled means. Events whose window runs past either end
of the data are kept as `partial` over the offsets the data has (never extended, never dropped);
announcements before the first or after the last session are listed with status `before data` /
`after data` and have no path. Announcements of one kind that share a day 0 (e.g. the QT1 plan's
five rows on 2017-09-20) are one event.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from signals.policy_data import filter_events, known_from_positions, policy_events

BOOT_BATCH = 250
BOOT_BLOCK_BYTES = 64 << 20


@dataclass(frozen=True)
class EventStudyResult:
    """`events`: one row per event (event, announced, day0, position, first_offset, last_offset,
    partial, status); `paths`: tidy per-event paths (event, day0, sleeve, offset, date,
    cum_return); `mean`: tidy mean paths (sleeve, offset, mean, lower, upper, n_events)."""

    events: pd.DataFrame
    paths: pd.DataFrame
    mean: pd.DataFrame
    before: int
    after: int
    confidence: float
    n_boot: int
    seed: int
    kind: str = ""

    def episode(self, announced: str | pd.Timestamp) -> pd.DataFrame:
        """One event's paths (sleeve x offset) by its announcement date."""
        day = pd.Timestamp(announced)
        names = self.events.loc[self.events["announced"] == day, "event"]
        if names.empty:
            return pd.DataFrame()
        rows = self.paths.loc[self.paths["event"] == names.iloc[0]]
        return rows.pivot(index="offset", columns="sleeve", values="cum_return")


def event_paths(prices: np.ndarray, positions: np.ndarray, before: int, after: int) -> np.ndarray:
    """(events, before + after + 1, sleeves) cumulative returns; NaN outside the data or where a
    sleeve has no price."""
    offsets = np.arange(-before, after + 1)
    rows = positions[:, None] + offsets[None, :]
    inside = (rows >= 0) & (rows < prices.shape[0])
    window = prices[np.clip(rows, 0, prices.shape[0] - 1)]          # (E, O, S)
    base = prices[positions][:, None, :]                               # (E, 1, S)
    with np.errstate(invalid="ignore", divide="ignore"):
        paths = window / base - 1.0
    paths[~inside] = np.nan
    return paths


def bootstrap_band(paths: np.ndarray, n_boot: int, confidence: float, seed: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper (O, S) quantiles of the mean path over events resampled with replacement.

    Memory stays under ~2 x BOOT_BLOCK_BYTES whatever `n_boot`, the window and the sleeves (all
    n_boot means at once were 3.4 GB for 100,000 resamples of 1,001 offsets x 4 sleeves): the
    offsets are done a block at a time, each with the same resampled events."""
    n_events, n_offsets, n_sleeves = paths.shape
    rng = np.random.default_rng(seed)
    draws = np.concatenate([rng.integers(0, n_events, size=(min(BOOT_BATCH, n_boot - lo), n_events))
                            for lo in range(0, n_boot, BOOT_BATCH)])
    per_offset = 8 * n_sleeves * max(n_boot, BOOT_BATCH * n_events)
    block = max(1, min(n_offsets, BOOT_BLOCK_BYTES // per_offset))
    lower, upper = np.empty((n_offsets, n_sleeves)), np.empty((n_offsets, n_sleeves))
    tail = (1.0 - confidence) / 2.0
    with np.errstate(invalid="ignore"), _quiet_nan_warnings():
        for start in range(0, n_offsets, block):
            part = paths[:, start:start + block]
            means = np.empty((n_boot,) + part.shape[1:])
            for lo in range(0, n_boot, BOOT_BATCH):
                means[lo: lo + BOOT_BATCH] = np.nanmean(part[draws[lo: lo + BOOT_BATCH]], axis=1)
            lower[start:start + block], upper[start:start + block] = np.nanquantile(
                means, [tail, 1.0 - tail], axis=0)
    return lower, upper


@contextmanager
def _quiet_nan_warnings():
    """All-NaN slices (an offset no resampled event has) are expected: silence numpy's warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def event_study(prices: pd.DataFrame, event_positions, before: int, after: int,
                n_boot: int = 1000, confidence: float = 0.9, seed: int = 0,
                names: list[str] | None = None, announced: list | None = None
                ) -> EventStudyResult:
    """Paths of every sleeve (column of `prices`, sessions x sleeves) around each event.

    event_positions  day-0 session positions (0 <= p < len(prices)), one per event
    names, announced optional labels and announcement dates per event (default: day 0)
    """
    if before < 0 or after < 0:
        raise ValueError("before and after must be >= 0")
    if not 0 < confidence < 1 or n_boot < 1:
        raise ValueError("need 0 < confidence < 1 and n_boot >= 1")
    positions = np.asarray(event_positions, dtype=np.int64).reshape(-1)
    sessions = pd.DatetimeIndex(prices.index)
    if len(positions) and (positions.min() < 0 or positions.max() >= len(sessions)):
        raise ValueError("event positions must be sessions of `prices` (0 <= p < len)")
    day0 = sessions[positions]
    names = list(names) if names is not None else [str(d.date()) for d in day0]
    announced = list(announced) if announced is not None else list(day0)
    offsets = np.arange(-before, after + 1)
    cube = event_paths(prices.to_numpy(dtype=np.float64), positions, before, after)
    first = np.maximum(-before, -positions)
    last = np.minimum(after, len(sessions) - 1 - positions)
    events = pd.DataFrame({
        "event": names, "announced": pd.to_datetime(announced), "day0": day0,
        "position": positions, "first_offset": first, "last_offset": last,
        "partial": (first > -before) | (last < after), "status": "in data"})
    sleeves = list(prices.columns)
    records = []
    for e, name in enumerate(names):
        for o in range(first[e], last[e] + 1):
            date = sessions[positions[e] + o]
            for s, sleeve in enumerate(sleeves):
                records.append((name, day0[e], sleeve, o, date, cube[e, o + before, s]))
    paths = pd.DataFrame(records, columns=["event", "day0", "sleeve", "offset", "date",
                                           "cum_return"])
    if len(positions):
        with _quiet_nan_warnings():
            mean = np.nanmean(cube, axis=0)
        lower, upper = bootstrap_band(cube, n_boot, confidence, seed)
        counts = np.sum(~np.isnan(cube), axis=0)
    else:
        mean = lower = upper = np.full((len(offsets), len(sleeves)), np.nan)
        counts = np.zeros((len(offsets), len(sleeves)), dtype=int)
    grid = pd.MultiIndex.from_product([sleeves, offsets], names=["sleeve", "offset"])
    tidy = pd.DataFrame({"mean": mean.T.reshape(-1), "lower": lower.T.reshape(-1),
                         "upper": upper.T.reshape(-1), "n_events": counts.T.reshape(-1)},
                        index=grid).reset_index()
    return EventStudyResult(events, paths, tidy, before, after, confidence, n_boot, seed)


def policy_event_table(sessions: pd.DatetimeIndex, kind: str) -> pd.DataFrame:
    """Policy-change announcements of `kind` (markers left out) with their day-0 position and
    status; announcements sharing a day 0 merged into one event (names joined by ' + ')."""
    rows = filter_events(policy_events(), kind, include_markers=False).reset_index(drop=True)
    position = known_from_positions(rows, sessions)
    first_day = rows["date"].where(rows["date_precision"] == "day",
                                   rows["date"].dt.to_period("M").dt.to_timestamp())
    status = np.where(first_day < sessions[0], "before data",
                      np.where(position >= len(sessions), "after data", "in data"))
    table = pd.DataFrame({"event": rows["event"], "announced": rows["date"],
                          "position": position, "status": status})
    # Same day 0 -> one event; announcements outside the data each stay their own row.
    table["group"] = np.where(status == "in data", position, -1 - np.arange(len(rows)))
    merged = (table.groupby("group", sort=False)
              .agg(event=("event", " + ".join), announced=("announced", "first"),
                   position=("position", "first"), status=("status", "first")).reset_index(drop=True))
    return merged.sort_values("announced", kind="stable").reset_index(drop=True)


def policy_event_study(prices: pd.DataFrame, kind: str, before: int, after: int,
                       n_boot: int = 1000, confidence: float = 0.9, seed: int = 0
                       ) -> EventStudyResult:
    """`event_study` around every `kind` announcement (RMP, QE, QT, taper, facility) inside the
    sessions of `prices`; announcements outside the data are listed in `events` without paths."""
    table = policy_event_table(pd.DatetimeIndex(prices.index), kind)
    inside = table.loc[table["status"] == "in data"]
    result = event_study(prices, inside["position"].to_numpy(), before, after, n_boot,
                         confidence, seed, names=list(inside["event"]),
                         announced=list(inside["announced"]))
    outside = table.loc[table["status"] != "in data", ["event", "announced", "status"]]
    events = pd.concat([result.events, outside], ignore_index=True) if len(outside) else \
        result.events
    events = events.sort_values("announced", kind="stable").reset_index(drop=True)
    return EventStudyResult(events, result.paths, result.mean, before, after, confidence, n_boot,
                            seed, kind)


def configured_event_studies(prices: pd.DataFrame, section, kinds: list[str] | None = None,
                             before: int | None = None, after: int | None = None
                             ) -> dict[str, EventStudyResult]:
    """One study per kind of an `event_study:` config section (`backtests.config.
    EventStudySection`), over its sleeves; `kinds`/`before`/`after` override the section."""
    sleeves = section.sleeves or list(prices.columns)
    chosen = prices[sleeves]
    return {kind: policy_event_study(chosen, kind, section.before if before is None else before,
                                     section.after if after is None else after, section.n_boot,
                                     section.confidence, section.seed)
            for kind in (kinds or section.kinds)}
