"""The HTTP API and server-rendered web UI (`newstrace serve`)."""
from __future__ import annotations

import os

from newstrace.settings import MAX_UPLOAD_BYTES, Settings
from newstrace.web.app import app_from_env, create_app, openapi_document


def serve(db: str | None = None, host: str | None = None, port: int | None = None, token: str | None = None,
          max_upload_bytes: int | None = None, workers: int | None = None, log_level: str = "warning",
          settings: Settings | None = None) -> None:
    """Serve the UI and API with uvicorn until interrupted.

    `settings` gives every option at once; otherwise they are the arguments,
    else the environment, else the defaults (`Settings.from_env`).

    With `settings.workers` > 1 each worker is a process with its own store
    connections, so searches run in parallel on several cores; the settings
    reach them through the environment (`Settings.to_env`).
    """
    import uvicorn

    settings = settings or Settings.from_env(db=db, host=host, port=port, token=token,
                                             max_upload_bytes=max_upload_bytes, workers=workers)
    options = dict(host=settings.host, port=settings.port, log_level=log_level, proxy_headers=False, server_header=False)
    if settings.workers <= 1:
        uvicorn.run(create_app(settings=settings), **options)
        return
    from newstrace.store import open_store

    open_store(settings.db).close()  # fail here, once, if the store cannot be opened
    os.environ.update(settings.to_env())
    uvicorn.run("newstrace.web.app:app_from_env", factory=True, workers=settings.workers, **options)


__all__ = ["create_app", "app_from_env", "serve", "openapi_document", "MAX_UPLOAD_BYTES"]
