"""Bytes to text: UTF-8 first, then the charset that charset-normalizer finds; and the error for a file that cannot be opened."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newstrace.model import ReadError

#: Tie-break order for equally likely charsets: by share of web pages (W3Techs' usage survey).
PREFERRED_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1251", "gb2312", "shift_jis", "euc_kr", "iso8859_9", "cp1250")
CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))
#: The same characters in text, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: Share of NUL and other control bytes above which bytes are binary, not text with a stray character.
BINARY_SHARE = 0.1


def sniff_binary(head: bytes) -> bool:
    """True for bytes that are mostly no text in any charset: many NULs or other control bytes.

    A text with a stray NUL (a bad copy, a database dump) is still text:
    the text reader removes such characters and records that it did.
    """
    if not head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = sum(byte in CONTROL for byte in head)
    return controls / len(head) > BINARY_SHARE


def without_control_characters(text: str) -> tuple[str, list[int]]:
    """`text` without its NUL and other control characters (tabs and line breaks are text), and where they stood."""
    offsets = [m.start() for m in CONTROL_CHARACTERS.finditer(text)]
    return (CONTROL_CHARACTERS.sub("", text) if offsets else text), offsets


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
    encoding = guess_encoding(data[:200_000])
    if encoding is None:
        return None
    return data.decode(encoding, errors="replace")


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, with ties broken toward the commonest web charsets.

    On short Western European text it often ranks cp1250 first with the same
    scores as cp1252 and turns "à São" into "ŕ Săo"; among equally good
    matches we take the one that is commonest on news sites.
    """
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    ties = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    for preferred in PREFERRED_ENCODINGS:
        if preferred in ties:
            return preferred
    return best.encoding


def open_binary(path: str):
    """The file at `path` opened for reading bytes, or the error every reader gives for a file it cannot open."""
    try:
        return open(path, "rb")
    except OSError as exc:
        return ReadError(path, None, f"cannot open ({exc.strerror})", "check the file exists and is readable")
