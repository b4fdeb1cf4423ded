"""Bytes to text: UTF-8 first, then the charset that charset-normalizer finds."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))


def sniff_binary(head: bytes) -> bool:
    """True for bytes that are no text in any charset: NULs or many control bytes."""
    if not head:
        return False
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(byte in CONTROL for byte in head)
    return controls / len(head) > 0.1


def decode_text(data: bytes) -> str | None:
    """Decode article bytes; None when they are binary or no charset fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if sniff_binary(data[:4096]):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    return data.decode(best.encoding, errors="replace")
