"""Errors meant for people: one line saying what, where, and how to fix it.

They live in the leftmost room so every room can raise them; the CLI turns them into a single
stderr line and an exit code (2 for bad input, 1 for everything else) instead of a traceback.
"""

from __future__ import annotations

import re


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


#: Characters that must not reach a terminal raw from a user's file: C0/C1 controls (a newline
#: would split a one-line error, ESC starts terminal escape sequences), line/paragraph separators,
#: zero-width and bidirectional-override characters (text that displays differently than it reads).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
MAX_SHOWN_CHARS = 80


def escape_unprintable(text: str) -> str:
    """`text` with every control or invisible formatting character written as an escape
    (`\\n`, `\\x1b`, `\\u202e`), so it prints as exactly one visible line."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"),
                            text)


def shown(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """A user-supplied value as an error line may echo it: quoted, unprintable characters
    escaped, and cut to `limit` characters with its full length said (a 5,000-character value
    would otherwise bury the message)."""
    text = escape_unprintable(value if isinstance(value, str) else repr(value))
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text):,} characters)"
    return f"'{text}'" if isinstance(value, str) else text


def one_line(message: str, limit: int = 1000) -> str:
    """A message made safe to print as one terminal line: unprintable characters escaped, cut."""
    text = escape_unprintable(message)
    return text if len(text) <= limit else f"{text[:limit]}... (message cut at {limit} characters)"
