"""The ingest endpoint's checks and work: token, file name, size limit, then read, process, store, link."""
from __future__ import annotations

import hmac
import io
import re

from starlette.requests import Request

from newstrace.model import ReadError


NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 120


class UploadRefused(Exception):
    """An upload the server will not take; `status` and `code` go into the error response."""

    def __init__(self, status: int, code: str, message: str):
        self.status, self.code = status, code
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
    return {"file": path, "read": report.read, "documents": [item.id for item in items if not isinstance(item, ReadError)],
            "added": report.stored.added, "unchanged": report.stored.unchanged,
            "errors": [error.message() for error in report.errors]}
