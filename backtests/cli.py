"""The `liqbt` command line: the wiring layer on top of the five rooms.

Commands import their rooms lazily so `liqbt --help` answers instantly. User mistakes become one
line on stderr and exit code 2; other failures one line and exit code 1; never a bare traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from backtests.cli_data import CacheDirOpt, TimeoutOpt, register_data_commands
from backtests.config import ConfigError, load_config
from feeds.errors import LiqbtError

HELP = """liqbt: when the Fed's balance sheet and the money markets change, which cross-asset
allocations paid, and would you have known in time?

\b
Examples:
  liqbt validate backtests/configs/quickstart.yaml
  liqbt run backtests/configs/quickstart.yaml --snapshot ../shared/data --out /tmp/q
  LIQBT_SNAPSHOT=../shared/data liqbt run backtests/configs/quickstart.yaml
  liqbt fetch backtests/configs/quickstart.yaml      # fill the cache online
  liqbt run backtests/configs/quickstart.yaml        # then run from the cache
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)

ConfigArg = typer.Argument(..., help="YAML run config", show_default=False, metavar="CONFIG")
SnapshotOpt = typer.Option(None, "--snapshot", envvar="LIQBT_SNAPSHOT",
                           help="snapshot directory (fred/, other/, prices/); env LIQBT_SNAPSHOT")


def _status(message: str) -> None:
    typer.echo(f"liqbt: {message}", err=True)


@app.command()
def validate(config: Path = ConfigArg) -> None:
    """Check a config without running it: every problem on its own line, exit code 2 if any."""
    loaded = load_config(config)
    typer.echo(f"{config}: ok ({len(loaded.universe)} sleeves, {len(loaded.signals)} signals, "
               f"{len(loaded.strategies)} strategies)")


@app.command()
def run(config: Path = ConfigArg, snapshot: Optional[Path] = SnapshotOpt,
        out: Optional[Path] = typer.Option(None, "--out", help="output folder [runs/<name>/]"),
        cache_dir: Optional[Path] = CacheDirOpt,
        online: bool = typer.Option(False, "--online", help="fetch series/tickers missing from "
                                    "the cache (without it a run never uses the network)"),
        timeout: Optional[float] = TimeoutOpt) -> None:
    """Backtest every strategy of CONFIG and write the report folder (index.html, tearsheets/,
    summary.json, returns.csv, weights/, manifest.json). Data: --snapshot DIR if given, else the
    local cache (fill it with `liqbt fetch CONFIG`)."""
    from backtests.run import open_run_source, run_backtest
    from reports.outputs import write_run_outputs
    from reports.tearsheet_pool import TearsheetWorkers

    loaded = load_config(config)
    out_dir = out or Path("runs") / loaded.name
    source = open_run_source(snapshot, loaded, config, cache_dir, online, timeout, _status)
    # Tearsheet workers start now: their imports overlap the backtest.
    with TearsheetWorkers(loaded.report.workers if loaded.report.tearsheets else 1) as workers:
        result = run_backtest(loaded, config, source, _status)
        write_run_outputs(result, out_dir, _status, workers)
    for name, metrics in result.summary.items():
        typer.echo(f"{name:>24}  CAGR {metrics['cagr']:7.2%}  Sharpe {metrics['sharpe']:5.2f}  "
                   f"maxDD {metrics['max_drawdown']:7.2%}")
    typer.echo(f"wrote {out_dir}/index.html")
    exit_fast_when_done()


from backtests import cli_signals  # noqa: E402  (adds `liqbt signals` and `liqbt events`)

cli_signals.register(app)
register_data_commands(app)  # liqbt fetch, liqbt data list
from backtests import cli_sweep  # noqa: E402  (adds `liqbt sweep`)

cli_sweep.register(app)
from backtests import cli_event_study  # noqa: E402  (adds `liqbt event-study`)

cli_event_study.register(app)


def _exit_code(code) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    typer.echo(str(code), err=True)  # sys.exit("message") semantics
    return 1


_exit_fast = False


def exit_fast_when_done() -> None:
    """A command calls this once every file is written and every pool it opened is closed: main()
    then leaves without interpreter teardown. After a run, Python frees vectorbt's, numba's and
    pandas' module state object by object, 1-2 s of a ~18 s run for nothing. Commands that leave
    work to atexit handlers (e.g. an unclosed dask cluster) must not call it."""
    global _exit_fast
    _exit_fast = True


def exit_now(code: int) -> None:
    """Flush and `os._exit(code)`: no atexit handlers, no module teardown."""
    import logging
    import os

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Console entry point: typer handles usage errors and --help (exit 2 / 0); liqbt errors
    become one line and their exit code. Unexpected errors keep their traceback."""
    try:
        app()
        code = 0
    except SystemExit as exc:  # click ends every command, and every usage error, with sys.exit
        code = _exit_code(exc.code)
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
    if _exit_fast:
        exit_now(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
