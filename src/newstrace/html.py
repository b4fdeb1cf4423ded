"""Main text and metadata of an HTML page, with trafilatura and htmldate.

`extract_html` returns the body as lines (one paragraph a line), the title,
the publication date, the outlet and the canonical URL, plus the page's
other text blocks (what trafilatura left out) in order as `removed`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from htmldate import find_date

for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "pre", "dt", "dd")


@dataclass
class Page:
    text: str = ""
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    removed: list[str] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> Page:
    """Main text and metadata of one page; an empty Page when nothing is found."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        deduplicate=False,
    )
    meta = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = meta.get("text") or ""
    published = find_publication_date(html, url)
    return Page(
        text=text,
        title=meta.get("title"),
        published=published or meta.get("date"),
        url=meta.get("url") or url,
        outlet=meta.get("sitename") or meta.get("hostname"),
        removed=other_blocks(html, text),
    )


def find_publication_date(html: str, url: str | None = None) -> str | None:
    """The page's original publication day (YYYY-MM-DD) by htmldate's extensive search."""
    try:
        return find_date(html, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises on some malformed pages; no date then
        return None


def other_blocks(html: str, main_text: str) -> list[str]:
    """Visible text blocks of the page that are not part of the main text, in order."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    kept = {" ".join(line.split()) for line in main_text.split("\n")}
    removed, seen = [], set()
    for element in tree.iter(*BLOCK_TAGS):
        if any(child.tag in BLOCK_TAGS for child in element.iterdescendants()):
            continue
        block = " ".join(element.text_content().split())
        if block and block not in kept and block not in seen:
            seen.add(block)
            removed.append(block)
    return removed
