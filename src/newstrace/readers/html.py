"""HTML pages: one Record per page; the cleaner extracts text and metadata."""
from __future__ import annotations

from collections.abc import Iterator

from trafilatura.utils import decode_file

from newstrace.model import ReadError, Record
from newstrace.readers.decode import sniff_binary


def read_html(data: bytes, path: str, url: str | None = None, position: str | None = None) -> Iterator[Record | ReadError]:
    """One Record from the bytes of an HTML page (charset from the page or guessed)."""
    if sniff_binary(data[:4096]):
        yield ReadError(path, position, "binary bytes where an HTML page was expected", "pass the page's HTML, not a compressed or binary file")
        return
    html = decode_file(data)
    if not isinstance(html, str) or not html.strip():
        yield ReadError(path, position, "undecodable or empty HTML", "check the file is a complete HTML page")
        return
    yield Record(source=path, position=position, body=html, kind="html", url=url)
