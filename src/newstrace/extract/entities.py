"""The `entities` layer. (Placeholder: the extraction issue builds it.)"""
from __future__ import annotations

from newstrace.model import Document

REQUIRES = ("sentences",)
ASSIGNS = "entities"


def add_entities(doc: Document, parse) -> Document:
    """Return `doc` with its `entities` layer set."""
    doc.entities = []
    return doc
