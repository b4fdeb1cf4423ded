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
    records = _CheckedArchiveIterator(stream)
    try:
        for record in records:
            number += 1
            position = f"record {number}"
            if record.rec_type == "response" and _is_html(record):
                url = record.rec_headers.get_header("WARC-Target-URI")
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield ReadError(path, position, "response larger than the one-article limit", "skipped; raise the limit if this page is an article")
                elif not _cut_short(record):
                    yield from read_html(data, path, url=url, position=position)
            if _cut_short(record):
                yield ReadError(path, position, f"truncated or corrupt WARC (the file ends inside record {number})", "re-download the file; the records before the break were kept")
                return
    except Exception as exc:  # warcio fails in many ways on a cut-off file (EOFError, zlib.error, AttributeError...)
        yield ReadError(path, f"record {number + 1}", f"truncated or corrupt WARC ({_short(exc)})", "re-download the file; the records before the break were kept")
        return
    if records.cut:
        yield ReadError(path, f"record {number + 1}", "truncated or corrupt WARC (the file ends inside a record)", "re-download the file; the records before the break were kept")


class _CheckedArchiveIterator(ArchiveIterator):
    """warcio's iterator, noting whether the file ended inside a record.

    warcio takes a file cut inside a record's headers, or inside a gzip
    member's header or trailer, for a clean end. When the records run out it
    closes its reader, which knows better: a gzip member not at its end, or
    bytes read past the end of the last whole record.
    """

    cut = False

    def close(self):
        if self.reader is not None:
            decompressor = self.reader.decompressor
            if decompressor is not None:
                self.cut = not getattr(decompressor, "eof", True)
            else:
                self.cut = self.fh.tell() > self.offset
        super().close()


def _cut_short(record) -> bool:
    """True when the file ends inside `record`: warcio stops there without a word.

    Every WARC record states its Content-Length; a record without one was cut
    in its headers. The rest of the record is read (warcio would skip over it
    anyway); bytes still owed by its Content-Length mean the file was cut.
    """
    if record.rec_headers.get_header("Content-Length") is None:
        return True
    stream = record.raw_stream
    while stream.read(65536):
        pass
    return getattr(stream, "limit", 0) > 0


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
