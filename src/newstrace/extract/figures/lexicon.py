"""The figures layer's words, read once from data/figure_*."""
from __future__ import annotations

from dataclasses import dataclass

from newstrace import lexicons


@dataclass(frozen=True)
class Lexicon:
    """Number words, vague amounts, qualifiers, units and count words, loaded once."""

    units: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, tuple[float, float, float]]
    qualifiers: dict[tuple[str, ...], str]
    units_before: dict[str, str]
    units_after: dict[str, str]
    counts: dict[str, str]
    skip_before: frozenset[str]
    suffixes: dict[str, float]
    fractions: dict[str, float]
    ordinals: dict[str, int]
    code_verbs: frozenset[str]
    currencies: frozenset[str]

    @classmethod
    def load(cls) -> "Lexicon":
        words = lexicons.table("figure_number_words.tsv")
        units = lexicons.table("figure_units.tsv")
        return cls(
            units={w: float(v) for w, v, k in words if k == "unit"},
            scales={w: float(v) for w, v, k in words if k == "scale"},
            vague={w: (float(v), float(lo), float(hi)) for w, v, lo, hi in lexicons.table("figure_vague.tsv")},
            qualifiers={tuple(p.split()): q for p, q in lexicons.table("figure_qualifiers.tsv")},
            units_before={w: u for w, u, side in units if side == "before"},
            units_after={w: u for w, u, side in units if side == "after"},
            counts={w: c for w, c in lexicons.table("figure_counts.tsv")},
            skip_before=lexicons.words("figure_skip.txt"),
            suffixes={w: float(v) for w, v, k in words if k == "suffix"},
            fractions={w: float(v) for w, v, k in words if k == "fraction"},
            # The ordinal words are the times layer's: one list of English ordinals.
            ordinals={w: int(v) for kind, w, v in lexicons.table("times_words.tsv") if kind == "ordinal"},
            code_verbs=lexicons.words("figure_code_verbs.txt"),
            currencies=lexicons.words("figure_currencies.txt"),
        )
