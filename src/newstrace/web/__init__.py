"""The HTTP API and server-rendered web UI (`newstrace serve`)."""
from __future__ import annotations

from newstrace.web.app import MAX_UPLOAD_BYTES, create_app, openapi_document


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          max_upload_bytes: int = MAX_UPLOAD_BYTES, log_level: str = "warning") -> None:
    """Serve the UI and API with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db, token=token, max_upload_bytes=max_upload_bytes), host=host, port=port,
                log_level=log_level, proxy_headers=False, server_header=False)


__all__ = ["create_app", "serve", "openapi_document", "MAX_UPLOAD_BYTES"]
