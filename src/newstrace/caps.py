"""Caps that keep one bad page from stalling a run: a time cap per document and a size cap on its DOM.

A page can make an extractor run for minutes (trafilatura issue 704 reports
one that never ends), and a page of millions of tags can fill memory before
it is read. Either is cut: the document becomes a recorded error that names
the file and position, and the run goes on with the next one.

The time cap is a SIGALRM timer, so it applies where the work runs on a
process's main thread (the CLI, `ingest --workers`, Spark's Python workers).
It interrupts Python code; a single long call inside a C library (lxml, a
regular expression) is cut when it returns. Elsewhere (a web server's
worker thread) the size caps still hold and the time cap is skipped.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newstrace.errors import NewstraceError


#: How often the time cap's alarm is raised again once the cap is passed.
REPEAT_SECONDS = 0.05


class CapExceeded(NewstraceError):
    """A document went over a cap; it is recorded as an error, not stored."""


class TimeCapExceeded(BaseException):
    """The time cap's alarm. A BaseException, so no `except Exception` on its way out
    (trafilatura's, htmldate's, a stage's) swallows it and runs on without a timer."""

    def __init__(self, seconds: float):
        self.reason = f"reading this document took over {seconds:g} s and was cut"
        self.hint = "the rest of the run went on; extract this page's text another way, or raise the cap"
        super().__init__(self.reason)


@contextmanager
def time_cap(seconds: float | None) -> Iterator[None]:
    """Raise TimeCapExceeded if the block runs longer than `seconds` (None or 0: no cap)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise TimeCapExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # The alarm repeats: a raise that lands where Python ignores exceptions (a weakref
    # callback, a __del__ during garbage collection) is raised again a moment later.
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    try:
        yield
    finally:
        armed[0] = False  # first, so an alarm arriving now does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_dom_size(html: str, max_tags: int, where: str | None = None) -> None:
    """Raise CapExceeded when `html` holds more than `max_tags` tags ("<" counted: cheap, and never fewer than the elements)."""
    tags = html.count("<")
    if max_tags and tags > max_tags:
        raise CapExceeded(where, f"the page has {tags:,} tags, over the cap of {max_tags:,}",
                          "it was not parsed, to protect the run; extract its text another way")
