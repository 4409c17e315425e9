"""The `liqbt` command line: the application's front door on top of the five rooms.

One module per command group: `run` (run, validate), `signals` (signals, events), `sweep`,
`event_study` (event-study), `data` (fetch, data list). Commands import the rooms lazily so
`liqbt --help` answers instantly. User mistakes become one line on stderr and exit code 2; a
failed sweep gate one line per gate and exit code 3; other failures one line and exit code 1;
never a bare traceback.
"""

from __future__ import annotations

import sys

import typer

from feeds.errors import LiqbtError
from liqbt.cli import data, event_study, run, signals, sweep
from liqbt.cli.exits import exit_code_of, exit_fast_requested, exit_now
from liqbt.config import ConfigError

HELP = """liqbt: when the Fed's balance sheet and the money markets change, which cross-asset
allocations paid, and would you have known in time?

\b
Examples:
  liqbt validate liqbt/configs/quickstart.yaml
  liqbt run liqbt/configs/quickstart.yaml --snapshot ../shared/data --out /tmp/q
  LIQBT_SNAPSHOT=../shared/data liqbt run liqbt/configs/quickstart.yaml
  liqbt fetch liqbt/configs/quickstart.yaml      # fill the cache online
  liqbt run liqbt/configs/quickstart.yaml        # then run from the cache
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)
run.register(app)           # liqbt validate, liqbt run
signals.register(app)       # liqbt signals, liqbt events
data.register(app)          # liqbt fetch, liqbt data list
sweep.register(app)         # liqbt sweep
event_study.register(app)   # liqbt event-study


def main() -> None:
    """Console entry point: typer handles usage errors and --help (exit 2 / 0); liqbt errors
    become one line and their exit code. Unexpected errors keep their traceback."""
    try:
        app()
        code = 0
    except SystemExit as exc:  # click ends every command, and every usage error, with sys.exit
        code = exit_code_of(exc.code)
    except ConfigError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        code = exc.exit_code
    except LiqbtError as exc:
        typer.echo(f"liqbt: error: {exc}", err=True)
        code = exc.exit_code
    except OSError as exc:  # a path the user gave that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"liqbt: error: {where}{exc.strerror or exc}", err=True)
        code = 2
    except KeyboardInterrupt:
        typer.echo("liqbt: interrupted", err=True)
        code = 130
    if exit_fast_requested():
        exit_now(code)
    sys.exit(code)
