"""The `events` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("entities", "times", "attributions")
ASSIGNS = "events"


def add_events(doc: Document, parse) -> Document:
    """Return `doc` with its `events` layer set."""
    doc.events = []
    return doc
