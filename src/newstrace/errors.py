"""Error types. Each carries a one-line message: where, what went wrong, what to do.

The CLI prints `newstrace: <message>` and sets the exit code; `--debug`
adds the traceback. Failures inside a run are `ReadError` records instead
(see model.py), stored and listed by `newstrace errors`.
"""
from __future__ import annotations


class NewstraceError(Exception):
    """A failure the user can act on; `str()` is the one-line message."""

    exit_code = 1

    def __init__(self, where: str | None, reason: str, hint: str):
        self.where, self.reason, self.hint = where, reason, hint
        super().__init__(f"{where}: {reason} — {hint}" if where else f"{reason} — {hint}")


class UsageError(NewstraceError):
    """A bad flag or a path that does not exist."""

    exit_code = 2


class StoreError(NewstraceError):
    """The store cannot be opened or written."""


class BadQuery(NewstraceError):
    """A malformed search query or an ambiguous id."""

    exit_code = 2

    def __init__(self, reason: str, hint: str):
        super().__init__(None, reason, hint)


class NotFound(NewstraceError):
    """No document with that id."""

    def __init__(self, what: str, hint: str = "run `newstrace list` to see the ids"):
        super().__init__(None, f"no {what}", hint)
