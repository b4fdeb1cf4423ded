"""The `figures` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("entities", "attributions")
ASSIGNS = "figures"


def add_figures(doc: Document, parse) -> Document:
    """Return `doc` with its `figures` layer set."""
    doc.figures = []
    return doc
