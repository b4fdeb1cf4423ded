"""Spans of content: token extents, the host sentence around a set-off reporting clause, and the quotes near a clause."""
from __future__ import annotations

import bisect

from newstrace import lexicons
from newstrace.model import Document
from newstrace.nlp import document_index


HOSTED_DEPS = ("advcl", "parataxis", "ccomp")
OBJECT_COMPLEMENTS = ("oprd", "xcomp", "ccomp")
OBJECT_PREPS = lexicons.words("attribution_object_preps.txt")


def _tokens_span(tokens) -> tuple[int, int] | None:
    """Character extent of some tokens, edge punctuation trimmed."""
    tokens = [t for t in tokens if not t.is_space]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _subtree_span(token, exclude=frozenset()) -> tuple[int, int] | None:
    """The contiguous extent of `token`'s subtree, skipping excluded tokens at its edges."""
    tokens = [t for t in token.subtree if t.i not in exclude]
    return _tokens_span(tokens)


def _clause_minus(host, clause_ids: set[int]) -> tuple[int, int] | None:
    """The host sentence without a reporting clause inside it: the part before or after it, or all of it when the reporting clause sits in the middle.

    The sentence, not the host's subtree, so that "A, but B, X said" gives both A and B; it stops at paragraph breaks.
    """
    tokens = _paragraph_part(host.sent, min(clause_ids), max(clause_ids))
    inside = [t for t in tokens if t.i in clause_ids]
    if not inside:
        return _tokens_span(tokens)
    first, last = inside[0].i, inside[-1].i
    before = [t for t in tokens if t.i < first]
    after = [t for t in tokens if t.i > last]
    if not _has_words(after):
        return _tokens_span(before)
    if not _has_words(before):
        return _tokens_span(after)
    return _tokens_span(tokens)


def _paragraph_part(sent, first: int, last: int) -> list:
    """The tokens of `sent` on the lines (the document index's) of tokens first..last."""
    index = document_index(sent.doc)
    lo = index.position("lines", sent.doc[first].idx)
    hi = index.position("lines", sent.doc[last].idx)
    return [t for t in sent if lo <= index.position("lines", t.idx) <= hi and not t.is_space]


def _has_words(tokens) -> bool:
    return any(not (t.is_punct or t.is_space) for t in tokens)


def _with_object_complements(obj, content_ids: set[int], content):
    """Widen a noun content over what the verb says of it: "called him a liar", "criticized X for Y"."""
    verb, end = obj.head, content[1]
    for child in verb.children:
        if child.i > obj.i and (child.dep_ in OBJECT_COMPLEMENTS or (child.dep_ == "prep" and child.lower_ in OBJECT_PREPS)):
            extent = _subtree_span(child)
            if extent:
                end = max(end, extent[1])
                content_ids |= {t.i for t in child.subtree}
    return content_ids, (content[0], end)


class _QuoteIndex:
    """The top-level quotes of a document, sorted, for finding those near a span without a scan."""

    def __init__(self, quotes: list[dict]):
        self.quotes = sorted((q for q in quotes if not q.get("nested_in")), key=lambda q: q["start"])
        self.ends = [q["end"] for q in self.quotes]

    def near(self, start: int, end: int, reach: int = 0) -> list[dict]:
        """Quotes that overlap [start - reach, end + reach); top-level quotes do not overlap, so their ends are sorted too."""
        out = []
        for quote in self.quotes[bisect.bisect_right(self.ends, start - reach):]:
            if quote["start"] >= end + reach:
                break
            out.append(quote)
        return out


def _after_colon(verb, quotes: _QuoteIndex) -> tuple[int, int] | None:
    """What follows a reporting clause that ends in a colon: a quote that starts there, else the rest of the sentence."""
    last = max(t.i for t in verb.subtree)
    colon = verb.doc[last] if verb.doc[last].text == ":" else (verb.doc[last + 1] if last + 1 < len(verb.doc) and verb.doc[last + 1].text == ":" else None)
    if colon is None:
        return None
    after = colon.idx + 1
    for quote in quotes.near(after, after + 4):
        if after <= quote["start"] <= after + 3:
            return quote["start"], quote["end"]
    rest = [t for t in verb.doc[colon.i + 1:colon.sent.end]]
    return _tokens_span(rest)


def _adjacent_quote(doc: Document, verb, quotes: _QuoteIndex) -> tuple[int, int] | None:
    """A quote that ends just before the reporting clause ("“...,” X said.") or starts just after it."""
    tokens = [t for t in verb.subtree if not t.is_punct]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    for quote in quotes.near(start, end, reach=5):
        cue = quote.get("cue")
        if (isinstance(cue, dict) and not (cue["start"] < end and start < cue["end"])):
            continue  # the quotes layer tied this quote to another verb
        gap_before = doc.text[quote["end"]:start] if quote["end"] <= start else None
        gap_after = doc.text[end:quote["start"]] if end <= quote["start"] else None
        for gap in (gap_before, gap_after):
            if gap is not None and len(gap) <= 4 and not any(c.isalnum() for c in gap):
                return quote["start"], quote["end"]
    return None


def _widen_over_quotes(doc: Document, record: dict, quotes: _QuoteIndex) -> None:
    """Stretch a content that covers part of a quote over the whole quote ("“A. B,” he wrote" gives both sentences)."""
    content, cue = record["content"], record["cue"]
    start, end = content["start"], content["end"]
    for quote in quotes.near(start, end):
        inside_cue = quote["start"] <= cue["start"] < quote["end"]
        if not inside_cue:
            start, end = min(start, quote["start"]), max(end, quote["end"])
    if (start, end) != (content["start"], content["end"]):
        record["content"] = doc.span(start, end)


def _is_set_off(verb) -> bool:
    """A reporting clause hung on another clause and set off by punctuation or the sentence end: "..., X reported on Tuesday." / "Y, the article claims, did Z"."""
    if verb.dep_ not in HOSTED_DEPS or verb.head.i == verb.i:
        return False
    tokens = [t for t in verb.subtree]
    while tokens and tokens[0].is_punct:
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    doc, first, last = verb.doc, tokens[0].i, tokens[-1].i
    before = doc[first - 1] if first > verb.sent.start else None
    after = doc[last + 1] if last + 1 < verb.sent.end else None
    return (before is not None and before.is_punct) and (after is None or after.is_punct)


def _entity_type_at(doc: Document | None, token) -> str | None:
    """The entities layer's type for the entity over `token`, if any."""
    if doc is None:
        return None
    found = _entity_at(doc, token.idx, token.idx + len(token))
    return next((e.get("type") for e in doc.entities if e.get("id") == found), None) if found else None


def _entity_at(doc: Document, start: int, end: int) -> str | None:
    """The id of the entity with a mention over [start, end), if any."""
    for entity in doc.entities:
        for mention in entity.get("mentions") or []:
            if mention["start"] < end and start < mention["end"]:
                return entity.get("id")
    return None
