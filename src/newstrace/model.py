"""The data model: what readers return (`Record`, `ReadError`) and what every
later stage works on (`Document`, its text plus stand-off layers).

Layer records are plain dicts whose keys follow ../shared/CONTRACT.md; every
span in them is built through `span()`, which checks the offsets, so
`doc.text[start:end] == record["text"]` always holds.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields
from typing import Any

LAYERS = ("entities", "times", "figures", "quotes", "attributions", "events")


@dataclass
class Record:
    """One article as a reader found it, before cleaning."""

    source: str
    position: str | None = None
    body: str = ""
    kind: str = "text"  # "text" (plain text) or "html"
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass
class ReadError:
    """A failure a reader met; readers yield these instead of raising."""

    source: str
    position: str | None
    reason: str
    hint: str

    def message(self) -> str:
        where = f"{self.source}:{self.position}" if self.position else self.source
        return f"{where}: {self.reason} — {self.hint}"


@dataclass
class Document:
    """A cleaned article: `text` plus layers whose spans point into it."""

    id: str
    source: dict
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    title_flags: list[str] = field(default_factory=list)
    published: str | None = None
    lang: str = "en"
    boilerplate: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    sentences: list[list[int]] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    times: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    attributions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    story: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def span(self, start: int, end: int, **extra: Any) -> dict[str, Any]:
        """A span record over `text[start:end]`, checked, with `extra` keys added."""
        return span(self.text, start, end, **extra)


def span(text: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
    """Build `{start, end, text, **extra}` after checking the offsets lie in `text`."""
    if not (0 <= start <= end <= len(text)):
        raise ValueError(f"span [{start}, {end}) outside a text of {len(text)} characters")
    return {"start": start, "end": end, "text": text[start:end], **extra}


def document_key(url: str | None, path: str, position: str | None) -> str:
    """What makes two documents versions of one source: the same URL, else the same file and position."""
    return url or f"{os.path.normpath(path) if path != '-' else path}#{position or ''}"


def content_id(key: str, title: str | None, text: str, published: str | None) -> str:
    """A stable id from the source and the cleaned content: same input, same id."""
    h = hashlib.sha256()
    for part in (key, title or "", published or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]
