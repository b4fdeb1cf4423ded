"""The `times` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("sentences",)
ASSIGNS = "times"


def add_times(doc: Document, parse) -> Document:
    """Return `doc` with its `times` layer set."""
    doc.times = []
    return doc
