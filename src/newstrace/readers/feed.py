"""RSS and Atom feeds, with feedparser: one Record per entry."""
from __future__ import annotations

import time
from collections.abc import Iterator

import feedparser

from newstrace.model import ReadError, Record
from newstrace.readers.jsonl import normalise_date


def read_feed(data: bytes, path: str) -> Iterator[Record | ReadError]:
    """Records from a feed's entries: content (or summary), title, date and link."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f"not a readable feed ({parsed.get('bozo_exception')})" if parsed.get("bozo") else "feed has no entries"
        yield ReadError(path, None, reason, "check the file is a complete RSS or Atom feed")
        return
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        body = _entry_body(entry)
        if not body:
            yield ReadError(path, f"entry {number}", "entry has neither content nor summary", "nothing to ingest for this entry")
            continue
        yield Record(
            source=path,
            position=f"entry {number}",
            body=body,
            kind="html",
            title=entry.get("title"),
            date=_entry_date(entry),
            url=entry.get("link"),
            outlet=outlet,
        )


def _entry_body(entry) -> str | None:
    for content in entry.get("content") or []:
        if content.get("value", "").strip():
            return content["value"]
    summary = entry.get("summary", "")
    return summary if summary.strip() else None


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return normalise_date(entry[key])
    return None
