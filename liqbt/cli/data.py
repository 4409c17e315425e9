"""`liqbt fetch` and `liqbt data list`: fill, inspect and export the local parquet cache.

    liqbt fetch CONFIG                          every series and ticker CONFIG reads (traced)
    liqbt fetch --series WALCL,SOFR --tickers SPY
    liqbt fetch CONFIG --export DIR             ... then write DIR as a snapshot (--snapshot layout)
    liqbt fetch CONFIG --offline --export DIR   export what is cached, no network
    liqbt data list                             what is cached: id, source, range, rows, age

A fetch is incremental (only dates after the cached ones, with an overlap for revisions) and stops
at the first source that fails, with one line on stderr and exit code 1; what was fetched before
stays cached. The progress bar goes to stderr and only when it is a terminal.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from feeds.errors import InputError, shown
from liqbt.cli.options import CacheDirOpt, TimeoutOpt, status

TICKER = re.compile(r"^[A-Za-z0-9.^=_-]+$")
MAX_TICKER_CHARS = 32  # it becomes a file name in the cache


@dataclass
class FetchPlan:
    """What one `liqbt fetch` will bring into the cache."""

    series: list = field(default_factory=list)     # SeriesSpec, folders fred/other
    tickers: list[str] = field(default_factory=list)
    vintage: str = "latest"
    timeout_s: float = 30.0
    notes: list[str] = field(default_factory=list)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def build_plan(config_path: Path | None, series_ids: list[str], tickers: list[str],
               vintage: str | None, timeout_s: float | None) -> FetchPlan:
    """Series and tickers from CONFIG (traced) plus --series/--tickers, checked before any fetch."""
    from liqbt.config import load_config
    from liqbt.data_needs import config_inputs
    from feeds.catalog import spec_for
    from feeds.online import resolve_timeout
    from feeds.online.fred import fred_api_key
    from feeds.online.yahoo import NOT_ON_YAHOO

    config_timeout, config_vintage = None, "latest"
    wanted_series, wanted_tickers, notes = list(series_ids), list(tickers), []
    if config_path is not None:
        config = load_config(config_path)
        inputs = config_inputs(config)
        wanted_series = inputs.series + wanted_series
        wanted_tickers = inputs.tickers + wanted_tickers
        config_timeout, config_vintage = config.data.timeout_s, config.data.vintage
        notes += [f"signal '{name}' could not be traced ({why}); fetching the default liquidity "
                  "series for it" for name, why in inputs.untraced.items()]
    if not wanted_series and not wanted_tickers:
        raise InputError("nothing to fetch: pass a CONFIG, or --series ID[,ID...] and/or "
                         "--tickers T[,T...] (e.g. liqbt fetch --series WALCL --tickers SPY)")
    plan = FetchPlan(vintage=vintage or config_vintage,
                     timeout_s=resolve_timeout(timeout_s, config_timeout), notes=notes)
    for series_id in dict.fromkeys(wanted_series):
        spec = spec_for(series_id)
        if spec.online is None:
            raise InputError(f"series '{series_id}' has no online source ({spec.source}, snapshot "
                             "only): drop it from the fetch, or run from --snapshot DIR")
        if spec.folder == "prices":
            wanted_tickers.append(spec.id)
        else:
            plan.series.append(spec)
    for ticker in dict.fromkeys(wanted_tickers):
        if not TICKER.match(ticker) or len(ticker) > MAX_TICKER_CHARS:
            raise InputError(f"--tickers: {shown(ticker)} is not a ticker (at most "
                             f"{MAX_TICKER_CHARS} letters, digits, . ^ = _ -)")
        if ticker.upper() in NOT_ON_YAHOO:
            raise InputError(f"ticker '{ticker}' has no online source: it is "
                             f"{NOT_ON_YAHOO[ticker.upper()]}; run from --snapshot DIR")
        if ticker not in plan.tickers:
            plan.tickers.append(ticker)
    if plan.vintage not in ("latest", "first_release"):
        raise InputError(f"--vintage {plan.vintage}: choose latest or first_release")
    if plan.vintage == "first_release" and fred_api_key() is None and \
            any(spec.online == "fred" for spec in plan.series):
        raise InputError("vintage first_release uses ALFRED, which needs a FRED API key: set "
                         "FRED_API_KEY (free at fred.stlouisfed.org) or use --vintage latest")
    return plan


def _parse_start(start: str | None) -> date | None:
    if start is None:
        return None
    try:
        return date.fromisoformat(start)
    except ValueError:
        raise InputError(f"--start {start!r} is not a date: use YYYY-MM-DD") from None


def _progress(console):
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True,
                    disable=not console.is_terminal)


def fetch(config: Optional[Path] = typer.Argument(None, metavar="CONFIG", show_default=False,
                                                  help="run config: fetch everything it reads"),
          series: Optional[list[str]] = typer.Option(None, "--series", metavar="ID[,ID...]",
                                                     help="catalog series ids (repeatable)"),
          tickers: Optional[list[str]] = typer.Option(None, "--tickers", metavar="T[,T...]",
                                                      help="price tickers (repeatable)"),
          start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD",
                                              help="first date of a new download [all history]"),
          timeout: Optional[float] = TimeoutOpt, cache_dir: Optional[Path] = CacheDirOpt,
          export: Optional[Path] = typer.Option(None, "--export", metavar="DIR",
                                                help="then write DIR as a snapshot directory"),
          vintage: Optional[str] = typer.Option(None, "--vintage", metavar="latest|first_release",
                                                help="FRED values as revised, or first releases "
                                                "(ALFRED, needs FRED_API_KEY) [config or latest]"),
          full: bool = typer.Option(False, "--full", help="refetch whole histories"),
          offline: bool = typer.Option(False, "--offline", help="no network: check (and "
                                       "--export) what is cached")) -> None:
    """Download series and tickers into the local cache (incrementally), optionally export them."""
    from rich.console import Console

    from feeds.cache import ParquetCache, resolve_cache_dir
    from feeds.online import OnlineSources
    from feeds.refresh import Refresher, cache_key, price_key
    from feeds.resolve import missing_message

    plan = build_plan(config, _split(series), _split(tickers), vintage, timeout)
    blocking = next((p for p in (export, *export.parents) if p.exists()), None) if export else None
    if blocking is not None and not blocking.is_dir():  # said before fetching, not after
        raise InputError(f"--export {export}: {blocking} is a file, not a folder; choose a folder")
    cache = ParquetCache(resolve_cache_dir(cache_dir))
    removed = cache.remove_stale_temps()
    if removed:
        status(f"removed {removed} temp file(s) an interrupted fetch left in {cache.root}")
    keys = [cache_key(spec, plan.vintage) for spec in plan.series] + \
        [price_key(ticker) for ticker in plan.tickers]
    for note in plan.notes:
        typer.echo(f"note: {note}")
    if offline:
        missing = [key for key in keys if not cache.has(key)]
        if missing:
            raise InputError(missing_message(missing[0], cache.root, tail=" (without "
                                             "--offline) first"))
        typer.echo(f"{len(keys)} items cached in {cache.root}")
    else:
        refresher = Refresher(cache, OnlineSources(plan.timeout_s, cache.root / "py-yfinance"),
                              _parse_start(start), full)
        jobs = [(spec.id, lambda s=spec: refresher.series(s, plan.vintage)) for spec in plan.series]
        jobs += [(ticker, lambda t=ticker: refresher.prices(t)) for ticker in plan.tickers]
        with _progress(Console(stderr=True)) as bar:
            task = bar.add_task("fetching", total=len(jobs))
            for name, job in jobs:
                bar.update(task, description=f"fetching {name}")
                done = job()
                bar.advance(task)
                typer.echo(f"{done.key.name:<18} {done.first}..{done.last} {done.rows:>7} rows "
                           f"({done.new_rows:+d}, {done.mode})  {done.source}")
        typer.echo(f"cached {len(jobs)} items in {cache.root}")
    if export is not None:
        from feeds.export import export_snapshot

        written = export_snapshot(cache, keys, export, plan.vintage)
        typer.echo(f"exported {len(written)} files to {export}")


def _age(fetched_at: str) -> str:
    try:
        seconds = (datetime.now(timezone.utc) - datetime.fromisoformat(fetched_at)).total_seconds()
    except ValueError:
        return "?"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{max(seconds, 0):.0f} s"


def list_cache(cache_dir: Optional[Path] = CacheDirOpt) -> None:
    """Show what is cached: id, kind, source, date range, rows and age."""
    from rich.console import Console
    from rich.table import Table

    from feeds.cache import ParquetCache, resolve_cache_dir

    cache = ParquetCache(resolve_cache_dir(cache_dir))
    if cache.root.exists() and not cache.root.is_dir():
        raise InputError(f"cache {cache.root} is a file, not a folder: pass --cache-dir DIR (or "
                         "LIQBT_CACHE_DIR) naming a folder")
    entries = cache.listing()
    if not entries:
        typer.echo(f"cache {cache.root} is empty: fill it with `liqbt fetch CONFIG` or "
                   "`liqbt fetch --series ID --tickers T`")
        return
    table = Table(title=f"liqbt cache: {cache.root}", title_justify="left")
    for column in ("id", "kind", "source", "first", "last", "rows", "age"):
        table.add_column(column, justify="right" if column in ("rows", "age") else "left")
    unreadable = []
    for path, meta in entries:
        if isinstance(meta, str):  # listed, not hidden: the user has to delete or refetch it
            unreadable.append(path)
            table.add_row(path.stem, path.parent.relative_to(cache.root).as_posix(),
                          meta, "", "", "", "")
            continue
        kind = "prices" if meta.folder == "prices" else meta.folder
        if meta.vintage == "first_release":
            kind += " (first release)"
        table.add_row(meta.id, kind, meta.source, meta.first, meta.last, str(meta.rows),
                      _age(meta.fetched_at))
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    if unreadable:
        typer.echo(f"liqbt: {len(unreadable)} cache file(s) cannot be read (e.g. "
                   f"{unreadable[0]}): delete them and fetch again", err=True)


def register(app: typer.Typer) -> None:
    """Add `fetch` and `data list` to the liqbt app."""
    app.command("fetch")(fetch)
    data = typer.Typer(help="Inspect the local data cache.", no_args_is_help=True,
                       rich_markup_mode=None)
    data.command("list")(list_cache)
    app.add_typer(data, name="data")
