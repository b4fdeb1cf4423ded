"""The ingest endpoint's checks and work: token, file name, size limit, then read, process, store, link."""
from __future__ import annotations

import hmac
import io
import re

from starlette.requests import Request

from newstrace.model import ReadError


NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: What `safe_name` keeps something of (the OpenAPI schema's pattern, searched, not anchored at the start):
#: a letter, digit or hyphen after the last slash or backslash.
NAME_PATTERN = r"[A-Za-z0-9-][^/\\]*$"
MAX_NAME = 120


#: What `?extract=` may say, and whether it means extract.
EXTRACT_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class UploadRefused(Exception):
    """An upload the server will not take; `status`, `code` and any `details` go into the error response."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        self.status, self.code, self.details = status, code, details or {}
        super().__init__(message)


def check_token(request: Request, token: str | None) -> None:
    if token is None:
        raise UploadRefused(403, "read_only", "this server is read-only — start it with NEWSTRACE_TOKEN set to allow uploads")
    given = request.headers.get("authorization", "")
    given = given[7:] if given.lower().startswith("bearer ") else request.headers.get("x-newstrace-token", "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise UploadRefused(401, "unauthorized", "missing or wrong token — send the header 'Authorization: Bearer <NEWSTRACE_TOKEN>'")


def safe_name(raw: str) -> str:
    """The upload's name as a plain file name: no folders, no odd characters."""
    name = NAME.sub("_", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip("._")[:MAX_NAME]
    if not name:
        raise UploadRefused(400, "bad_request", "no file name — add ?filename=report.html so the reader knows the format")
    return name


def extract_flag(raw: str | None) -> bool:
    """Whether `?extract=` asks for extraction (the default); a 400 naming the parameter for any other value."""
    if raw is None or raw == "":
        return True
    if raw.lower() not in EXTRACT_VALUES:
        raise UploadRefused(400, "bad_request", f"extract must be 0 or 1, not {raw[:40]!r} — leave it out to extract, give extract=0 not to")
    return EXTRACT_VALUES[raw.lower()]


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise UploadRefused(413, "too_large", f"upload of {declared} bytes is over the limit of {limit} bytes — split the file")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise UploadRefused(413, "too_large", f"upload is over the limit of {limit} bytes — split the file")
        chunks.append(chunk)
    if not size:
        raise UploadRefused(400, "bad_request", "empty upload — send the file's bytes as the request body")
    return b"".join(chunks)


def ingest_upload(store, name: str, data: bytes, extract: bool = True) -> dict:
    """Read, process, store and link one uploaded file through the ingest sink; failures are recorded like any ingest's."""
    from newstrace.ingest import Sink, process_items
    from newstrace.readers import read_stream

    path = f"upload/{name}"
    items = process_items(read_stream(io.BytesIO(data), path), extract)
    report = Sink(store).put_all(items).close()
    documents = [item.id for item in items if not isinstance(item, ReadError)]
    if not documents:
        raise nothing_stored(path, report.errors)
    return {"file": path, "read": report.read, "documents": documents,
            "added": report.stored.added, "unchanged": report.stored.unchanged,
            "errors": [error.message() for error in report.errors]}


def nothing_stored(path: str, errors: list[ReadError]) -> UploadRefused:
    """The 422 of an upload in which no document could be read: each failure (recorded like any ingest's) with its file and position."""
    errors = errors or [ReadError(path, None, "no document found in the file",
                                  "check that the file holds text, HTML, JSON Lines, a feed or WARC records, and that ?filename= has its extension")]
    files = [{"file": e.source, "position": e.position, "reason": e.reason, "hint": e.hint} for e in errors]
    more = f" (and {len(errors) - 1} more failures)" if len(errors) > 1 else ""
    return UploadRefused(422, "nothing_stored", f"nothing was stored from the upload — {errors[0].message()}{more}", {"files": files})
