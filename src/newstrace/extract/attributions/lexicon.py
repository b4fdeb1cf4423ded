"""The cue lists the attributions finder reads, loaded once from data files."""
from __future__ import annotations

from dataclasses import dataclass

from newstrace import lexicons


@dataclass(frozen=True)
class Lexicon:
    """The cue lists the finder reads, loaded once from data files."""

    reporting: frozenset[str]
    object_content: frozenset[str]
    xcomp_content: frozenset[str]
    via: frozenset[str]
    content_preps: dict[str, frozenset[str]]
    hedge_adverbs: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_passives: frozenset[str]
    contest: frozenset[str]
    kinds_head: dict[str, str]
    kinds_modifier: dict[str, str]
    kinds_phrase: tuple[tuple[str, str], ...]

    @classmethod
    def load(cls) -> "Lexicon":
        rows = lexicons.table("reporting_verbs.txt")
        hedges = lexicons.table("hedges.txt")
        kinds = lexicons.table("source_kinds.tsv")

        def flagged(flag):
            return frozenset(r[0].lower() for r in rows if len(r) > 1 and flag in r[1].split(","))

        def hedge(kind):
            return frozenset(r[0].lower() for r in hedges if r[1] == kind)

        def kind_map(where):
            out: dict[str, str] = {}
            for word, kind, place in kinds:
                if place == where:
                    out.setdefault(word.lower(), kind)
            return out

        return cls(
            reporting=frozenset(r[0].lower() for r in rows) - flagged("via"),
            object_content=flagged("object"),
            xcomp_content=flagged("xcomp"),
            via=flagged("via"),
            content_preps={r[0].lower(): frozenset(f[5:].split("|")) for r in rows if len(r) > 1
                           for f in r[1].split(",") if f.startswith("prep=")},
            hedge_adverbs=hedge("adverb"),
            hedge_verbs=hedge("verb"),
            hedge_passives=hedge("passive"),
            contest=lexicons.words("contest_cues.txt"),
            kinds_head=kind_map("head"),
            kinds_modifier=kind_map("modifier"),
            kinds_phrase=tuple((w.lower(), k) for w, k, p in kinds if p == "phrase"),
        )
