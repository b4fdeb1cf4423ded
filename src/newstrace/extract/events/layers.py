"""The document's other layers, indexed once for lookups by offset: entity mentions, sentences and their dates, attributions and quotes."""
from __future__ import annotations

import bisect
import re

from newstrace.model import Document
from newstrace.nlp import DocumentIndex

ARGUMENT_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
SAME_DAY = re.compile(r"^(?:on\s+)?(?:the|that)\s+(?:same|very)\s+day$|^that\s+day$", re.IGNORECASE)
DATED_VALUE = re.compile(r"^(?:\d{4}|XXXX)-\d{2}")


class Mentions:
    """Entity mentions by offset, from `doc.entities`, else from spaCy's NER (no ids)."""

    def __init__(self, doc: Document, parse):
        spans = []
        for entity in doc.entities or []:
            for m in entity.get("mentions") or []:
                spans.append((m["start"], m["end"], entity.get("id"), entity.get("type")))
        if not spans:
            spans = [(e.start_char, e.end_char, None, e.label_) for e in parse.ents if e.label_ in ARGUMENT_ENTITY_TYPES]
        spans.sort()
        self.spans = spans
        self.starts = [s[0] for s in spans]

    def within(self, start: int, end: int) -> list[tuple]:
        """Mentions overlapping [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        while i > 0 and self.spans[i - 1][1] > start:
            i -= 1
        out = []
        for s in self.spans[i:]:
            if s[0] >= end:
                break
            if s[1] > start:
                out.append(s)
        return out


class Sentences:
    """The document's sentences (the index's: cut at blank lines), and its dated Times grouped by sentence."""

    def __init__(self, doc: Document, index: DocumentIndex):
        self.index_of = index
        self.bounds = list(index.sentences)
        self.times: dict[int, list[dict]] = {}
        for time in doc.times or []:
            if time.get("start") is None or time.get("type") not in ("DATE", "TIME", None) or not _is_dated(time):
                continue
            k = self.index(time["start"])
            if time["end"] <= self.bounds[k][1]:
                self.times.setdefault(k, []).append(time)

    def index(self, offset: int) -> int:
        """Index of the sentence that holds `offset` (the last one starting at or before it)."""
        return max(0, self.index_of.position("sentences", offset))


def _is_dated(time: dict) -> bool:
    value = time.get("value")
    return (isinstance(value, str) and bool(DATED_VALUE.match(value))) or bool(SAME_DAY.match(time.get("text", "").strip()))

def _innermost(records: list[dict], key: str, start: int, end: int) -> dict | None:
    """The record whose `key` span covers [start, end) most tightly."""
    best = None
    for rec in records or []:
        span = rec.get(key) if key else rec
        if not isinstance(span, dict) or span.get("start") is None:
            continue
        if span["start"] <= start and end <= span["end"]:
            if best is None or span["end"] - span["start"] < best[0]:
                best = (span["end"] - span["start"], rec)
    return best[1] if best else None

def _overlapping(records: list[dict], key: str, start: int, end: int) -> dict | None:
    for rec in records or []:
        span = rec.get(key)
        if isinstance(span, dict) and span.get("start") is not None and span["start"] < end and start < span["end"]:
            return rec
    return None
