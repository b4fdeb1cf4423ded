"""The `attributions` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("entities", "times", "quotes")
ASSIGNS = "attributions"


def add_attributions(doc: Document, parse) -> Document:
    """Return `doc` with its `attributions` layer set."""
    doc.attributions = []
    return doc
