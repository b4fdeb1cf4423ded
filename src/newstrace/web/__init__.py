"""The HTTP API and server-rendered web UI (`newstrace serve`)."""
from __future__ import annotations

import os

from newstrace.web.app import MAX_UPLOAD_BYTES, app_from_env, create_app, openapi_document


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          max_upload_bytes: int = MAX_UPLOAD_BYTES, workers: int = 1, log_level: str = "warning") -> None:
    """Serve the UI and API with uvicorn until interrupted.

    With `workers` > 1 each worker is a process with its own store connections,
    so searches run in parallel on several cores; the settings reach them through
    the environment ($NEWSTRACE_DB, $NEWSTRACE_TOKEN, $NEWSTRACE_MAX_UPLOAD_BYTES).
    """
    import uvicorn

    options = dict(host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
    if workers <= 1:
        uvicorn.run(create_app(db, token=token, max_upload_bytes=max_upload_bytes), **options)
        return
    from newstrace.store import open_store, resolve_db

    location = resolve_db(db)
    open_store(location).close()  # fail here, once, if the store cannot be opened
    os.environ["NEWSTRACE_DB"] = location
    os.environ["NEWSTRACE_MAX_UPLOAD_BYTES"] = str(max_upload_bytes)
    if token is not None:
        os.environ["NEWSTRACE_TOKEN"] = token
    uvicorn.run("newstrace.web.app:app_from_env", factory=True, workers=workers, **options)


__all__ = ["create_app", "app_from_env", "serve", "openapi_document", "MAX_UPLOAD_BYTES"]
