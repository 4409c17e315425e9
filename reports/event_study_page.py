"""event_study.html: how each sleeve moved around Fed policy announcements.

Per kind (RMP, QE, QT, ...): the mean cumulative-return path of every sleeve over [-before, +after]
sessions around day 0 (the first close at which the announcement was public), with its bootstrap
band; then the chosen episodes (by default the 2019-10-11 and 2025-12-10 RMP announcements)
overlaid on their kind's mean band, one panel per sleeve, so a reader sees at once whether an
episode ran with history or against it. Paths are price(o)/price(0) - 1, 0 at the event close.
Files beside the page:
`event_study_mean.csv`, `event_study_paths.csv`, `event_study_events.csv`. Self-contained
(plotly.js from the output folder's assets/).
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.atomic import write_text_atomic
from reports import formats
from reports.page_common import figure_div, html_table, page_html
from reports.pages import PageLink, RunReport
from reports.plotly_assets import plotly_script_tag

COLUMNS = 3

EPISODE_COLOURS = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")


def _band(figure, part: pd.DataFrame, row: int, col: int, name: str, legend: bool) -> None:
    """The mean path of one sleeve and its bootstrap band in one panel."""
    import plotly.graph_objects as go

    x = part["offset"].tolist()
    figure.add_trace(go.Scatter(x=x + x[::-1], y=part["upper"].tolist()
                                + part["lower"].tolist()[::-1], fill="toself",
                                fillcolor="rgba(31,59,115,0.15)", line={"width": 0},
                                hoverinfo="skip", showlegend=False, legendgroup="mean"),
                     row=row, col=col)
    figure.add_trace(go.Scatter(x=x, y=part["mean"].tolist(), mode="lines",
                                line={"color": "#1f3b73", "width": 1.8}, name=name,
                                legendgroup="mean", customdata=part["n_events"].tolist(),
                                showlegend=legend,
                                hovertemplate=f"mean day %{{x}}: %{{y:{formats.PERCENT_HOVER}}} "
                                              "(%{customdata} events)<extra></extra>"),
                     row=row, col=col)
    figure.add_vline(x=0, line_dash="dot", line_color="#999", row=row, col=col)
    figure.add_hline(y=0, line_color="#ccc", row=row, col=col)


def _panels(sleeves: list[str]):
    from plotly.subplots import make_subplots

    rows = max(1, math.ceil(len(sleeves) / COLUMNS))
    figure = make_subplots(rows=rows, cols=COLUMNS, subplot_titles=sleeves, shared_xaxes=True,
                           vertical_spacing=0.12 / rows * 2, horizontal_spacing=0.06)
    return figure, rows


def _finish(figure, rows: int, legend: bool = False):
    figure.update_yaxes(tickformat=formats.PERCENT_AXIS)  # the steepener moves tenths of a %
    figure.update_layout(template="none", height=260 * rows + (40 if legend else 0),
                         showlegend=legend, legend={"orientation": "h", "y": -0.06 / rows},
                         margin={"l": 50, "r": 20, "t": 40, "b": 30})
    return figure


def mean_paths_figure(result):
    """Small multiples: one panel per sleeve, mean path and its band."""
    sleeves = list(dict.fromkeys(result.mean["sleeve"]))
    figure, rows = _panels(sleeves)
    for i, sleeve in enumerate(sleeves):
        _band(figure, result.mean.loc[result.mean["sleeve"] == sleeve], i // COLUMNS + 1,
              i % COLUMNS + 1, sleeve, False)
    return _finish(figure, rows)


def episodes_figure(result, episodes: list[tuple[str, pd.DataFrame]]):
    """Small multiples per sleeve: the kind's mean path and band, and each episode's path on it.
    `episodes`: (label, paths offset x sleeve) in the order given."""
    import plotly.graph_objects as go

    sleeves = list(dict.fromkeys(result.mean["sleeve"]))
    figure, rows = _panels(sleeves)
    for i, sleeve in enumerate(sleeves):
        row, col = i // COLUMNS + 1, i % COLUMNS + 1
        _band(figure, result.mean.loc[result.mean["sleeve"] == sleeve], row, col,
              f"{result.kind or 'mean'} mean and band", i == 0)
        for j, (label, paths) in enumerate(episodes):
            if sleeve not in paths.columns:
                continue
            colour = EPISODE_COLOURS[j % len(EPISODE_COLOURS)]
            figure.add_trace(go.Scatter(
                x=paths.index.tolist(), y=paths[sleeve].tolist(), mode="lines", name=label,
                legendgroup=label, showlegend=i == 0, line={"color": colour, "width": 1.6},
                hovertemplate=f"{label} day %{{x}}: %{{y:{formats.PERCENT_HOVER}}}<extra></extra>"),
                row=row, col=col)
    return _finish(figure, rows, legend=True)


def _events_table(result, kind: str) -> str:
    events = result.events.copy()
    events["announced"] = events["announced"].dt.strftime("%Y-%m-%d")
    events["day0"] = pd.to_datetime(events["day0"]).dt.strftime("%Y-%m-%d").fillna("–")
    events["window"] = [
        "–" if pd.isna(a) else f"{int(a):+d} .. {int(b):+d}"
        for a, b in zip(events.get("first_offset"), events.get("last_offset"))]
    events["partial"] = ["partial" if p is True or p is np.True_ else "" for p in events["partial"]]
    shown = events[["event", "announced", "day0", "window", "partial", "status"]]
    return html_table(shown, f"events-{kind}")


def _find_episode(studies: dict, day: pd.Timestamp):
    for kind, result in studies.items():
        match = result.events.loc[(result.events["announced"] == day)
                                  & (result.events["status"] == "in data")]
        if len(match):
            return kind, match.iloc[0], result.episode(day)
    return None


def _episodes_sections(studies: dict, episodes: list) -> list[str]:
    """Per kind with chosen episodes: one chart of the episodes over the kind's mean band, with a
    line per episode saying where each sleeve ended; a note for an episode not in the data."""
    found: dict[str, list] = {}
    sections = []
    for day in (pd.Timestamp(d) for d in episodes):
        match = _find_episode(studies, day)
        if match is None:
            sections.append(f"<h2>Episode {day.date()}</h2><p class='note'>No studied "
                            "announcement on that date inside the data.</p>")
            continue
        found.setdefault(match[0], []).append((day, match[1], match[2]))
    for kind, chosen in found.items():
        result = studies[kind]
        counted = int((result.events["status"] == "in data").sum())
        notes = ['<li><span class="key" style="color:#1f3b73">━━</span> the mean over all '
                 f"{counted} {html.escape(kind)} events, its band shaded</li>"]
        for j, (day, event, paths) in enumerate(chosen):
            last = paths.iloc[-1].dropna()
            moves = ", ".join(f"{s} {formats.signed_percent(v)}" for s, v in last.items())
            partial = " (partial: the data ends first)" if bool(event["partial"]) else ""
            colour = EPISODE_COLOURS[j % len(EPISODE_COLOURS)]
            notes.append(f'<li data-episode="{day.date()}"><span class="key" style="color:'
                         f'{colour}">━━</span> {html.escape(str(event["event"]))}, '
                         f"announced {day.date()}, day 0 {pd.Timestamp(event['day0']).date()}; at "
                         f"day {int(paths.index[-1]):+d}{partial}: {html.escape(moves)}</li>")
        lines = [(f"{day.date()} ({event['event']})", paths) for day, event, paths in chosen]
        days = " and ".join(str(day.date()) for day, _, _ in chosen)
        sections.append(
            f'<section class="episodes" data-kind="{html.escape(kind)}"><h2>Episodes {days} '
            f"against the {html.escape(kind)} mean</h2><p class='note'>One panel per sleeve: the "
            f"mean path over all {counted} {html.escape(kind)} events (these included) with its "
            "bootstrap band, and each episode's own path; where each episode stood at its last "
            "day:</p>"
            f"<ul>{''.join(notes)}</ul>"
            f"{figure_div(episodes_figure(result, lines), f'episodes-{kind}')}</section>")
    return sections


def render_event_study_page(studies: dict, episodes: list, title: str, manifest: dict,
                            plotly_tag: str) -> str:
    first = next(iter(studies.values()))
    sections = _episodes_sections(studies, episodes)
    for kind, result in studies.items():
        counted = int((result.events["status"] == "in data").sum())
        chart = (figure_div(mean_paths_figure(result), f"mean-{kind}") if counted else
                 "<p class='note'>No announcement of this kind inside the data.</p>")
        sections.append(
            f'<section class="kind" data-kind="{html.escape(kind)}"><h2>{html.escape(kind)}: '
            f"mean path over {counted} events</h2>{chart}<details><summary>events</summary>"
            f"{_events_table(result, kind)}</details></section>")
    body = f"""<h1>{html.escape(title)}: Fed policy event studies</h1>
