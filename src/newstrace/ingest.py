"""Ingest: read paths, process each record, and put what comes out through the one sink.

`Sink` is the only way processed items reach a store: the CLI's `ingest`, the
upload endpoint and the Spark import (`newstrace import`) all call it. It
writes documents in batches, each in one transaction, so a run killed half way
keeps every batch it committed; since ids are content hashes and writes are
upserts, running it again stores each document exactly once. It records every
ReadError, counts what it stored, and links after.
Memory stays bounded: readers stream, and at most a few batches are in flight.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from newstrace.model import Document, ReadError, Record
from newstrace.readers import read_paths
from newstrace.settings import BATCH_SIZE, MAX_DOCUMENT_BYTES
from newstrace.store import PutReport, Store

Item = Document | ReadError


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


class Sink:
    """Where processed items go: documents put in batches, errors recorded, both counted, then a link.

    Args:
        on_progress: called with the number of documents after each batch is stored.
        on_error: called with each ReadError once it is recorded.
    """

    def __init__(self, store: Store, batch_size: int = BATCH_SIZE,
                 on_progress: Callable[[int], None] | None = None, on_error: Callable[[ReadError], None] | None = None):
        self.store, self.batch_size = store, batch_size
        self.on_progress, self.on_error = on_progress, on_error
        self.report = IngestReport()

    def put(self, batch: Iterable[Item]) -> None:
        """Store one batch: its documents in one transaction, then its errors."""
        docs, errors = [], []
        for item in batch:
            (errors if isinstance(item, ReadError) else docs).append(item)
        if docs:
            self.report.stored.merge(self.store.put_documents(docs))
        if errors:
            self.store.put_errors(errors)
            self.report.errors.extend(errors)
            for error in errors:
                if self.on_error:
                    self.on_error(error)
        self.report.read += len(docs)
        if self.on_progress:
            self.on_progress(len(docs))

    def put_all(self, items: Iterable[Item]) -> Sink:
        """Store a stream of items, `batch_size` at a time."""
        for batch in batches(iter(items), self.batch_size):
            self.put(batch)
        return self

    def close(self, link_after: bool = True, linker: Callable[[Store], object] | None = None) -> IngestReport:
        """Link what was stored (with `linker`, by default `newstrace.link.link`) and return the report."""
        if link_after:
            if linker is None:
                from newstrace.link import link as linker
            self.report.linked = linker(self.store)
        return self.report


def ingest(
    paths: Iterable[str],
    store: Store,
    extract: bool = True,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[ReadError], None] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    link_after: bool = True,
    batch_size: int = BATCH_SIZE,
) -> IngestReport:
    """Read, process and store everything under `paths`, then link the new documents.

    Never raises on bad input: every failure is recorded in the store and the report.
    """
    sink = Sink(store, batch_size, on_progress, on_error)
    for batch in processed_batches(read_paths(paths, max_bytes=max_bytes), extract, workers, batch_size):
        sink.put(batch)
    return sink.close(link_after)


def process_items(items: Iterable[Record | ReadError], extract: bool = True) -> list[Item]:
    """Every item processed, in order, in this process (an upload: small, and held whole anyway)."""
    return list(chain.from_iterable(processed_batches(iter(items), extract)))


def processed_batches(items: Iterator[Record | ReadError], extract: bool = True, workers: int = 1,
                      batch_size: int = BATCH_SIZE) -> Iterator[list[Item]]:
    """The items processed `batch_size` records at a time, in order; with `workers` > 1 in a process pool."""
    chunks = batches(items, batch_size)
    if workers <= 1:
        for chunk in chunks:
            yield _process_chunk(chunk, extract)
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
    from newstrace.pipeline import process_batch  # loads spaCy on first use: a read-only server never does

    return list(process_batch(chunk, extract=extract))


def batches(items: Iterator, size: int) -> Iterator[list]:
    """Lists of `size` items (the last one shorter) from an iterator."""
    while batch := list(islice(items, size)):
        yield batch
