"""The `quotes` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("entities",)
ASSIGNS = "quotes"


def add_quotes(doc: Document, parse) -> Document:
    """Return `doc` with its `quotes` layer set."""
    doc.quotes = []
    return doc
