"""Main text and metadata of an HTML page, with trafilatura and htmldate.

`extract_html` returns the body as lines (one paragraph a line), the title,
the publication date, the outlet and the canonical URL, plus the page's
other text blocks (what the extractor left out) in order as `removed`.

The body is trafilatura's extraction with the settings of its published
benchmark, so `eval/body_extraction.py` can compare like with like. When
trafilatura finds nothing, as it often does for an RSS entry's HTML
fragment, the body falls back to the text of the fragment's blocks, so a
page with visible text never comes out empty.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
import trafilatura
from htmldate import find_date

from newstrace.caps import check_dom_size
from newstrace.settings import MAX_DOM_TAGS

for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

#: Elements whose content is never visible text.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select", "button")
#: Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
#: `removed` holds at most this many blocks of at most this many characters in all.
MAX_REMOVED_BLOCKS = 200
MAX_REMOVED_CHARS = 20_000
#: A removed block longer than this is cut (with "…"); boilerplate lines are short.
MAX_REMOVED_BLOCK_CHARS = 500
#: A main text longer than this is not compared with the page's blocks (`removed` stays empty).
MAX_SCAN_CHARS = 2_000_000
#: A block with at least this many words that occurs inside the main text is part of it.
MIN_WORDS_INSIDE_MAIN = 4

WHITESPACE = re.compile(r"\s+")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

#: trafilatura's settings in its published benchmark (tests/eval_common.py, "standard").
EXTRACT_OPTIONS = dict(include_comments=False, include_tables=True, include_formatting=False, fast=False)


@dataclass
class Page:
    text: str = ""
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    removed: list[str] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> Page:
    """Main text and metadata of one page or fragment; an empty Page when it has no text.

    A page over the tag cap (settings.MAX_DOM_TAGS) raises caps.CapExceeded before anything parses it.
    """
    check_dom_size(html, MAX_DOM_TAGS)
    meta = _trafilatura_extraction(html, url)
    tree = parse_html(html)
    text = meta.get("text") or ""
    if not text.strip() and tree is not None:
        text = "\n".join(visible_lines(tree))
    return Page(
        text=text,
        title=_clean_space(meta.get("title")),
        published=find_publication_date(html, url) or meta.get("date"),
        url=meta.get("url") or url,
        outlet=_clean_space(meta.get("sitename")) or meta.get("hostname"),
        removed=other_blocks(tree, text) if tree is not None else [],
    )


def _trafilatura_extraction(html: str, url: str | None) -> dict:
    """trafilatura's text (its TXT output) and metadata as a dict; {} when it finds nothing."""
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, **EXTRACT_OPTIONS)
    except Exception:  # trafilatura raises on some malformed input; the fallback takes over
        return {}
    if document is None:
        return {}
    meta = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    if meta.get("text"):
        meta["text"] = unicodedata.normalize("NFC", meta["text"])
    return meta


def find_publication_date(html: str, url: str | None = None) -> str | None:
    """The page's original publication day (YYYY-MM-DD), or None.

    htmldate's fast search first (metadata, structured data, URL: the more
    precise sources), its extensive search only when that finds nothing.
    On htmldate's evaluation set this order is as good as extensive search
    alone or slightly better (eval/publication_dates.py).
    """
    for extensive in (False, True):
        try:
            day = find_date(html, url=url, original_date=True, extensive_search=extensive)
        except Exception:  # htmldate raises on some malformed pages; no date then
            day = None
        if day:
            return day
    return None


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """A tree for a page or a fragment, scripts and styles dropped; None when unparsable."""
    if not html or not html.strip():
        return None
    html = XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError, lxml.etree.XMLSyntaxError):
        return None
    for bad in tree.xpath("//" + "|//".join(INVISIBLE_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    return tree


def visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """The visible text of a tree, a line per block element, whitespace normalised."""
    parts: list[str] = []
    _collect_text(tree, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _collect_text(element, parts: list[str]) -> None:
    """Append the text under `element` to `parts`, with a newline around each block."""
    stack = [(element, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if tag is not None and node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def other_blocks(tree: lxml.html.HtmlElement, main_text: str) -> list[str]:
    """Visible text blocks of the page that are not part of the main text, in order, bounded."""
    if len(main_text) > MAX_SCAN_CHARS:
        return []
    main = WHITESPACE.sub(" ", main_text)
    main_lines = {" ".join(line.split()) for line in main_text.split("\n")}
    removed: list[str] = []
    seen: set[str] = set()
    total = 0
    for block in visible_lines(tree):
        if block in seen or block in main_lines or _inside_main(block, main):
            continue
        seen.add(block)
        if len(block) > MAX_REMOVED_BLOCK_CHARS:
            block = block[: MAX_REMOVED_BLOCK_CHARS - 1].rstrip() + "…"
        removed.append(block)
        total += len(block)
        if len(removed) >= MAX_REMOVED_BLOCKS or total >= MAX_REMOVED_CHARS:
            break
    return removed


def _inside_main(block: str, main: str) -> bool:
    """A block of several words found in the main text is part of it, split another way.

    One- to three-word blocks ("Home", "Contact us") are menu items even when
    the words happen to occur in the article.
    """
    return len(block.split()) >= MIN_WORDS_INSIDE_MAIN and block in main


def _clean_space(value: str | None) -> str | None:
    """Whitespace normalised, or None when empty."""
    if not value:
        return None
    return " ".join(value.split()) or None
