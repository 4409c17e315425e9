"""Options shared by several commands, and the one way commands talk on stderr."""

from __future__ import annotations

import typer

ConfigArg = typer.Argument(..., help="YAML run config", show_default=False, metavar="CONFIG")
SnapshotOpt = typer.Option(None, "--snapshot", envvar="LIQBT_SNAPSHOT",
                           help="snapshot directory (fred/, other/, prices/); env LIQBT_SNAPSHOT")
CacheDirOpt = typer.Option(None, "--cache-dir", envvar="LIQBT_CACHE_DIR",
                           help="parquet cache [$XDG_CACHE_HOME/liqbt]; env LIQBT_CACHE_DIR")
TimeoutOpt = typer.Option(None, "--timeout", min=0.1, help="seconds per online series/ticker, "
                          "retries included [env LIQBT_TIMEOUT, data.timeout_s, 30]")


def status(message: str) -> None:
    """A progress line on stderr (stdout is for results)."""
    typer.echo(f"liqbt: {message}", err=True)
