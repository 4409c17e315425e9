"""`liqbt signals` and `liqbt events`: look at the signals a config reads and at the Fed calendar.

    liqbt signals --list                                   registered signals, their docs and params
    liqbt signals CONFIG [--snapshot DIR] [--out DIR]      OUT/signals.csv and OUT/signals.html
                                                           (no snapshot: the cache, --cache-dir)
    liqbt events [--kind RMP|QE|QT|taper|facility] [--all] the policy calendar

Registered into the main typer app by `liqbt.cli` (`register(app)`); rooms are imported lazily
so `liqbt --help` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from feeds.errors import InputError
from liqbt.cli.options import CacheDirOpt, SnapshotOpt, data_folders, status


def _print_signal_list() -> None:
    from signals import SIGNALS, describe_params

    for name in sorted(SIGNALS):
        definition = SIGNALS[name]
        typer.echo(f"{name}  [{definition.cadence}]")
        typer.echo(f"    {definition.summary}")
        for line in describe_params(definition.params):
            typer.echo(f"      - {line}")


def signals(
    config: Optional[Path] = typer.Argument(None, help="YAML run config", show_default=False,
                                            metavar="CONFIG"),
    snapshot: Optional[Path] = SnapshotOpt,
    out: Optional[Path] = typer.Option(None, "--out", help="output folder [runs/<name>/signals/]"),
    list_signals: bool = typer.Option(False, "--list", help="list registered signals and exit"),
    cache_dir: Optional[Path] = CacheDirOpt,
) -> None:
    """Compute CONFIG's signals as known at each close: OUT/signals.csv (date, one column per
    signal) and OUT/signals.html (one chart per signal, regime shading, Fed announcements).
    `--list` prints every registered signal with its parameters."""
    if list_signals:
        _print_signal_list()
        return
    if config is None:
        raise InputError("liqbt signals needs a CONFIG (e.g. liqbt/configs/quickstart.yaml), "
                         "or --list to see the registered signals")
    from liqbt.config import load_config
    from liqbt.outputs import output_folder
    from liqbt.run import build_panel, compute_configured_signals, config_record, open_run_source
    from reports.signals_outputs import write_signals_outputs

    loaded = load_config(config)
    if not loaded.signals:
        raise InputError(f"{config}: the config has no `signals:` section; add at least one "
                         "signal (see `liqbt signals --list`)")
    out_dir = Path("runs") / loaded.name / "signals" if out is None else out
    with output_folder(out_dir, "signals", data_folders(snapshot, loaded, config, cache_dir)) \
            as staging:
        source = open_run_source(snapshot, loaded, config, cache_dir, progress=status)
        status("loading data")
        panel = build_panel(loaded, source)
        status("computing signals")
        computed = compute_configured_signals(loaded, panel)
        frame = write_signals_outputs(dict(loaded.signals), loaded.title,
                                      config_record(loaded, config), panel, computed, staging,
                                      status)
    typer.echo(f"{len(frame.columns)} signals x {len(frame)} sessions "
               f"({frame.index[0].date()} .. {frame.index[-1].date()})")
    typer.echo(f"wrote {out_dir}/signals.csv and {out_dir}/signals.html")


def events(
    kind: Optional[str] = typer.Option(None, "--kind", help="QE, QT, RMP, taper or facility"),
    include_markers: bool = typer.Option(False, "--all", help="also show marker rows "
                                                              "(unchanged pace)"),
) -> None:
    """Print the Fed balance-sheet calendar shipped with liqbt (signals/data/fed_policy_events.csv):
    announcement, release time, first usable close, effective date, pace in USD bn/month."""
    import pandas as pd
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from feeds.release import fed_business_days as business_days
    from signals.policy_data import KINDS, filter_events, known_from_positions, policy_events

    if kind is not None and kind not in KINDS:
        raise InputError(f"--kind {kind}: unknown kind; use one of {', '.join(KINDS)}")
    table_rows = filter_events(policy_events(), kind or "any", include_markers)
    days = business_days(pd.Timestamp("1990-01-01"), pd.Timestamp("2040-12-31"))
    usable = days[known_from_positions(table_rows, days)]
    table = Table(title=f"Fed balance-sheet calendar ({len(table_rows)} rows)", show_lines=False)
    for column in ("announced", "time ET", "usable*", "effective", "event", "kind",
                   "pace bn/mo", "conf.", "origin"):
        table.add_column(column, no_wrap=True)
    for (_, row), first_close in zip(table_rows.iterrows(), usable):
        pace = row["pace_usd_bn_per_month"]
        table.add_row(
            str(row["date"].date()) + (" (month)" if row["date_precision"] == "month" else ""),
            row["release_time_et"].strftime("%H:%M") if row["release_time_et"] else "?",
            str(first_close.date()),
            "" if pd.isna(row["effective_date"]) else str(row["effective_date"].date()),
            escape(row["event"] + (" [marker]" if row["marker"] else "")), row["kind"],
            "" if pd.isna(pace) else f"{pace:+g}", row["confidence"], row["origin"])
    console = Console(width=max(Console().width, 160))
    console.print(table)
    console.print("* first usable close on the Fed business-day calendar (weekdays without federal "
                  "holidays); a run uses its own exchange sessions. '?' = time unknown: counted "
                  "from the next session.")


def register(app: typer.Typer) -> None:
    """Add the `signals` and `events` commands to the liqbt app."""
    app.command(name="signals")(signals)
    app.command(name="events")(events)
