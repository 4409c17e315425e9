"""The run manifest as HTML: every page carries where its numbers came from.

`manifest_block` renders `reports.manifest.build_manifest` (or any dict with the same keys; missing
keys are left out) as one <section id="liqbt-manifest">: config name, path and sha256, backtest
sessions, data source, git commit, every data file read with its date range and sha256, every
data-quality issue found (allowed ones too), sleeves closed by design, package versions.
`warnings_block` is the short list a reader should see first (window and strategy notes, issues
not allow-listed, closures).
"""

from __future__ import annotations

import html

STYLE = ("clear:both;font:12px/1.45 ui-monospace,monospace;margin:2em 0;color:#444;"
         "border-top:1px solid #ccc;padding-top:.5em")


def _text(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(table_id: str, header: tuple[str, ...], rows: list[tuple]) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (f'<table id="{table_id}" style="border-collapse:collapse;text-align:left">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _files_table(files: list[dict]) -> str:
    """path, dates, rows, sha256, then any other field a source records (e.g. a cache's origin)."""
    known = ("path", "first", "last", "rows", "sha256")
    extra = list(dict.fromkeys(k for f in files for k in f if k not in known))
    rows = [(_text(f.get("path")), f"{_text(f.get('first'))} .. {_text(f.get('last'))}",
             _text(f.get("rows", "")), f"<code>{_text(f.get('sha256'))}</code>",
             *(_text(f.get(k, "")) for k in extra)) for f in files]
    return _table("liqbt-data-files", ("file", "dates", "rows", "sha256", *extra), rows)


def _issues_table(issues: list[dict], table_id: str) -> str:
    rows = [(_text(i.get("id")), _text(i.get("check")), _text(i.get("date")), _text(i.get("action")),
             _text(i.get("detail")) + (f" ({_text(i.get('note'))})" if i.get("note") else ""))
            for i in issues]
    return _table(table_id, ("id", "check", "date", "action", "detail"), rows)


def _closures_table(closures: dict[str, dict], table_id: str) -> str:
    rows = [(_text(sleeve), _text(f"{g['date']} until {g['until']}"), _text(g["reason"]))
            for sleeve, c in closures.items() for g in c.get("gaps", [])]
    rows += [(_text(sleeve), _text(c.get("date")), _text(c.get("reason")))
             for sleeve, c in closures.items() if "date" in c]
    return _table(table_id, ("sleeve", "closed at", "why"), rows)


def manifest_block(manifest: dict) -> str:
    """A self-contained HTML section with the run's provenance (inline styles only)."""
    sessions = manifest.get("sessions", {})
    commit = manifest.get("git_commit") or "n/a"
    if manifest.get("git_dirty"):
        commit += " (uncommitted changes)"
    lines = [
        f"config <b>{_text(manifest.get('config_name'))}</b>"
        + (f" ({_text(manifest['config_path'])})" if manifest.get("config_path") else "")
        + f" sha256 <code>{_text(manifest.get('config_sha256'))}</code>",
        f"sessions {_text(sessions.get('first'))} .. {_text(sessions.get('last'))}"
        + (f" ({_text(sessions['count'])})" if "count" in sessions else "")
        + (f"; signals warm up from {_text(sessions['warmup_first'])}"
           if sessions.get("warmup_first") else ""),
        f"git <code>{_text(commit)}</code>"
        + (f"; created {_text(manifest['created_utc'])} UTC" if manifest.get("created_utc") else ""),
    ]
    for note in (manifest.get("window") or {}).get("notes", []):
        lines.append(f"window: {_text(note)}")
    if manifest.get("data_source"):
        lines.append(f"data source {_text(manifest['data_source'])}")
    parts = ["<h3>liqbt manifest</h3>", "<p>" + "<br>".join(lines) + "</p>"]
    if manifest.get("data_files"):
        parts += ["<h4>data files</h4>", _files_table(manifest["data_files"])]
    if "data_quality" in manifest:
        parts.append("<h4>data-quality issues</h4>")
        parts.append(_issues_table(manifest["data_quality"], "liqbt-data-quality")
                     if manifest["data_quality"] else "<p>none found</p>")
    if "sleeve_closures" in manifest:
        parts.append("<h4>sleeves closed by design</h4>")
        parts.append(_closures_table(manifest["sleeve_closures"], "liqbt-sleeve-closures")
                     if manifest["sleeve_closures"] else "<p>none</p>")
    packages = ", ".join(f"{k} {v}" for k, v in manifest.get("packages", {}).items())
    if packages:
        parts += ["<h4>packages</h4>", f"<p>{_text(packages)}</p>"]
    return (f'<section id="liqbt-manifest" style="{STYLE}">'
            "<style>#liqbt-manifest table{width:auto;margin:0 0 1em}#liqbt-manifest td,"
            "#liqbt-manifest th{padding:1px 10px 1px 0;border-bottom:1px solid #eee;font:inherit;"
            f"text-align:left;background:none}}</style>{''.join(parts)}</section>")


def warnings_block(manifest: dict) -> str:
    """What the reader should know before trusting the numbers: data-quality issues that were not
    allow-listed, and sleeves closed during the backtest (e.g. an inverse-VIX product that died)."""
    issues = [i for i in manifest.get("data_quality", []) if i.get("action") != "allowed"]
    closures = manifest.get("sleeve_closures", {})
    notes = (manifest.get("window") or {}).get("notes", []) + manifest.get("notes", [])
    if not issues and not closures and not notes:
        return '<section id="warnings"><p>No data-quality warnings; no sleeve closed.</p></section>'
    parts = ['<section id="warnings"><h2>Warnings</h2>']
    if notes:
        parts.append("<p>Read the numbers knowing that:</p><ul>"
                     + "".join(f"<li>{_text(note)}</li>" for note in notes) + "</ul>")
    if issues:
        parts.append(f"<p>{len(issues)} data-quality issue(s) (allow-listed ones are in the "
                     "manifest below):</p>" + _issues_table(issues, "warning-issues"))
    if closures:
        parts.append("<p>Sleeves closed during the backtest (flat and untradable afterwards):</p>"
                     + _closures_table(closures, "warning-closures"))
    return "".join(parts) + "</section>"
