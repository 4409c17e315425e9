"""Errors meant for people: one line saying what, where, and how to fix it.

They live in the leftmost room so every room can raise them; the CLI turns them into a single
stderr line and an exit code (2 for bad input, 1 for everything else) instead of a traceback.
"""

from __future__ import annotations


class LiqbtError(Exception):
    """A failure the user can act on. `exit_code` is what the CLI exits with."""

    exit_code: int = 1


class InputError(LiqbtError):
    """Bad input from the user: a config field, a path, a series id, a parameter (exit code 2)."""

    exit_code = 2


class DataError(LiqbtError):
    """Data that is missing, malformed or fails a quality check (exit code 2: fix the data or config)."""

    exit_code = 2


class SourceError(LiqbtError):
    """An online source failed (network, timeout, empty answer) after its retries (exit code 1)."""

    exit_code = 1
