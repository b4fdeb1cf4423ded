"""The model and what is made from its parse before any stage runs.

- `model`: loading spaCy once per process (`load_nlp`, `MODEL_PACKAGE`),
  one BLAS thread, and the component that starts a sentence at every
  paragraph break;
- `text`: the pure-text notions (lines, paragraphs, sentence ends,
  headings) that cleaning shares; no spaCy;
- `index`: the document index of stand-off spans (`DocumentIndex`);
- `repair`: the repaired parse the events stage reads.

The pipeline calls `prepare(parse, nlp)` once per document, right after
the parse: it sets `parse._.index` and `parse._.repaired`. Stages read them
through `document_index(parse)` and `repaired(parse)`, which build them on
first use when a parse was made without the pipeline (tests, evaluations).
Nothing here imports spaCy at module level, nor any stage.
"""
from __future__ import annotations

import functools

from newstrace.nlp.index import DocumentIndex, build_index, index_parse
from newstrace.nlp.model import MODEL_PACKAGE, load_nlp
from newstrace.nlp.repair import repair

__all__ = ["MODEL_PACKAGE", "DocumentIndex", "build_index", "document_index", "load_nlp", "prepare", "repaired"]


@functools.cache
def _extensions() -> None:
    """Register `Doc._.index` and `Doc._.repaired` (once per process)."""
    from spacy.tokens import Doc

    for name in ("index", "repaired"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def prepare(parse, nlp=None):
    """Build the document index and the repaired parse of `parse`, once, and attach them to it."""
    document_index(parse)
    repaired(parse, nlp)
    return parse


def document_index(parse) -> DocumentIndex:
    """The document index of `parse` (`parse._.index`), built on first use."""
    _extensions()
    if parse._.index is None:
        parse._.index = index_parse(parse)
    return parse._.index


def repaired(parse, nlp=None):
    """The repaired parse of `parse` (`parse._.repaired`), made on first use; `parse` itself when nothing needed repair."""
    _extensions()
    if parse._.repaired is None:
        index = document_index(parse)
        fixed = repair(parse, nlp, list(index.title_lines))
        parse._.repaired = fixed
        if fixed is not parse:  # the repaired parse is of the same document: same index, and repaired already
            fixed._.index, fixed._.repaired = index, fixed
    return parse._.repaired
