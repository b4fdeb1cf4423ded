"""WARC and WARC.gz files (e.g. CC-NEWS), streamed with warcio.

Every HTML `response` record becomes a Record; other records (requests,
metadata, revisits, non-HTML responses) are skipped. A truncated or corrupt
file keeps the records before the break and ends with one ReadError.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from newstrace.model import ReadError, Record
from newstrace.readers.html import read_html

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[Record | ReadError]:
    """Records from the HTML responses of a WARC stream, one at a time."""
    number = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
            if record.rec_type != "response" or not _is_html(record):
                continue
            position = f"record {number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            data = record.content_stream().read(max_bytes + 1)
            if len(data) > max_bytes:
                yield ReadError(path, position, "response larger than the one-article limit", "skipped; raise the limit if this page is an article")
                continue
            yield from read_html(data, path, url=url, position=position)
    except Exception as exc:  # warcio fails in many ways on a cut-off file (EOFError, zlib.error, AttributeError...)
        where = f"after record {number}" if number else "at the start"
        yield ReadError(path, where, f"truncated or corrupt WARC ({_short(exc)})", "re-download the file; the records before the break were kept")


def _is_html(record) -> bool:
    headers = record.http_headers
    if headers is None:
        return False
    if headers.get_statuscode() not in (None, "200"):
        return False
    content_type = (headers.get_header("Content-Type") or "").lower()
    return content_type.startswith(HTML_TYPES)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
