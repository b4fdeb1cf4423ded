"""Readers: bytes in, `Record`s out, one reader per input kind.

`read_paths` expands folders and globs, picks a reader by name and by
content, and streams what it reads. A reader never raises on bad input: it
yields a `ReadError` (file, position, reason, hint) and goes on.
"""
from __future__ import annotations

import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from newstrace.model import ReadError, Record
from newstrace.readers.decode import open_binary, sniff_binary
from newstrace.readers.feed import read_feed
from newstrace.readers.html import read_html
from newstrace.readers.jsonl import read_json, read_jsonl
from newstrace.readers.text import read_text
from newstrace.readers.warc import read_warc
from newstrace.settings import MAX_DOCUMENT_BYTES  # the largest single article a reader takes

Item = Record | ReadError

SNIFF_BYTES = 4096
HIDDEN_PREFIXES = (".", "_")


def read_paths(paths: Iterable[str], max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Item]:
    """Records from every file named by `paths` (files, folders, globs, or "-")."""
    for raw in paths:
        if raw == "-":
            yield from read_stream(sys.stdin.buffer, "-", max_bytes)
            continue
        files = list(expand_path(raw))
        if not files:
            yield ReadError(raw, None, "no such file or folder", "check the path, or quote a glob so the shell does not expand it")
        for path in files:
            yield from read_file(path, max_bytes)


def expand_path(raw: str) -> Iterator[str]:
    """Files under a path: itself, everything below a folder, or a glob's matches, sorted."""
    if os.path.isdir(raw):
        for root, dirs, names in os.walk(raw):
            dirs[:] = sorted(d for d in dirs if not d.startswith(HIDDEN_PREFIXES))
            for name in sorted(names):
                if not name.startswith(HIDDEN_PREFIXES):
                    yield os.path.join(root, name)
    elif os.path.exists(raw):
        yield raw
    elif glob.has_magic(raw):
        for match in sorted(glob.glob(raw, recursive=True)):
            yield from expand_path(match)


def read_file(path: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Item]:
    """Records from one file, whatever its kind."""
    stream = open_binary(path)
    if isinstance(stream, ReadError):
        yield stream
        return
    with stream:
        yield from read_stream(stream, path, max_bytes)


def read_stream(stream: BinaryIO, path: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Item]:
    """Records from an open binary stream; `path` names it in records and errors."""
    stream = _peekable(stream)
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not head:
        yield ReadError(path, None, "empty file", "nothing to ingest; check the file was written completely")
        return
    name = path.lower()
    if head[:2] == b"\x1f\x8b":
        if _is_warc_name(name) or _gzip_member_starts_with(head, b"WARC/"):
            yield from read_warc(stream, path, max_bytes)
            return
        yield from _read_gunzipped(stream, path, max_bytes)
        return
    yield from _read_plain(stream, head, name, path, max_bytes)


def _read_gunzipped(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[Item]:
    """A gzip file other than WARC: read what it holds, reporting a truncated end."""
    inner = gzip.GzipFile(fileobj=stream)
    try:
        head = inner.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(path, None, f"broken gzip data ({exc})", "re-download or re-compress the file")
        return
    inner_name = path.lower()[: -len(".gz")] if path.lower().endswith(".gz") else path.lower()
    yield from _read_plain(_GuardedGzip(inner, path), head, inner_name, path, max_bytes)


def _read_plain(stream: BinaryIO, head: bytes, name: str, path: str, max_bytes: int) -> Iterator[Item]:
    """Dispatch an uncompressed stream by its name, then by its first bytes."""
    try:
        if name.endswith((".warc", ".arc")) or head.startswith(b"WARC/"):
            yield from read_warc(stream, path, max_bytes)
        elif name.endswith((".jsonl", ".ndjson", ".jl")):
            yield from read_jsonl(stream, path, max_bytes)
        elif name.endswith(".json") or head.lstrip()[:1] in (b"{", b"["):
            yield from _read_whole(stream, path, max_bytes, read_json)
        elif name.endswith((".rss", ".atom", ".xml", ".rdf")) or _looks_like_feed(head):
            yield from _read_whole(stream, path, max_bytes, read_feed)
        elif name.endswith((".html", ".htm", ".xhtml", ".shtml")) or _looks_like_html(head):
            yield from _read_whole(stream, path, max_bytes, read_html)
        elif sniff_binary(head):
            yield ReadError(path, None, "binary file, not text, HTML, a feed, JSON or WARC", "pass news files only; skip images, PDFs and archives")
        else:
            yield from _read_whole(stream, path, max_bytes, read_text)
    except _TruncatedGzip as exc:
        yield ReadError(path, None, f"truncated or corrupt gzip data ({exc})", "re-download or re-compress the file; what came before the break was kept")


def _read_whole(stream: BinaryIO, path: str, max_bytes: int, reader) -> Iterator[Item]:
    """Read a one-document file into memory, refusing anything over `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield ReadError(
            path, None,
            f"larger than {max_bytes // (1024 * 1024)} MB for one article",
            "split it, or give it as JSON Lines (one article per line), which streams",
        )
        return
    yield from reader(data, path)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<article"))


def _looks_like_feed(head: bytes) -> bool:
    start = head.lstrip()[:1024].lower()
    return start.startswith(b"<?xml") and (b"<rss" in start or b"<feed" in start or b"<rdf" in start)


def _is_warc_name(name: str) -> bool:
    return name.endswith((".warc.gz", ".arc.gz", ".warc.wet.gz"))


def _gzip_member_starts_with(head: bytes, prefix: bytes) -> bool:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, len(prefix)).startswith(prefix)
    except zlib.error:
        return False


class _TruncatedGzip(Exception):
    pass


class _GuardedGzip(io.RawIOBase):
    """A gzip stream whose decompression errors surface as one exception type."""

    def __init__(self, inner: gzip.GzipFile, path: str):
        self._inner = inner

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._inner.read(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise _TruncatedGzip(str(exc) or type(exc).__name__) from exc

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._inner.readline(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise _TruncatedGzip(str(exc) or type(exc).__name__) from exc

    def __iter__(self):
        while line := self.readline():
            yield line


def _peekable(stream: BinaryIO) -> io.BufferedReader:
    if hasattr(stream, "peek"):
        return stream  # type: ignore[return-value]
    return io.BufferedReader(stream)  # type: ignore[arg-type]


__all__ = ["read_paths", "read_file", "read_stream", "expand_path", "MAX_DOCUMENT_BYTES", "Path"]
