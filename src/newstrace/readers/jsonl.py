"""JSON Lines (one article per line), single JSON articles and lists, and JSON Feed.

Field names are the common ones, news-please's included: title; text,
maintext, body, content or content_text / content_html; date, date_publish,
published or date_published; url or link; source_domain, outlet or site_name.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from newstrace.model import ReadError, Record
from newstrace.readers.decode import decode_text, open_binary

TEXT_FIELDS = ("text", "maintext", "body", "content", "content_text", "article", "description")
HTML_FIELDS = ("html", "content_html", "raw_html")
DATE_FIELDS = ("date", "date_publish", "published", "date_published", "publish_date", "pubdate")
URL_FIELDS = ("url", "link", "canonical_url")
OUTLET_FIELDS = ("source_domain", "outlet", "site_name", "sitename", "source")
#: Names the readers take as JSON Lines (when the bytes are not gzip or WARC).
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jl")
ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_jsonl(
    stream: BinaryIO, path: str, max_bytes: int, first_line: int = 1, end: int | None = None
) -> Iterator[Record | ReadError]:
    """Records from a JSON Lines stream, line by line, with bounded memory.

    `first_line` is the number of the stream's next line, and `end` stops
    before a line that starts at or past that offset: with both, this reads
    one byte range of a file (see `read_jsonl_range`).
    """
    number = first_line - 1
    while end is None or stream.tell() < end:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield ReadError(path, f"line {number}", "line longer than the one-article limit", "split the article or check the file has newlines")
            continue
        if not line.strip():
            continue
        yield from _record_from_line(line, path, f"line {number}")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


# -- byte ranges of one large file (Spark reads each in its own task) --------------


def read_jsonl_range(path: str, start: int, end: int, first_line: int, max_bytes: int) -> Iterator[Record | ReadError]:
    """Records from the lines of a JSON Lines file that start in bytes [start, end).

    The Hadoop rule: a range after the first skips the line it starts inside,
    which the range before reads to its end, so each line is read once.
    `first_line` is the number of the first line that starts in the range:
    one plus the `count_line_starts` of the ranges before it.
    """
    stream = open_binary(path)
    if isinstance(stream, ReadError):
        yield stream
        return
    with stream:
        if start > 0:
            stream.seek(start - 1)
            _skip_rest_of_line(stream)
        yield from read_jsonl(stream, path, max_bytes, first_line, end)


def count_line_starts(path: str, start: int, end: int, chunk: int = 1 << 20) -> int:
    """How many lines start in bytes [start, end) of a file, as `read_jsonl` numbers them.

    A line starts at 0 and after every newline but the file's last byte; one
    linear pass over the range, in bounded memory.
    """
    count = 1 if start == 0 else 0
    with open(path, "rb") as stream:
        offset = max(start - 1, 0)
        stream.seek(offset)
        left = end - 1 - offset
        while left > 0 and (block := stream.read(min(chunk, left))):
            count += block.count(b"\n")
            left -= len(block)
    return count


def _record_from_line(line: bytes, path: str, position: str) -> Iterator[Record | ReadError]:
    text = decode_text(line)
    try:
        item = json.loads(text) if text is not None else None
    except json.JSONDecodeError as exc:
        yield ReadError(path, position, f"invalid JSON ({exc.msg} at column {exc.colno})", "fix or remove this line; the other lines were read")
        return
    yield from _record_from_item(item, path, position)


def read_json(data: bytes, path: str) -> Iterator[Record | ReadError]:
    """Records from a whole JSON file: one article, a list of them, or a JSON Feed."""
    text = decode_text(data)
    try:
        value = json.loads(text) if text is not None else None
    except json.JSONDecodeError as exc:
        if text and "\n" in text.strip():
            yield from read_jsonl_text(text, path)
            return
        yield ReadError(path, f"line {exc.lineno}", f"invalid JSON ({exc.msg})", "fix the file, or give one article per line as JSON Lines")
        return
    if isinstance(value, dict) and str(value.get("version", "")).startswith("https://jsonfeed.org"):
        for number, item in enumerate(value.get("items") or [], 1):
            yield from _record_from_item(item, path, f"item {number}")
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield from _record_from_item(item, path, f"item {number}")
    else:
        yield from _record_from_item(value, path, None)


def read_jsonl_text(text: str, path: str) -> Iterator[Record | ReadError]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield from _record_from_line(line.encode("utf-8"), path, f"line {number}")


def _record_from_item(item, path: str, position: str | None) -> Iterator[Record | ReadError]:
    if not isinstance(item, dict):
        yield ReadError(path, position, "not a JSON object", "give each article as an object with a title and a text field")
        return
    text = _first(item, TEXT_FIELDS)
    html = _first(item, HTML_FIELDS)
    if not text and not html:
        yield ReadError(path, position, "no article text (none of text, maintext, body, content)", "add the article's text under one of those names")
        return
    yield Record(
        source=path,
        position=position,
        body=text or html,
        kind="text" if text else "html",
        title=_first(item, ("title",)),
        date=normalise_date(_first(item, DATE_FIELDS)),
        url=_first(item, URL_FIELDS),
        outlet=_first(item, OUTLET_FIELDS),
    )


def _first(item: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def normalise_date(value: str | None) -> str | None:
    """The day of an ISO-like timestamp ("2017-07-17 17:03:00" -> "2017-07-17"), else None."""
    if not value:
        return None
    match = ISO_DAY.search(value)
    if match:
        return match.group(0)
    from dateutil import parser

    try:
        return parser.parse(value).date().isoformat()
    except (ValueError, OverflowError):
        return None
