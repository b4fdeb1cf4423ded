"""The document index: stand-off spans over one text, built once per document right after the parse.

As in dkpro-cassis, a span is `(start, end)` into the one text (Python code
points) and each layer is kept sorted by `(start, end)`, so "the sentence
at this offset" or "the lines inside this paragraph" are bisects, and a
span's text is a slice. Stages read these spans here instead of finding
them again.

Layers (tuples of spans):

- `lines`: the text between line breaks (`nlp.text.line_spans`), the
  text's edges included;
- `paragraphs`: blocks between blank lines, without the whitespace around
  them (`nlp.text.paragraph_spans`); a hard-wrapped paragraph holds many
  lines;
- `sentences`: the parse's sentences, cut at blank lines and without the
  whitespace around them;
- `title_lines`: paragraphs that are one heading line in title case
  (`nlp.text.title_lines`); the parse repair re-parses these.

Single spans, or None:

- `headline`: the first paragraph, when it is one heading line
  (`nlp.text.is_headline_like`);
- `dateline`: "ISTANBUL (Reuters) -", "WASHINGTON —", "GAZA CITY, Oct 7
  (AP) —" at the start of the text, or of the paragraph after the headline,
  dash included. Nothing reads it yet.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from newstrace.nlp.text import is_headline_like, line_spans, paragraph_spans, split_at_blank_lines, title_lines

Span = tuple[int, int]

DATELINE = re.compile(
    r"(?:[A-Z][A-Z'.&-]+)(?:[ \t]+[A-Z][A-Z'.&-]+)*"  # the place, in capitals: GAZA CITY
    r"(?:,[ \t]*[A-Z][A-Za-z.]*(?:[ \t]+[A-Z][A-Za-z.]*)*)?"  # , Turkey / , N.Y. / , Oct
    r"(?:,?[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+)?\d{1,2})?"  # the date: Oct 7
    r"(?:[ \t]*\([A-Za-z][\w .&/-]{0,30}\))?"  # the agency: (Reuters)
    r"[ \t]*(?:--?|—|–)(?=[ \t])"  # the dash
)
LAYERS = ("lines", "paragraphs", "sentences", "title_lines")


@dataclass(frozen=True)
class DocumentIndex:
    """Sorted stand-off spans over `text`: see the module docstring for each layer."""

    text: str
    lines: tuple[Span, ...]
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    title_lines: tuple[Span, ...]
    headline: Span | None
    dateline: Span | None

    def layer(self, name: str) -> tuple[Span, ...]:
        """The spans of layer `name`, sorted by (start, end)."""
        if name not in LAYERS:
            raise KeyError(f"no layer {name!r} in the document index (layers: {', '.join(LAYERS)})")
        return getattr(self, name)

    def position(self, name: str, offset: int) -> int:
        """Index in layer `name` of the last span starting at or before `offset`; -1 when none does."""
        return bisect.bisect_right(self._starts(name), offset) - 1

    def covering(self, name: str, start: int, end: int | None = None) -> Span | None:
        """The span of layer `name` that holds [start, end) (or the offset `start`), or None."""
        end = start if end is None else end
        k = self.position(name, start)
        spans = self.layer(name)
        if k >= 0 and spans[k][0] <= start and end <= spans[k][1]:
            return spans[k]
        return None

    def covered(self, name: str, start: int, end: int) -> list[Span]:
        """The spans of layer `name` inside [start, end), in order (cassis's `select_covered`)."""
        spans = self.layer(name)
        k = bisect.bisect_left(self._starts(name), start)
        out = []
        for span in spans[k:]:
            if span[0] >= end:
                break
            if span[1] <= end:
                out.append(span)
        return out

    def text_of(self, span: Span) -> str:
        """The covered text of `span`."""
        return self.text[span[0]:span[1]]

    def _starts(self, name: str) -> list[int]:
        cache = self.__dict__.setdefault("_start_cache", {})
        if name not in cache:
            cache[name] = [span[0] for span in self.layer(name)]
        return cache[name]


def build_index(text: str, sentences: Iterable[Span] = ()) -> DocumentIndex:
    """The index of `text`, with `sentences` (the parse's, as (start_char, end_char)) cut at blank lines."""
    paragraphs = tuple(paragraph_spans(text))
    headline = paragraphs[0] if paragraphs and is_headline_like(text[paragraphs[0][0]:paragraphs[0][1]]) else None
    cut = [part for start, end in sentences for part in split_at_blank_lines(text, start, end)]
    return DocumentIndex(
        text=text,
        lines=tuple(line_spans(text)),
        paragraphs=paragraphs,
        sentences=tuple(sorted(cut)) if cut else ((0, len(text)),),
        title_lines=tuple(title_lines(text, list(paragraphs))),
        headline=headline,
        dateline=find_dateline(text, paragraphs, headline),
    )


def index_parse(parse) -> DocumentIndex:
    """The index of a spaCy parse's text and sentences."""
    return build_index(parse.text, [(sent.start_char, sent.end_char) for sent in parse.sents])


def find_dateline(text: str, paragraphs: Iterable[Span] | None = None, headline: Span | None = None) -> Span | None:
    """The dateline at the start of the text or of the first paragraph after the headline, dash included, or None."""
    paragraphs = list(paragraph_spans(text) if paragraphs is None else paragraphs)
    if headline is not None and paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        return None
    start = paragraphs[0][0]
    match = DATELINE.match(text, start, paragraphs[0][1])
    if match is None or not any(c.isalpha() for c in text[start:match.end()]):
        return None
    place = text[start:match.end()].split(",")[0].split("(")[0]
    letters = [c for c in place if c.isalpha()]
    return (start, match.end()) if len(letters) >= 2 and all(c.isupper() for c in letters) else None
