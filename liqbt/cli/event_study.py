"""`liqbt event-study`: how each sleeve of a config moved around Fed policy announcements.

    liqbt event-study CONFIG [--kind RMP|QE|QT|taper|facility] [--before K] [--after H] [--out DIR]

Writes OUT/event_study.html, event_study_mean.csv, event_study_paths.csv and
event_study_events.csv (OUT defaults to runs/<name>/event_study/). Settings come from the config's
`event_study:` section when it has one (defaults otherwise); the options override them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backtests.config import EventStudySection
from liqbt.cli.options import SnapshotOpt, config_bounded, data_folders, status


def event_study(
    config: Path = typer.Argument(..., help="YAML run config", show_default=False,
                                  metavar="CONFIG"),
    kind: Optional[str] = typer.Option(None, "--kind", help="RMP, QE, QT, taper or facility "
                                                            "[event_study.kinds]"),
    before: Optional[int] = config_bounded(EventStudySection, "before", "--before",
                                           help="sessions before day 0 [event_study.before]"),
    after: Optional[int] = config_bounded(EventStudySection, "after", "--after",
                                          help="sessions after day 0 [event_study.after]"),
    snapshot: Optional[Path] = SnapshotOpt,
    out: Optional[Path] = typer.Option(None, "--out",
                                       help="output folder [runs/<name>/event_study/]"),
) -> None:
    """Mean cumulative-return paths of every sleeve around Fed announcements of a kind, with
    bootstrap bands, and the 2019-10-11 and 2025-12-10 RMP episodes on their own."""
    from typing import get_args

    from backtests.config import EventKind
    from backtests.event_study import configured_event_studies
    from feeds.errors import InputError
    from liqbt.config import load_config
    from liqbt.outputs import output_folder
    from liqbt.run import build_panel, config_record, open_run_source
    from reports.event_study_page import write_event_study_files
    from reports.manifest import panel_manifest

    kinds = get_args(EventKind)
    if kind is not None and kind not in kinds:
        raise InputError(f"--kind {kind}: unknown kind; use one of {', '.join(kinds)}")
    loaded = load_config(config)
    section = loaded.event_study or EventStudySection()
    out_dir = Path("runs") / loaded.name / "event_study" if out is None else out
    with output_folder(out_dir, "event_study", data_folders(snapshot, loaded, config, None)) \
            as staging:
        source = open_run_source(snapshot, loaded, config, progress=status)
        status("loading data")
        panel = build_panel(loaded, source)
        studies = configured_event_studies(panel.sleeve_prices, section,
                                           [kind] if kind else None, before, after)
        manifest = panel_manifest(config_record(loaded, config), panel, panel.sessions)
        write_event_study_files(studies, section.episodes, staging, loaded.title, manifest)
    for name, result in studies.items():
        inside = result.events.loc[result.events["status"] == "in data"]
        typer.echo(f"{name}: {len(inside)} events in the data ({int(inside['partial'].sum())} "
                   f"partial), {len(result.events) - len(inside)} outside it")
    typer.echo(f"wrote {out_dir}/event_study.html")


def register(app: typer.Typer) -> None:
    app.command(name="event-study")(event_study)