<p>Cumulative return of each sleeve from the close of day 0, price(day 0 + o) / price(day 0) − 1
(0 at the event close), for o from −{first.before} to +{first.after} sessions. Day 0 is the first
session at whose close the announcement was public (before 16:00 ET on a session: that close;
otherwise the next). The line is the mean over events, the band the central
{first.confidence:.0%} of {first.n_boot:,} bootstrap means (events resampled with replacement,
seed {first.seed}). Events whose window runs past the data are kept as partial over the sessions
the data has; announcements on the same day 0 count once. Data:
<a href="event_study_mean.csv">event_study_mean.csv</a> ·
<a href="event_study_paths.csv">event_study_paths.csv</a> ·
<a href="event_study_events.csv">event_study_events.csv</a>.</p>
{''.join(sections)}"""
    return page_html(f"{title} — liqbt event study", body, manifest, plotly_tag)


def write_event_study_files(studies: dict, episodes: list, out_dir: Path, title: str,
                            manifest: dict) -> Path:
    """event_study.html and its three CSVs in `out_dir`."""
    def tidy(attribute: str) -> pd.DataFrame:
        return pd.concat([getattr(r, attribute).assign(kind=k) for k, r in studies.items()],
                         ignore_index=True).pipe(lambda f: f[["kind", *f.columns[:-1]]])

    write_text_atomic(out_dir / "event_study_mean.csv", tidy("mean").to_csv(index=False))
    write_text_atomic(out_dir / "event_study_paths.csv", tidy("paths").to_csv(index=False))
    write_text_atomic(out_dir / "event_study_events.csv", tidy("events").to_csv(index=False))
    target = out_dir / "event_study.html"
    write_text_atomic(target, render_event_study_page(studies, episodes, title, manifest,
                                                      plotly_script_tag(out_dir)))
    return target


def write_event_study_page(run: RunReport, out_dir: Path, manifest: dict) -> PageLink | None:
    """Page convention (issue 7): the event-study page of a `liqbt run` whose config has an
    `event_study:` section, over the run's panel (all its sessions, warm-up included)."""
    from backtests.event_study import configured_event_studies

    section = run.result.spec.event_study
    if section is None:
        return None
    studies = configured_event_studies(run.result.panel.sleeve_prices, section)
    write_event_study_files(studies, section.episodes, out_dir, run.title, manifest)
    return PageLink("Fed policy event studies", "event_study.html")
