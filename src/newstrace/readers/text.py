"""Plain-text articles, with an optional `date YYYY-MM-DD` header.

The header stands on its own first line or runs straight into the body's
first line ("date 2025-01-22 Members of ..."). Titles and furniture are the
cleaner's work.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from newstrace.model import ReadError, Record
from newstrace.readers.decode import decode_text, without_control_characters

DATE_HEADER = re.compile(r"\A\s*date\s*:?\s*(\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)


def read_text(data: bytes, path: str) -> Iterator[Record | ReadError]:
    """One Record from a plain-text file."""
    text = decode_text(data)
    if text is None:
        yield ReadError(path, None, "binary or undecodable bytes, not text", "pass a text, HTML, feed, JSON or WARC file")
        return
    text, stray = without_control_characters(text)
    if stray:
        yield ReadError(
            path, f"character {stray[0]}",
            f"removed {len(stray)} control character(s) such as NUL from the text",
            "the article was stored without them; check the file if it should be plain text",
        )
    date, body = split_date_header(text)
    if not body.strip():
        yield ReadError(path, None, "no article text", "the file holds only whitespace or a date line; check it was written completely")
        return
    yield Record(source=path, body=body, kind="text", date=date)


def split_date_header(text: str) -> tuple[str | None, str]:
    """Take a leading `date YYYY-MM-DD` header off the text; (date or None, body)."""
    match = DATE_HEADER.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end():]
