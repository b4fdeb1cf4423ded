"""Pure-text notions every part of newstrace shares: line breaks, paragraphs, sentence ends, headings.

No spaCy here: `clean.py` reads these before any parse exists, and the
document index (`nlp/index.py`) builds its spans from them.

- A **line** is the text between line breaks (`line_spans`).
- A **paragraph** is a block between blank lines (`paragraph_spans`).
- A line **ends a sentence** when it ends in sentence-final punctuation,
  maybe followed by closing quotes or brackets (`SENTENCE_FINAL`).
- A **heading line** is one short line that does not end a sentence and
  starts like a title (`is_headline_like`); a **title line** is a heading
  line that is a paragraph of its own and is written in title case
  (`title_lines`).
"""
from __future__ import annotations

import re

#: A blank line and the whitespace after it: its end is where the next paragraph's text starts.
#: The parse starts a sentence there (`nlp.model.paragraph_breaks`) and events never cross it.
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
#: One or more line breaks: what separates lines.
NEWLINES = re.compile(r"\n+")
#: A line's text, without its line break.
LINE = re.compile(r"[^\n]+")
#: A line ends a sentence when it ends in one of these, maybe followed by closing quotes or brackets.
SENTENCE_FINAL = re.compile(r"[.!?:;…][\"'”’)\]]*\s*$")
#: A line that can open a new paragraph starts with one of these.
PARAGRAPH_OPENER = re.compile(r"[A-Z0-9\"'“‘(\[]")
HEADING_MAX_WORDS = 20
HEADING_MAX_CHARS = 180
#: Regular English inflections, (suffix, what the base ends in instead): "staged" -> "stag", "stage".
SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("d", ""))
TITLE_LINE_MIN_WORDS = 3
TITLE_CASE_SHARE = 0.7
CAPITALIZED_WORD = re.compile(r"[A-Z][a-z]+(?:[-'][A-Za-z]+)*")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line: the text between line breaks, the text's edges included."""
    spans, start = [], 0
    for match in NEWLINES.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def split_at_blank_lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) cut at its blank lines, each part without the whitespace around it."""
    end = len(text) if end is None else end
    parts, at = [], start
    for match in BLANK_LINE.finditer(text, start, end):
        parts.append((at, match.start()))
        at = match.end()
    parts.append((at, end))
    out = []
    for a, b in parts:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out or [(start, end)]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a block between blank lines, without the whitespace around it."""
    return [span for span in split_at_blank_lines(text) if span[0] < span[1]]


def ends_sentence(line: str) -> bool:
    """True when `line` ends in sentence-final punctuation (`SENTENCE_FINAL`)."""
    return SENTENCE_FINAL.search(line) is not None


def is_headline_like(paragraph: str) -> bool:
    """Short, one line, no sentence-final punctuation, starts like a title: a heading or a teaser."""
    line = paragraph.strip()
    if not line or "\n" in line or len(line) > HEADING_MAX_CHARS:
        return False
    if len(line.split()) > HEADING_MAX_WORDS or ends_sentence(line):
        return False
    return line[0].isupper() or line[0].isdigit() or not line[0].isalpha()


def is_title_cased(line: str) -> bool:
    """A heading line most of whose longer words after the first are capitalized."""
    words = WORD.findall(line)
    if len(words) < TITLE_LINE_MIN_WORDS or not is_headline_like(line):
        return False
    content = [w for w in words[1:] if len(w) > 3]
    capitalized = [w for w in content if w[0].isupper()]
    return len(capitalized) >= 2 and len(capitalized) >= TITLE_CASE_SHARE * len(content)


def title_lines(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph that is a one-line heading written in title case."""
    spans = paragraph_spans(text) if paragraphs is None else paragraphs
    return [(a, b) for a, b in spans if "\n" not in text[a:b] and is_title_cased(text[a:b])]


def find_paragraph_breaks(text: str) -> list[int]:
    """Offsets where a sentence must start, as a paragraph starts there.

    That is after a blank line, and after a line break that ends a heading
    line (`is_headline_like`) that starts a paragraph or follows a line
    that ends a sentence, and is followed by a line that starts like a
    sentence ("Police Arrest Five Activists\nThe arrests came on Monday.").
    In a hard-wrapped paragraph (most of its line breaks fall mid-sentence)
    only blank lines count.
    """
    starts = [m.end() for m in BLANK_LINE.finditer(text) if m.end() < len(text)]
    blocks = [0, *starts, len(text)]
    for begin, end in zip(blocks, blocks[1:]):
        starts += _heading_breaks(text, [(m.start(), m.end()) for m in LINE.finditer(text, begin, end) if text[m.start():m.end()].strip()])
    return sorted(set(starts))


def _heading_breaks(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Start offsets of the lines, in one paragraph's `lines`, that follow a heading line."""
    ends_open = [not ends_sentence(text[a:b]) for a, b in lines[:-1]]
    if sum(ends_open) >= 2 and 2 * sum(ends_open) > len(ends_open):
        return []  # hard-wrapped: line breaks are no evidence
    out = []
    for k, (a, b) in enumerate(lines[:-1]):
        following = text[lines[k + 1][0]:lines[k + 1][1]].lstrip()
        opens = k == 0 or not ends_open[k - 1]
        if opens and is_headline_like(text[a:b]) and PARAGRAPH_OPENER.match(following):
            out.append(lines[k + 1][1] - len(following))
    return out
