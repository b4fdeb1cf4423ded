"""Cleaning: a reader's `Record` becomes a `Document`.

The body is split into paragraphs. Page furniture (navigation, comment and
share prompts, related-article headlines, cookie notices) is taken out and
kept, in order, in `boilerplate`. A first paragraph that reads as a headline
becomes the title when the reader found none, and markers such as "Revised:"
move from the title into `title_flags`.

Furniture is found by two general rules, not by a list of any site's lines:

1. a paragraph that matches a furniture pattern (`data/furniture.txt`) in
   full is furniture wherever it stands;
2. at either end of the body, a run of short headline-like paragraphs that
   holds a navigation cue (navigation, comment, share, subscribe or
   related-article line) is furniture as a whole from the first cue outward:
   that is where related-article lists and "Next Article" teasers sit. Other
   furniture (ads, credits, notices, tags) is no cue: a footnote after a
   photo credit stays.

`eval/body_extraction.py` measures these rules on trafilatura's evaluation set.
"""
from __future__ import annotations

import functools
import re

from newstrace import lexicons
from newstrace.html import Page, extract_html
from newstrace.model import Document, Record, content_id, document_key
from newstrace.nlp.text import is_headline_like

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


#: Furniture kinds that mark the start of a run of navigation or related links.
RUN_CUE_KINDS = frozenset({"navigation", "comments", "share", "subscribe", "related"})
FURNITURE_MAX_CHARS = 200


@functools.cache
def _furniture_patterns() -> dict[str, re.Pattern]:
    """One whole-line matcher per furniture kind, in the order of the data file."""
    by_kind: dict[str, list[str]] = {}
    for kind, pattern in lexicons.table("furniture.txt"):
        by_kind.setdefault(kind, []).append(f"(?:{pattern})")
    return {kind: re.compile(rf"^(?:{'|'.join(alts)})$", re.IGNORECASE) for kind, alts in by_kind.items()}


@functools.cache
def _title_marker() -> re.Pattern:
    markers = sorted((row[0] for row in lexicons.table("title_flags.tsv")), key=len, reverse=True)
    names = "|".join(re.escape(m) for m in markers)
    return re.compile(rf"^\s*({names})\s*(?::|\||\s[-–—]\s)\s*", re.IGNORECASE)


def furniture_kind(paragraph: str) -> str | None:
    """The kind of furniture the whole paragraph is (navigation, share, credit, ...), or None."""
    line = " ".join(paragraph.split())
    if not line or len(line) > FURNITURE_MAX_CHARS:
        return None
    return next((kind for kind, pattern in _furniture_patterns().items() if pattern.match(line)), None)


def is_furniture(paragraph: str) -> bool:
    """True when the whole paragraph is site navigation, a prompt or a notice, not article text."""
    return furniture_kind(paragraph) is not None


def split_title_flags(title: str | None) -> tuple[str | None, list[str]]:
    """Take leading markers ("Revised:", "UPDATE:", ...) off a title into flags."""
    if not title:
        return title, []
    flags_by_marker = {row[0].lower(): row[1] for row in lexicons.table("title_flags.tsv")}
    flags: list[str] = []
    while True:
        match = _title_marker().match(title)
        if not match or not title[match.end():].strip():
            break
        flag = flags_by_marker[match.group(1).lower()]
        if flag not in flags:
            flags.append(flag)
        title = title[match.end():]
    return title.strip() or None, flags


def split_furniture(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Split paragraphs into (kept, removed), both in document order."""
    kinds = [furniture_kind(p) for p in paragraphs]
    cues = [kind in RUN_CUE_KINDS for kind in kinds]
    removable = [kind is not None or is_headline_like(p) for kind, p in zip(kinds, paragraphs)]
    drop = [kind is not None for kind in kinds]

    tail = len(paragraphs)
    while tail > 0 and removable[tail - 1]:
        tail -= 1
    first_cue = next((i for i in range(tail, len(paragraphs)) if cues[i]), None)
    if first_cue is not None:
        for i in range(first_cue, len(paragraphs)):
            drop[i] = True

    head = 0
    while head < len(paragraphs) and removable[head]:
        head += 1
    last_cue = next((i for i in range(head - 1, -1, -1) if cues[i]), None)
    if last_cue is not None:
        for i in range(0, last_cue + 1):
            drop[i] = True

    if paragraphs and all(drop):
        # The run rules never empty a body (a feed entry of one teaser and a
        # "Continue reading" link); a body of nothing but furniture stays whole.
        drop = [kind is not None for kind in kinds]
        if all(drop):
            drop = [False] * len(paragraphs)

    kept = [p for p, d in zip(paragraphs, drop) if not d]
    removed = [p for p, d in zip(paragraphs, drop) if d]
    return kept, removed


def _same_line(a: str, b: str) -> bool:
    """Equal but for case and whitespace."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _without_controls(text: str) -> str:
    """Text without NULs and other control characters (newlines and tabs kept): no store takes NUL."""
    return CONTROL_CHARACTERS.sub("", text).strip()


def paragraphs_of(body: str) -> list[str]:
    """Paragraphs of a plain-text body: blocks between blank lines, stripped."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in PARAGRAPH_BREAK.split(body) if p.strip()]


def clean(record: Record, remove_furniture: bool = True) -> Document:
    """Make a Document from a Record: main text, title and flags, date, boilerplate."""
    if record.kind == "html":
        return clean_page(record, extract_html(record.body, url=record.url), remove_furniture)
    return _document(record, paragraphs_of(record.body), [], record.title, record.date, record.url, record.outlet, remove_furniture)


def clean_page(record: Record, page: Page, remove_furniture: bool = True) -> Document:
    """Make a Document from a Record whose HTML `extract_html` has already read as `page`."""
    paragraphs = [p.strip() for p in page.text.split("\n") if p.strip()]
    return _document(
        record,
        paragraphs,
        list(page.removed),
        record.title or page.title,
        record.date or page.published,
        page.url or record.url,
        record.outlet or page.outlet,
        remove_furniture,
    )


def _document(
    record: Record,
    paragraphs: list[str],
    boilerplate: list[str],
    title: str | None,
    published: str | None,
    url: str | None,
    outlet: str | None,
    remove_furniture: bool,
) -> Document:
    """Take furniture out of `paragraphs`, find the title and its flags, and build the Document."""
    paragraphs = [clean_p for p in paragraphs if (clean_p := _without_controls(p))]
    title = _without_controls(title) if title else title
    if remove_furniture:
        paragraphs, removed = split_furniture(paragraphs)
        boilerplate.extend(removed)
    if title is None and len(paragraphs) > 1 and is_headline_like(paragraphs[0]):
        title = paragraphs.pop(0)
    elif remove_furniture and title and paragraphs and _same_line(paragraphs[0], title):
        boilerplate.append(paragraphs.pop(0))  # the page's headline repeated atop the body
    title, flags = split_title_flags(" ".join(title.split()) if title else title)
    text = "\n\n".join(paragraphs)
    return Document(
        id=content_id(document_key(url, record.source, record.position), title, text, published),
        source={"path": record.source, "position": record.position},
        url=url,
        outlet=outlet,
        title=title,
        title_flags=flags,
        published=published,
        text=text,
        boilerplate=boilerplate,
    )
