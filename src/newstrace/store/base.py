"""The store interface: one Protocol, with SQLite (embedded) and PostgreSQL behind it."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from newstrace.model import Document, ReadError


@dataclass
class PutReport:
    """What a batch of writes did: new documents, unchanged ones, updated layers, new versions."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    versions: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: "PutReport") -> None:
        self.added += other.added
        self.unchanged += other.unchanged
        self.updated += other.updated
        self.versions += other.versions


def keeps_stored(stored: dict, data: str, extracted: int) -> bool:
    """True when an upsert must leave the stored row alone: the same document, or one
    with fewer layers (a plain re-ingest never wipes what extraction added)."""
    return stored["data"] == data or extracted < stored["extracted"]


class Store(Protocol):
    def put_documents(self, docs: Iterable[Document]) -> PutReport:
        """Upsert documents in one transaction; the same document twice changes nothing."""

    def put_errors(self, errors: Iterable[ReadError]) -> None:
        """Record failures; the same failure twice is one row with a count."""

    def get_document(self, doc_id: str) -> Document | None:
        """One document by id or unique id prefix, with its `versions` filled in."""

    def documents(self) -> Iterator[Document]:
        """Every document, oldest ingest first, lazily."""

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[dict]:
        """Summary rows (id, title, published, outlet, path, position)."""

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search; raises BadQuery for a malformed query."""

    def errors(self) -> Iterator[dict]:
        """Recorded failures, oldest first."""

    def stats(self) -> dict:
        """Counts for `newstrace stats`."""

    def close(self) -> None: ...
