"""Quotation marks and the scanner that pairs them into quotes (see the package docstring for the rules)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newstrace.nlp.text import line_spans


OPEN, CLOSE = "open", "close"
OPENING_CONTEXT = frozenset("([{—–-/:“‘\"'")
CLOSING_CONTEXT = frozenset(".,;:!?)]}—–-”’\"'…")
SENTENCE_END = frozenset(".!?…")
QUOTE_CHARACTER = re.compile("[“”\"‘’']")


@dataclass
class QuoteSpan:
    """A quote found in the text: content [start, end) without marks; `parent` the enclosing quote's index."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when the quote ends with its paragraph
    parent: int | None = None
    valid: bool = True


@dataclass
class _Mark:
    pos: int
    double: bool
    role: str  # OPEN, CLOSE or "either" (a straight mark with no telling context)
    straight: bool
    weak: bool = False  # a closing single mark that may be a plural possessive


# -- finding quotes -------------------------------------------------------

def find_marks(text: str) -> list[_Mark]:
    """Every character that may be a quotation mark, with the role its context allows."""
    marks = []
    for match in QUOTE_CHARACTER.finditer(text):
        pos, char = match.start(), match.group()
        mark = _double_mark(text, pos, char) if char in "“”\"" else _single_mark(text, pos, char)
        if mark is not None:
            marks.append(mark)
    return marks


def _around(text: str, pos: int) -> tuple[str, str]:
    prev = text[pos - 1] if pos > 0 else " "
    nxt = text[pos + 1] if pos + 1 < len(text) else " "
    return prev, nxt


def _double_mark(text: str, pos: int, char: str) -> _Mark | None:
    if char == "“":
        return _Mark(pos, True, OPEN, False)
    if char == "”":
        return _Mark(pos, True, CLOSE, False)
    prev, nxt = _around(text, pos)
    opener = (prev.isspace() or prev in OPENING_CONTEXT) and not nxt.isspace()
    closer = not prev.isspace() and (nxt.isspace() or nxt in CLOSING_CONTEXT)
    if opener and not closer:
        return _Mark(pos, True, OPEN, True)
    if closer and not opener:
        return _Mark(pos, True, CLOSE, True)
    if prev.isspace() and nxt.isspace():
        return None
    return _Mark(pos, True, "either", True)


def _single_mark(text: str, pos: int, char: str) -> _Mark | None:
    """A single mark that may open or close a nested quote; apostrophes give None."""
    prev, nxt = _around(text, pos)
    if prev.isalnum() and nxt.isalnum():
        return None  # won’t, Turkey’s, O'Brien
    opener = (prev.isspace() or prev in "([{—–-“\"") and (nxt.isalnum() or nxt in "“\"")
    closer = not prev.isspace() and not nxt.isalnum()
    if opener and char != "’":
        return _Mark(pos, False, OPEN, char == "'")
    if closer and char != "‘":
        after = text[pos + 1:pos + 3]
        weak = prev.lower() == "s" and len(after) == 2 and after[0] == " " and after[1].isalpha() and after[1].islower()
        return _Mark(pos, False, CLOSE, char == "'", weak)
    return None


