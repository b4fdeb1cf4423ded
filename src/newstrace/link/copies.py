"""Copies: exact copies, near copies, rewrites, versions, and same-story reports.

`compare(a, b)` decides what one pair of documents is, with the aligned
passages as evidence and a reason a person can read. Thresholds live in
`THRESHOLDS` and are measured by `eval/copies.py` (exact and near copies
made from ECB+ texts, hand-written and MRPC rewrites, independent ECB+
reports of the same event that must stay `same_story`) and, for the
sentence similarity, `eval/mrpc.py`. A rewrite needs half the sentences of
the LONGER report aligned: independent reports of one event share a few
sentences' worth of facts, a rewrite shares nearly all.
"""
from __future__ import annotations

from dataclasses import dataclass

from newstrace.link import text as lt
from newstrace.link.originals import likely_original
from newstrace.model import Document

THRESHOLDS = {
    "near_jaccard": 0.5,  # word 5-shingle Jaccard for a near copy
    "near_containment": 0.8,  # ... or containment, when the copy drops or adds a passage
    "rewrite_sentence": 0.5,  # lexical sentence similarity for two sentences to align (MRPC-chosen: 0.45)
    "rewrite_share": 0.5,  # share of the LONGER report's sentences aligned, for a rewrite
    "rewrite_pairs": 2,  # at least this many aligned sentences, for a rewrite
    "rewrite_order": 0.7,  # share of aligned pairs in the same order, for a rewrite
    "story_cosine": 0.25,  # content-word cosine of two whole reports for the same story
    "story_entities": 2,  # shared global entities for the same story
    "story_days": 3,  # publication dates at most this far apart for the same story
    # ... or, when at least one sentence says the same in both (a shared statement of fact):
    "story_cosine_aligned": 0.2,
    "story_entities_aligned": 1,
}
COPY_KINDS = ("exact_copy", "near_copy", "rewrite", "version")
__all__ = ["COPY_KINDS", "THRESHOLDS", "Decision", "compare", "likely_original"]


@dataclass
class Decision:
    kind: str
    score: float
    original: str | None
    evidence: list[dict]
    reason: str

    def as_link(self, other: str) -> dict:
        return {"kind": self.kind, "other": other, "score": self.score, "original": self.original,
                "evidence": self.evidence, "reason": self.reason}


def compare(a: Document, b: Document, shared_entities: int = 0, same_source: bool = False) -> Decision | None:
    """What `b` is to `a`: a copy of some kind, the same story, or nothing (None)."""
    if lt.normalised_hash(a.text) == lt.normalised_hash(b.text):
        kind = "version" if same_source else "exact_copy"
        original, why = likely_original(a, b)
        evidence = [{"a": [0, len(a.text)], "b": [0, len(b.text)], "score": 1.0}]
        return Decision(kind, 1.0, original, evidence, f"The two texts are identical once case, punctuation and spacing are ignored; {why}.")
    shingles_a, shingles_b = lt.shingles(a.text), lt.shingles(b.text)
    jac, con = lt.jaccard(shingles_a, shingles_b), lt.containment(shingles_a, shingles_b)
    spans_a, spans_b = lt.sentence_spans(a.text, a.sentences), lt.sentence_spans(b.text, b.sentences)
    if jac >= THRESHOLDS["near_jaccard"] or con >= THRESHOLDS["near_containment"]:
        original, why = likely_original(a, b)
        evidence = lt.align_sentences(a.text, spans_a, b.text, spans_b, 0.8)
        kind = "version" if same_source else "near_copy"
        return Decision(kind, round(max(jac, con), 3), original, evidence,
                        f"{jac:.0%} of their word 5-grams are shared ({con:.0%} of the shorter text); {why}.")
    longer = max(len(spans_a), len(spans_b)) or 1
    # With no shared entity and another source, only a rewrite is possible: stop aligning once it is not.
    story_possible = same_source or shared_entities >= min(THRESHOLDS["story_entities"], THRESHOLDS["story_entities_aligned"])
    give_up = 0 if story_possible else _pairs_for_rewrite(longer)
    pairs = lt.align_sentences(a.text, spans_a, b.text, spans_b, THRESHOLDS["rewrite_sentence"], give_up_below=give_up)
    share = len(pairs) / longer
    if (share >= THRESHOLDS["rewrite_share"] and len(pairs) >= THRESHOLDS["rewrite_pairs"]
            and _in_order(pairs) >= THRESHOLDS["rewrite_order"]):
        original, why = likely_original(a, b)
        kind = "version" if same_source else "rewrite"
        return Decision(kind, round(share, 3), original, pairs,
                        f"{len(pairs)} of {longer} sentences say the same in other words, in the same order; {why}.")
    if same_source:
        original, why = likely_original(a, b)
        return Decision("version", round(share, 3), original, pairs, f"Both came from the same source; {why}.")
    similarity = lt.cosine(lt.content_stems(a.text), lt.content_stems(b.text))
    if _same_story(similarity, shared_entities, len(pairs)) and _close_in_time(a, b):
        first = _first_reported(a, b)
        return Decision("same_story", round(similarity, 3), None, pairs[:5],
                        f"Independent wording ({share:.0%} of sentences align), but {shared_entities} shared entities, "
                        f"{similarity:.0%} shared vocabulary and close dates; {first} reported first.")
    return None


def _pairs_for_rewrite(longer: int) -> int:
    """The fewest aligned sentences that can make a rewrite of reports whose longer has `longer` sentences."""
    share = next(n for n in range(longer + 1) if n / longer >= THRESHOLDS["rewrite_share"])
    return max(share, THRESHOLDS["rewrite_pairs"])


def _same_story(similarity: float, shared_entities: int, aligned: int) -> bool:
    if similarity >= THRESHOLDS["story_cosine"] and shared_entities >= THRESHOLDS["story_entities"]:
        return True
    return (aligned >= 1 and similarity >= THRESHOLDS["story_cosine_aligned"]
            and shared_entities >= THRESHOLDS["story_entities_aligned"])


def _in_order(pairs: list[dict]) -> float:
    """Share of consecutive aligned pairs whose B sentences also come in order."""
    if len(pairs) < 2:
        return 1.0
    ordered = sum(1 for x, y in zip(pairs, pairs[1:]) if y["b"][0] > x["b"][0])
    return ordered / (len(pairs) - 1)


def _close_in_time(a: Document, b: Document) -> bool:
    if not a.published or not b.published:
        return True
    from datetime import date

    days = abs((date.fromisoformat(a.published) - date.fromisoformat(b.published)).days)
    return days <= THRESHOLDS["story_days"]


def _first_reported(a: Document, b: Document) -> str:
    if a.published and b.published and a.published != b.published:
        return a.id if a.published < b.published else b.id
    return "neither report clearly"
