"""The PLOVER lexicon (`data/plover.tsv`) and the word lists the finder uses, read once and checked as they load.

A row is lemma, POS, type, mode, requirement ("-" for none). A two-word
lemma is a head plus a particle, preposition, object or modifier ("call
for", "step down", "open fire", "air strike"). A requirement the finder
has no check for is an error when the lexicon loads, not a row that
silently always matches.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.lexicons import DataFileError

PLOVER = "plover.tsv"
#: Requirements a sense may name: the finder has one check for each (`triggers.CHECKS`).
REQUIREMENTS = frozenset({"obj", "actor-obj", "actor-if-obj", "comp", "xcomp", "clause", "at"})
#: Requirements that name head words after "=", as "obj=strike|protest" (`triggers.HEAD_CHECKS`).
HEAD_REQUIREMENTS = frozenset({"obj", "subj", "from"})


@dataclass(frozen=True)
class Sense:
    """One lexicon row: what a trigger means and what it needs to count."""

    type: str
    mode: str | None
    requires: str | None


@dataclass(frozen=True)
class Lexicon:
    """The PLOVER lexicon and the word lists the finder uses, read once."""

    single: dict  # (lemma, pos) -> [Sense]
    double: dict  # (head lemma, pos) -> [(other word, Sense)]
    light_verbs: frozenset
    occur_verbs: frozenset
    hedges: frozenset
    actor_nouns: frozenset
    non_agents: frozenset
    intent_words: frozenset


def check_requirement(requires: str | None, row: Iterable[str], name: str = PLOVER) -> None:
    """Raise `DataFileError` naming the file and the row when `requires` is no requirement the finder can check."""
    if requires is None or requires in REQUIREMENTS:
        return
    kind, named, heads = requires.partition("=")
    if named and kind in HEAD_REQUIREMENTS and all(heads.split("|")):
        return
    known = ", ".join(sorted(REQUIREMENTS | {f"{k}=word|word" for k in HEAD_REQUIREMENTS}))
    raise DataFileError(f"{name}: unknown requirement {requires!r} in row {chr(9).join(row)!r} (known: {known})")


def senses(rows: Iterable[tuple[str, ...]], name: str = PLOVER) -> tuple[dict, dict]:
    """(single, double): senses by (lemma, POS) and two-word senses by (head lemma, POS), from lexicon rows."""
    single: dict = {}
    double: dict = {}
    for row in rows:
        lemma, pos, type_, mode, requires = (list(row) + ["-"] * 5)[:5]
        sense = Sense(type_, None if mode == "-" else mode, None if requires == "-" else requires)
        check_requirement(sense.requires, row, name)
        words = lemma.lower().split()
        if len(words) == 1:
            single.setdefault((words[0], pos), []).append(sense)
        elif pos == "NOUN":  # modifier + head: "air strike"
            double.setdefault((words[1], pos), []).append((words[0], sense))
        else:  # head + particle/preposition/object: "call for"
            double.setdefault((words[0], pos), []).append((words[1], sense))
    return single, double


@functools.cache
def load_lexicon() -> Lexicon:
    """Build the `Lexicon` from `data/plover.tsv` and the `events_*.txt` lists; raises `DataFileError` on a bad row."""
    single, double = senses(lexicons.table(PLOVER))
    return Lexicon(
        single, double,
        lexicons.words("events_light_verbs.txt"), lexicons.words("events_occur_verbs.txt"),
        lexicons.words("events_hedges.txt"), lexicons.words("events_actor_nouns.txt"),
        lexicons.words("events_non_agents.txt"), lexicons.words("events_intent_words.txt"),
    )