class _QuoteScanner:
    """Pairs marks into quotes in one pass; see the module docstring for the rules.

    Open double quotes form a stack: a mark of the other style (straight inside
    curly, or curly inside straight) opens a nested quote; an opening mark of
    the same style while one is open ends the unclosed one.
    """

    def __init__(self, text: str):
        self.text = text
        self.paragraphs = line_spans(text)  # a quote ends with its line unless the next opens with a mark
        self.para_starts = [s for s, _ in self.paragraphs]
        self.quotes: list[QuoteSpan] = []
        self.doubles: list[tuple[int, bool]] = []  # (quote index, straight) of open double quotes, outermost first
        self.double_para = 0  # the paragraph the outermost open quote has reached
        self.singles: list[int] = []  # opening positions of open single quotes

    def para_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def scan(self, marks: list[_Mark]) -> list[QuoteSpan]:
        for k, mark in enumerate(marks):
            para = self.para_of(mark.pos)
            if self.doubles and para != self.double_para:
                if self._continues(mark, para):
                    self._end_inner_at_paragraph()
                    self.double_para = para
                    continue
                self._end_all_at_paragraph()
            if not self.doubles and self.singles and self.para_of(self.singles[-1]) != para:
                self.singles.clear()
            if mark.double:
                self._double(mark)
            else:
                self._single(mark, marks, k)
        if self.doubles:
            self._end_all_at_paragraph()
        return [q for q in self.quotes if q.valid]

    def _continues(self, mark: _Mark, para: int) -> bool:
        """A paragraph that opens with a quotation mark carries on the quote left open before it."""
        start, end = self.paragraphs[para]
        body = self.text[start:end]
        first = start + len(body) - len(body.lstrip())
        return para == self.double_para + 1 and mark.double and mark.role in (OPEN, "either") and mark.pos == first

    def _end_inner_at_paragraph(self) -> None:
        _, para_end = self.paragraphs[self.double_para]
        while len(self.doubles) > 1:
            index, _ = self.doubles.pop()
            self._finish(self.quotes[index], para_end, None)
        self.singles.clear()

    def _end_all_at_paragraph(self) -> None:
        self._end_inner_at_paragraph()
        _, para_end = self.paragraphs[self.double_para]
        index, _ = self.doubles.pop()
        self._finish(self.quotes[index], para_end, None)

    def _close_down_to(self, depth: int, pos: int) -> None:
        """Close the open double quote at `depth` at mark `pos`; unclosed ones inside it end there too."""
        while len(self.doubles) > depth:
            index, _ = self.doubles.pop()
            self._finish(self.quotes[index], pos, pos if len(self.doubles) == depth else None)
        self.singles.clear()

    def _double(self, mark: _Mark) -> None:
        same_style = [d for d, (_, straight) in enumerate(self.doubles) if straight == mark.straight]
        if mark.role == CLOSE or (mark.role == "either" and same_style):
            if self.doubles:
                self._close_down_to(same_style[-1] if same_style else len(self.doubles) - 1, mark.pos)
            return
        if same_style and same_style[-1] == len(self.doubles) - 1:
            self._close_down_to(same_style[-1], mark.pos)  # an unclosed quote before a new one ends here
            self._finish_unclosed_last(mark.pos)
        if not self.doubles:
            self.double_para = self.para_of(mark.pos)
        self.quotes.append(QuoteSpan(mark.pos + 1, -1, mark.pos, None))
        self.doubles.append((len(self.quotes) - 1, mark.straight))

    def _finish_unclosed_last(self, pos: int) -> None:
        """The quote just closed at an opening mark had no closing mark of its own."""
        for quote in reversed(self.quotes):
            if quote.close_mark == pos:
                quote.close_mark = None
                break

    def _single(self, mark: _Mark, marks: list[_Mark], k: int) -> None:
        if mark.role == OPEN:
            if not self.doubles and mark.straight:
                return  # a straight single mark opens nothing at the top level
            self.singles.append(mark.pos)
            return
        if not self.singles:
            return
        if mark.weak and self._later_single_close(marks, k):
            return
        open_pos = self.singles.pop()
        parent = self.doubles[-1][0] if self.doubles else None
        quote = QuoteSpan(open_pos + 1, -1, open_pos, mark.pos, parent)
        self._finish(quote, mark.pos, mark.pos)
        if parent is None and len(quote_text_words(self.text, quote)) < 2:
            return
        if quote.valid:
            self.quotes.append(quote)

    def _later_single_close(self, marks: list[_Mark], k: int) -> bool:
        para = self.para_of(marks[k].pos)
        for later in marks[k + 1:]:
            if self.para_of(later.pos) != para or (later.double and later.role != OPEN):
                return False
            if not later.double and later.role == CLOSE:
                return True
        return False

    def _finish(self, quote: QuoteSpan, end: int, close_mark: int | None) -> None:
        start = quote.start
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        quote.start, quote.end, quote.close_mark = start, end, close_mark
        quote.valid = any(c.isalnum() for c in self.text[start:end])


def quote_text_words(text: str, quote: QuoteSpan) -> list[str]:
    return text[quote.start:quote.end].split()


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotes in `text`, ordered by opening mark, with `parent` the index of the enclosing quote."""
    quotes = _QuoteScanner(text).scan(find_marks(text))
    quotes.sort(key=lambda q: q.open_mark)
    enclosing: list[int] = []  # indexes of the quotes that may still hold the next one
    for k, quote in enumerate(quotes):
        while enclosing and not (quotes[enclosing[-1]].start <= quote.open_mark and quote.end <= quotes[enclosing[-1]].end):
            enclosing.pop()
        quote.parent = enclosing[-1] if enclosing else None
        enclosing.append(k)
    return quotes
