"""How a search query is read: as a search box reads words, or in SQLite FTS5's query language.

A query without operators (no AND, OR, NOT, no parentheses, no double quote,
no word ending in `*`) is read as words: each word is searched as the phrase
of the words it holds, so hyphens, dots and apostrophes are part of it
(`covid-19` finds "Covid-19", `U.S.` finds "U.S.", `O'Brien` finds "O'Brien").
A query with an operator is FTS5 syntax, as it always was. `syntax="words"` or
`syntax="fts"` forces one reading. Both engines run the FTS5 query made here
(the PostgreSQL dialect turns it into a tsquery, store/pg_search.py).
"""
from __future__ import annotations

import re

SYNTAXES = ("auto", "words", "fts")
#: What makes a query FTS5 syntax under "auto": a quote, a parenthesis, an operator word, a prefix star.
OPERATOR = re.compile(r'["()]|(?<!\S)(?:AND|OR|NOT)(?!\S)|\*(?!\S)')
#: A "quoted phrase" (closed or not) or a run of other non-space characters.
PHRASE = re.compile(r'"([^"]*)"?|([^\s"]+)')
#: Control characters: no word holds one, and a NUL would end FTS5's reading of a phrase.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def uses_operators(query: str) -> bool:
    """Whether `query` uses FTS5 operators, so "auto" reads it as FTS5 syntax."""
    return OPERATOR.search(query) is not None


def fts_query(query: str, syntax: str = "auto") -> str:
    """The FTS5 query for `query` read in `syntax` (auto, words or fts); ValueError for an empty query or unknown syntax.

    As words, each word and each "quoted phrase" becomes one FTS5 phrase and
    all of them must match; AND, OR and NOT are plain words then.
    """
    if syntax not in SYNTAXES:
        raise ValueError(f"unknown search syntax {syntax!r} (give one of {', '.join(SYNTAXES)})")
    if not query.strip():
        raise ValueError("empty query")
    if syntax == "fts" or (syntax == "auto" and uses_operators(query)):
        return query
    phrases = [quoted or word for quoted, word in PHRASE.findall(CONTROL.sub(" ", query))]
    return " ".join(f'"{phrase}"' for phrase in phrases if phrase.strip()) or '""'  # no words: an empty phrase, which matches nothing
