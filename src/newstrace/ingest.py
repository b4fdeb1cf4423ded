"""Ingest: read paths, process each record, write documents and errors to a store.

Documents are written in batches, each in one transaction, so a run killed
half way keeps every batch it committed; since ids are content hashes and
writes are upserts, running it again stores each document exactly once.
Memory stays bounded: readers stream, and at most a few batches are in flight.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from newstrace.model import Document, ReadError, Record
from newstrace.pipeline import process_batch
from newstrace.readers import MAX_DOCUMENT_BYTES, read_paths
from newstrace.store import PutReport, Store

BATCH_SIZE = 64


@dataclass
class IngestReport:
    """What one ingest did."""

    read: int = 0
    stored: PutReport = field(default_factory=PutReport)
    errors: list[ReadError] = field(default_factory=list)
    linked: object = None  # the LinkReport when linking ran

    @property
    def failed(self) -> int:
        return len(self.errors)


def ingest(
    paths: Iterable[str],
    store: Store,
    extract: bool = True,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[ReadError], None] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    link_after: bool = True,
) -> IngestReport:
    """Read, process and store everything under `paths`, then link the new documents.

    Never raises on bad input: every failure is recorded in the store and the report.
    """
    report = IngestReport()
    items = read_paths(paths, max_bytes=max_bytes)
    for batch in _processed_batches(items, extract, workers):
        docs = [item for item in batch if isinstance(item, Document)]
        errors = [item for item in batch if isinstance(item, ReadError)]
        if docs:
            report.stored.merge(store.put_documents(docs))
        if errors:
            store.put_errors(errors)
            report.errors.extend(errors)
            for error in errors:
                if on_error:
                    on_error(error)
        report.read += len(docs)
        if on_progress:
            on_progress(len(docs))
    if link_after:
        from newstrace.link import link

        report.linked = link(store)
    return report


def _processed_batches(items: Iterator[Record | ReadError], extract: bool, workers: int) -> Iterator[list]:
    chunks = _chunks(items, BATCH_SIZE)
    if workers <= 1:
        for chunk in chunks:
            yield list(process_batch(chunk, extract=extract))
        return
    yield from _parallel(chunks, extract, workers)


def _parallel(chunks: Iterator[list], extract: bool, workers: int) -> Iterator[list]:
    """Process chunks in a pool, in order, with at most 2 chunks per worker in flight."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        in_flight: deque = deque()
        for chunk in chunks:
            in_flight.append(pool.apply_async(_process_chunk, (chunk, extract)))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().get()
        while in_flight:
            yield in_flight.popleft().get()


def _process_chunk(chunk: list, extract: bool) -> list:
    return list(process_batch(chunk, extract=extract))


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk
