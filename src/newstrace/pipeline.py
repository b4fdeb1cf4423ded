"""The per-document pipeline: `process(record) -> Document`, a pure function.

No store and no global state but the loaded spaCy model, so a distributed
engine (Spark's mapPartitions) can run it unchanged. spaCy parses a
document's `text` once (`newstrace.nlp` loads the model); right after, the
document index and the repaired parse are made from it, and every stage
reads that one parse and what was made from it.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Iterator

from newstrace.caps import CapExceeded, TimeCapExceeded, time_cap
from newstrace.clean import clean
from newstrace.extract import REGISTRY, attributions, check_order, entities, events, figures, quotes, times  # noqa: F401 (importing a stage registers it)
from newstrace.model import Document, ReadError, Record
from newstrace.nlp import load_nlp, prepare
from newstrace.settings import TIME_CAP_SECONDS

log = logging.getLogger(__name__)

#: The layers, in the order their stages run; `check_order` proves each reads only layers assigned before it.
ORDER = ("entities", "times", "quotes", "attributions", "figures", "events")
STAGES = tuple(REGISTRY[name] for name in ORDER)
check_order(STAGES)


def add_sentences(doc: Document, parse) -> Document:
    """Set `doc.sentences` from the parse, whose sentences never cross a paragraph break (`nlp.model.paragraph_breaks`)."""
    doc.sentences = [[sent.start_char, sent.end_char] for sent in parse.sents]
    return doc


def run_stages(doc: Document, parse) -> list[ReadError]:
    """Add every layer to `doc` from `parse`; a failing stage is reported, not raised.

    First the document index and the repaired parse are made, once
    (`nlp.prepare`): stages read them from the parse.
    """
    problems = []
    try:
        prepare(parse)
    except Exception:  # made again, and reported, by the first stage that reads it
        log.debug("preparing the parse of %s failed\n%s", doc.id, traceback.format_exc())
    add_sentences(doc, parse)
    for stage in STAGES:
        try:
            stage.run(doc, parse)
        except Exception as exc:  # one bad stage must not lose the document
            log.debug("stage %s failed on %s\n%s", stage.assigns, doc.id, traceback.format_exc())
            setattr(doc, stage.assigns, [])
            problems.append(ReadError(
                doc.source["path"], doc.source.get("position"),
                f"the {stage.assigns} stage failed ({type(exc).__name__}: {exc})",
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
    records: Iterable[Record | ReadError], extract: bool = True, n_process: int = 1, batch_size: int = 32,
    time_cap_seconds: float | None = TIME_CAP_SECONDS,
) -> Iterator[Document | ReadError]:
    """Process many records, parsing with `nlp.pipe`; yields Documents and stage errors.

    Cleaning one record and running the stages on one document each have
    `time_cap_seconds` (caps.time_cap); a document over it is a ReadError and the batch goes on.
    """
    docs = (item if isinstance(item, ReadError) else _clean_or_error(item, time_cap_seconds) for item in records)
    if not extract:
        yield from docs
        return
    pending = _split_errors(docs)
    nlp = load_nlp()
    texts = ((doc.text, doc) for doc in pending.documents())
    for parse, doc in nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield from pending.drain()
        try:
            with time_cap(time_cap_seconds):
                problems = run_stages(doc, parse)
        except TimeCapExceeded as exc:  # the text is kept, searchable, without layers half made
            for stage in STAGES:
                setattr(doc, stage.assigns, [])
            problems = [ReadError(doc.source["path"], doc.source.get("position"), exc.reason.replace("reading", "extracting"),
                                  "the document is stored without its layers; the run went on")]
        yield from problems
        yield doc
    yield from pending.drain()


def _clean_or_error(record: Record, time_cap_seconds: float | None = None) -> Document | ReadError:
    try:
        with time_cap(time_cap_seconds):
            return clean(record)
    except (CapExceeded, TimeCapExceeded) as exc:
        return ReadError(record.source, record.position, exc.reason, exc.hint)
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
