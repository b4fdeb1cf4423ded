"""The query layer: the only code that reads the store for people.

CLI, export (and later the HTTP API and web pages) call these functions and
get plain dicts and lists back.
"""
from __future__ import annotations

from collections.abc import Iterator

from newstrace.errors import NotFound
from newstrace.store import Store

CORPUS_ARRAYS = ("entities", "stories", "event_clusters", "conflicts")


def document(store: Store, doc_id: str) -> dict:
    """One document with every layer, by id or unique id prefix."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFound(f"document with id {doc_id!r}")
    return doc.to_dict()


def documents(store: Store) -> Iterator[dict]:
    """Every document as a dict, in ingest order."""
    for doc in store.documents():
        yield doc.to_dict()


def document_list(store: Store, limit: int = 50, offset: int = 0) -> list[dict]:
    return store.list_documents(limit=limit, offset=offset)


def search(store: Store, query: str, limit: int = 20) -> list[dict]:
    return store.search(query, limit=limit)


def errors(store: Store) -> list[dict]:
    return list(store.errors())


def stats(store: Store) -> dict:
    return store.stats()


def corpus(store: Store) -> dict[str, list]:
    """The corpus-level arrays of the export, as linking left them."""
    return {
        "entities": list(store.global_entities()),
        "stories": list(store.stories()),
        "event_clusters": store.corpus_records("event_clusters"),
        "conflicts": store.corpus_records("conflicts"),
    }
