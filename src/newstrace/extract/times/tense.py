"""The tense of the verb that governs a time expression, read from spaCy's parse."""
from __future__ import annotations

import bisect

from newstrace import lexicons
from newstrace.extract.times.patterns import PARTS_OF_DAY


def _parse_lookups(parse):
    """Functions from a character offset to the governing verb's tense and the token's POS."""
    if parse is None:
        return (lambda _: None), (lambda _: ""), (lambda _: "")
    starts = [t.idx for t in parse]

    def token_at(char: int):
        i = bisect.bisect_right(starts, char) - 1
        return parse[max(i, 0)] if len(parse) else None

    def pos_at(char: int) -> str:
        tok = token_at(char)
        return tok.pos_ if tok is not None else ""

    def ent_at(char: int) -> str:
        tok = token_at(char)
        return tok.ent_type_ if tok is not None else ""

    def tense(char: int) -> str | None:
        tok = token_at(char)
        return verb_tense(tok) if tok is not None else None

    return tense, pos_at, ent_at


def _tense_words(kind: str) -> frozenset[str]:
    return frozenset(w for k, w in lexicons.table("times_tense_words.tsv") if k == kind)


_FUTURE_AUX = _tense_words("future_aux")
_MODAL_FUTURE = _tense_words("modal_future")  # not "could", "might": often past ("could not be found")
_PERFECT = _tense_words("perfect")
_PRESENT_AUX = _tense_words("present_aux")
#: verbs whose to-infinitive looks ahead: "expected to meet on Tuesday"
_INTENT_LEMMAS = _tense_words("intent")


def verb_tense(tok) -> str | None:
    """'past', 'future' or 'present' for the verb that governs `tok`, None when no verb does.

    A time that modifies a noun ("Friday's ruling", "the Tuesday deadline") has no
    governing verb, and a participle or infinitive takes its tense from the verb above it.
    """
    if tok.dep_ in ("poss", "compound", "amod", "nmod") and tok.head.lower_ not in PARTS_OF_DAY:
        # "Friday's ruling angered them": a past verb dates the ruling; "get around
        # Friday's ruling" or "Thursday's closing price" say nothing about it
        return "past" if verb_tense(tok.head) == "past" else None
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            tense = _own_tense(tok)
            if tense != "inherit":
                return tense
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _own_tense(verb) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if "going" in words:
        return "future"
    if any(c.tag_ == "VBD" for c in auxes) or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and (words & _PERFECT or not auxes):
        return "past"
    if words & _MODAL_FUTURE:
        return "future"
    if verb.tag_ == "VB" and "to" in words:
        head = verb.head
        if head is not verb and head.lemma_ in _INTENT_LEMMAS:
            return "future"
        return "inherit"
    if verb.tag_ == "VBG" and not auxes:
        return "inherit"
    if verb.tag_ in ("VBZ", "VBP", "VBG") or words & _PRESENT_AUX:
        return "present"
    return None
