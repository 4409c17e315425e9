"""How a command ends: liqbt errors become one stderr line and their exit code, and a finished
`liqbt run` may leave without interpreter teardown."""

from __future__ import annotations

import sys

import typer

_exit_fast = False


def exit_code_of(code) -> int:
    """The exit code of a `SystemExit` (click ends every command and usage error with one)."""
    if code is None or isinstance(code, int):
        return code or 0
    typer.echo(str(code), err=True)  # sys.exit("message") semantics
    return 1


def exit_fast_when_done() -> None:
    """A command calls this once every file is written and every pool it opened is closed: main()
    then leaves without interpreter teardown. After a run, Python frees vectorbt's, numba's and
    pandas' module state object by object, 1-2 s of a ~18 s run for nothing. Commands that leave
    work to atexit handlers (e.g. an unclosed dask cluster) must not call it."""
    global _exit_fast
    _exit_fast = True


def exit_fast_requested() -> bool:
    return _exit_fast


def exit_now(code: int) -> None:
    """Flush and `os._exit(code)`: no atexit handlers, no module teardown."""
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the command was started with it closed
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code)
