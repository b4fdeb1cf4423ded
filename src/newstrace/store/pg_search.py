"""The search syntax of the PostgreSQL dialect: SQLite FTS5's query language as a tsquery.

Both engines take the same queries (words, "phrases", word*, AND, OR, NOT,
parentheses); SQLite runs them itself, and `Postgres.search` (store/dialect.py)
turns one into a tsquery expression with bound values here.

So that a word splits into the same words on both engines, ASCII punctuation is
a space to PostgreSQL's search, as it is to SQLite's unicode61 tokenizer: in the
text (`SEARCH_TEXT`, the stored tsvector) and in the query. PostgreSQL's own
parser would keep "U.S." as one word and "-19" as a signed number.
"""
from __future__ import annotations

import re

# The text search configuration the PostgreSQL schema creates: simple, with unaccent where installed.
SEARCH_CONFIG = "newstrace_search"

SEARCH_TOKEN = re.compile(r'\s*(?:(")|(\()|(\))|([^\s"()]+))')
OPERATORS = ("AND", "OR", "NOT")
#: ASCII punctuation (every printable ASCII character but letters, digits and space), as a POSIX bracket expression.
PUNCTUATION = "[!-/:-@[-`{-~]+"
#: The text the stored tsvector is made of: title and text, punctuation made spaces.
SEARCH_TEXT = f"regexp_replace(coalesce(title, '') || ' ' || text, '{PUNCTUATION}', ' ', 'g')"
PUNCTUATION_RUN = re.compile(PUNCTUATION)
COLUMN_FILTER = re.compile(r"^[A-Za-z_]\w*:")


def parse_search(query: str) -> tuple[str, list[str]]:
    """A search query as a tsquery SQL expression and its bound values; ValueError when malformed.

    The syntax is SQLite FTS5's, which both backends accept: words, "phrases",
    prefix*, AND, OR, NOT (binding tightest) and parentheses; words side by side mean AND.
    A `column:` filter is not supported and is an error.
    """
    parser = _SearchParser(_tokens(query))
    sql = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()[1]!r}")
    return sql, parser.params


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: phrase, word, op, open, close."""
    tokens, at = [], 0
    while at < len(query):
        match = SEARCH_TOKEN.match(query, at)
        if match is None:  # only trailing spaces are left
            break
        quote, opening, closing, word = match.groups()
        at = match.end()
        if quote:
            end = query.find('"', at)
            if end < 0:
                raise ValueError("unterminated string")
            tokens.append(("phrase", query[at:end]))
            at = end + 1
        elif opening or closing:
            tokens.append(("open" if opening else "close", opening or closing))
        elif word in OPERATORS:
            tokens.append(("op", word))
        elif COLUMN_FILTER.match(word):
            raise ValueError(f"column filters like {word!r} are not supported")
        else:
            tokens.append(("word", word))
    return tokens


class _SearchParser:
    """Recursive descent over FTS5's grammar: or := and (OR and)*; and := not (AND? not)*; not := term (NOT term)*."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.at, self.params = tokens, 0, []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("the query ends too early")
        self.at += 1
        return token

    def expression(self) -> str:
        parts = [self.conjunction()]
        while self.peek() == ("op", "OR"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"

    def conjunction(self) -> str:
        parts = [self.negation()]
        while (token := self.peek()) is not None and token != ("op", "OR") and token[0] != "close":
            if token == ("op", "AND"):
                self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"

    def negation(self) -> str:
        sql = self.term()
        while self.peek() == ("op", "NOT"):
            self.take()
            sql = f"({sql} && !!{self.term()})"
        return sql

    def term(self) -> str:
        kind, text = self.take()
        if kind == "open":
            sql = self.expression()
            if self.take()[0] != "close":
                raise ValueError("unbalanced parenthesis")
            return sql
        if kind in ("op", "close"):
            raise ValueError(f"syntax error near {text!r}")
        if kind == "word" and text.endswith("*") and text.rstrip("*"):
            self.params.append(_words(text.rstrip("*")))
            return f"to_tsquery('{SEARCH_CONFIG}', quote_literal(%s) || ':*')"
        self.params.append(_words(text))
        return f"phraseto_tsquery('{SEARCH_CONFIG}', %s)"


def _words(text: str) -> str:
    """The text with punctuation made spaces, as SEARCH_TEXT makes the stored text."""
    return PUNCTUATION_RUN.sub(" ", text)
