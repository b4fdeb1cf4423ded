"""Name keys shared by the entities stage and the global linker: folded names, transliteration skeletons, the alias table."""
from __future__ import annotations

import functools
import re

from anyascii import anyascii

from newstrace import lexicons

#: Types that may share one entity when their names are transliteration variants.
TYPE_CLASS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "NORP"}
#: Fewer consonants than this and a skeleton key could join different names.
MIN_SKELETON_CONSONANTS = 3
VOWELS = frozenset("aeiouy")
NON_LETTER = re.compile(r"[^a-z0-9 ]+")
SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """Accents, case, punctuation and possessives folded: 'Erdoğan’s' -> 'erdogan'."""
    text = anyascii(name).casefold()
    text = re.sub(r"'s$|'$", "", text)
    text = NON_LETTER.sub(" ", text.replace("-", " "))
    return SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=4096)
def skeleton(name: str) -> str | None:
    """A transliteration key: each word's first letter (vowels as 'V') and its consonants, doubles collapsed.

    None for a one-word name, or one with too few consonants to be told apart by its skeleton.
    """
    words = fold(name).split()
    if len(words) < 2:
        return None  # one word: "Hansen" and "Hanson" may be two people
    keys = []
    consonants = 0
    for word in words:
        head = "V" if word[0] in VOWELS else word[0]
        rest = [c for c in word[1:] if c not in VOWELS]
        consonants += len(rest) + (head != "V")
        key = head + "".join(rest)
        keys.append(re.sub(r"(.)\1+", r"\1", key))
    if consonants < MIN_SKELETON_CONSONANTS:
        return None
    return " ".join(keys)


@functools.cache
def alias_table() -> dict[str, tuple[str, str]]:
    """Folded variant -> (canonical name, type), from data/aliases.tsv."""
    table = {}
    for row in lexicons.table("aliases.tsv"):
        if len(row) >= 3:
            table[fold(row[0])] = (row[1], row[2])
    return table
