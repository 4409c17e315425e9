"""The `liqbt` command line: the application's front door on top of the five rooms.

`main` is the console entry point. It imports the commands (`liqbt.cli.app`) only once it can
handle what may happen meanwhile, so even a Ctrl-C during the ~0.6 s of imports ends cleanly.
How a command ends (DESIGN.md): one line on stderr for every failure (an unexpected one too: it
names itself as a bug to report; LIQBT_DEBUG=1 shows its traceback), and the exit code says why:

    0    done                          2    bad input (config, option, path, data)
    1    other failures                3    a failed sweep gate
    130  interrupted (Ctrl-C)          143  terminated (SIGTERM)
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from pathlib import Path

INTERRUPTED, TERMINATED = 130, 143


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like Ctrl-C, so output staging and worker pools are
    cleaned up on the way out (a BaseException: `except Exception` handlers must not catch it)."""


_signalled: int | None = None  # the exit code a received SIGINT/SIGTERM asks for


def _on_interrupt(signum, frame) -> None:
    """Ctrl-C as Python does it (KeyboardInterrupt), remembered: a library that turns the
    interrupt into an error of its own (pandas' CSV reader does: 'Calling read(nbytes) on source
    failed') must not turn Ctrl-C into a misleading data error."""
    global _signalled
    _signalled = INTERRUPTED
    raise KeyboardInterrupt()


def _on_terminate(signum, frame) -> None:
    global _signalled
    _signalled = TERMINATED
    raise Terminated()


def _install_signal_handlers() -> dict:
    """Ours for SIGINT (unless it is ignored: nohup, a background job) and SIGTERM; returns the
    handlers they replace."""
    global _signalled
    _signalled = None
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _on_terminate)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _on_interrupt)
    return previous


def _say(line: str) -> None:
    from feeds.errors import one_line

    try:
        if sys.stderr is not None:  # None when started with stderr closed: nowhere to tell
            sys.stderr.write(one_line(line) + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):  # a broken pipe: nothing left to tell
        pass


def _failure(exc: BaseException) -> int | None:
    """Say what went wrong in one line (a config may have one line per problem) and return the
    exit code; None for an unexpected error (a bug)."""
    import typer
    from typer._click import exceptions as click  # typer 0.29 vendors click (pinned)

    from feeds.errors import LiqbtError

    config = sys.modules.get("liqbt.config")  # loaded whenever a command could raise ConfigError
    if config is not None and isinstance(exc, config.ConfigError):
        for line in exc.lines:
            _say(line)
        return exc.exit_code
    if isinstance(exc, LiqbtError):
        _say(f"liqbt: error: {exc}")
        return exc.exit_code
    if isinstance(exc, click.NoArgsIsHelpError):
        exc.show()  # `liqbt` or `liqbt data` alone: the help text
        return exc.exit_code
    if isinstance(exc, click.ClickException):  # a bad option or argument: one line, exit 2
        command = exc.ctx.command_path if getattr(exc, "ctx", None) else "liqbt"
        hint = f" (see `{command} --help`)" if isinstance(exc, click.UsageError) else ""
        _say(f"liqbt: error: {exc.format_message()}{hint}")
        return exc.exit_code
    if isinstance(exc, typer.Abort):  # EOF at a prompt
        _say("liqbt: aborted")
        return 1
    if isinstance(exc, OSError):  # a path the user gave that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"liqbt: error: {where}{exc.strerror or exc}")
        return 2
    if isinstance(exc, MemoryError):
        _say("liqbt: error: out of memory; reduce the grid, the chunk size or the date range")
        return 1
    return None


def _invoke() -> int:
    code = _run_command()
    if _signalled is not None and code != 0:
        code = _signalled  # whatever the signal became on its way up
    if code in (INTERRUPTED, TERMINATED):
        _say("liqbt: interrupted" if code == INTERRUPTED else "liqbt: terminated")
    return code


def _run_command() -> int:
    from liqbt.cli.exits import exit_code_of

    try:
        from liqbt.cli.app import app

        result = app(standalone_mode=False)  # typer turns KeyboardInterrupt into 130, silently
        return result if isinstance(result, int) else 0
    except SystemExit as exc:
        return exit_code_of(exc.code)
    except KeyboardInterrupt:
        return INTERRUPTED
    except Terminated:
        return TERMINATED
    except Exception as exc:  # noqa: BLE001  (every failure ends as one line)
        if _signalled is not None:
            return _signalled  # said by _invoke, not as the error it became on its way up
        code = _failure(exc)
        if code is None:
            if os.environ.get("LIQBT_DEBUG"):
                raise
            where = traceback.extract_tb(exc.__traceback__)[-1]
            _say(f"liqbt: internal error: {type(exc).__name__}: {exc} (at "
                 f"{Path(where.filename).name}:{where.lineno}); this is a bug in liqbt, please "
                 "report it (LIQBT_DEBUG=1 shows the traceback)")
            return 1
        return code


def main() -> None:
    """Console entry point: run the command, end with its exit code."""
    previous = _install_signal_handlers()
    try:
        code = _invoke()
    except (KeyboardInterrupt, Terminated) as exc:  # a second signal while handling the first
        code = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else TERMINATED
        _say("liqbt: interrupted" if code == INTERRUPTED else "liqbt: terminated")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    from liqbt.cli.exits import exit_fast_requested, exit_now

    if exit_fast_requested():
        exit_now(code)
    sys.exit(code)  # an interrupted run too: multiprocessing's exit handlers release its pool
