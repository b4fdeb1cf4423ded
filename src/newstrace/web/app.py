"""The HTTP API and the web pages: one table of pages, each with an HTML route and a JSON twin.

`/api/v1/<path>` returns what the page's `query` function returns; `/<path>`
renders the same dict (plus display-only extras) with a template and points to
its twin with `<link rel="alternate">` and a `Link` header. Errors have one
shape everywhere: `{"error": {"code", "message"}}`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from newstrace import query
from newstrace.errors import BadQuery, NewstraceError, NotFound
from newstrace.settings import MAX_UPLOAD_BYTES, Settings
from newstrace.store import open_store
from newstrace.store.search_syntax import SYNTAXES
from newstrace.web import render, upload
from newstrace.web.params import CURSOR, LIMIT, MAX_OFFSET, Param, parse_params

HERE = Path(__file__).resolve().parent
API = "/api/v1"
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
#: The names a request to this machine may give in its Host header, whatever the server listens on.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "read_only", 404: "not_found", 405: "method_not_allowed",
               411: "length_required", 413: "too_large", 422: "nothing_stored", 500: "internal", 503: "unavailable"}


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    load: Callable[[object, dict], dict]
    summary: str
    params: tuple[Param, ...] = ()
    extras: Callable[[object, dict, dict], dict] | None = None
    tags: tuple[str, ...] = field(default=())


def _args(request: Request, page: Page) -> dict:
    """The page's parameters from the path and query string, typed; BadQuery naming a parameter out of range."""
    return parse_params(page.params, request.path_params, request.query_params)


# -- the pages ------------------------------------------------------------------------


def _document_extras(store, data: dict, args: dict) -> dict:
    others = [link["other"] for link in data["links"]] + list(data.get("versions") or [])
    return {"body": render.highlight(data["text"], render.document_marks(data)),
            "others": query.titles(store, others),
            "quotes": {q["id"]: q for q in data["quotes"]},
            "attributions": {a["id"]: a for a in data["attributions"]},
            "times": {t["id"]: t for t in data["times"]}}


def _copy_extras(store, data: dict, args: dict) -> dict:
    evidence = data["link"]["evidence"]
    return {"left": render.highlight(data["a"]["text"], render.passage_marks(evidence, "a")),
            "right": render.highlight(data["b"]["text"], render.passage_marks(evidence, "b"))}


def _search_extras(store, data: dict, args: dict) -> dict:
    return {"snippets": [render.snippet(item["snippet"], item["marks"]) for item in data["items"]]}


def _events_extras(store, data: dict, args: dict) -> dict:
    return {"plot": render.date_bars(data.get("by_date") or [])}


def _sources_extras(store, data: dict, args: dict) -> dict:
    return {"plot": render.circle_layout(data), "labels": {n["id"]: n["label"] for n in data["nodes"]}}


def _story_extras(store, data: dict, args: dict) -> dict:
    clusters: dict[str, list] = {}
    for event in data["events"]:
        clusters.setdefault(event["cluster"] or "", []).append(event)
    return {"clusters": clusters}


PAGES = (
    Page("/documents", "documents.html", lambda s, a: query.document_page(s, **a), "Documents in ingest order", (LIMIT, CURSOR)),
    Page("/documents/{doc_id}", "document.html", lambda s, a: query.document(s, a["doc_id"]),
         "One document with every layer, its links and its story", (Param("doc_id", where="path", help="id or unique id prefix"),),
         _document_extras),
    Page("/copies/{a}/{b}", "copy.html", lambda s, a: query.copy_view(s, a["a"], a["b"]),
         "Two linked documents side by side with their aligned passages",
         (Param("a", where="path", help="document id"), Param("b", where="path", help="document id")), _copy_extras),
    Page("/links", "links.html", lambda s, a: query.link_page(s, **a), "Links between documents: copies, rewrites, versions, same story",
         (Param("kind", help="exact_copy, near_copy, rewrite, same_story or version"), LIMIT, CURSOR)),
    Page("/search", "search.html", lambda s, a: query.search_page(s, **a), "Full-text search over titles and text",
         (Param("q", help="words as written (covid-19, U.S.), or FTS5 syntax: \"a phrase\", AND, OR, NOT, ( ), prefix*", default=""),
          Param("syntax", help="auto (words unless the query uses FTS5 operators), words or fts", default="auto", enum=SYNTAXES),
          LIMIT, CURSOR), _search_extras),
    Page("/stories", "stories.html", lambda s, a: query.story_page(s, **a), "Stories, the most reported first",
         (Param("min_documents", "integer", help="only stories with at least this many reports", default=1, minimum=1, maximum=MAX_OFFSET),
          LIMIT, CURSOR)),
    Page("/stories/{story_id}", "story.html", lambda s, a: query.story(s, a["story_id"]),
         "A story: its reports in order (who reported first), its events by cluster, conflicting figures",
         (Param("story_id", where="path"),), _story_extras),
    Page("/entities", "entities.html", lambda s, a: query.entity_page(s, **a), "Entities across documents",
         (Param("type", help="PERSON, ORG, GPE, LOC, NORP or FAC"), LIMIT, CURSOR)),
    Page("/entities/{global_id}", "entity.html", lambda s, a: query.entity(s, **a),
         "One entity: aliases, mentions across documents, its events and co-actors",
         (Param("global_id", where="path"), LIMIT, CURSOR)),
    Page("/events", "events.html", lambda s, a: query.events(s, **a), "Events across documents in date order, with counts per date",
         (Param("type", help="a PLOVER event type"), LIMIT, CURSOR), _events_extras),
    Page("/figures", "figures.html", lambda s, a: query.figures(s, **a), "Figures across documents",
         (Param("counts", help="what is counted: killed, injured, displaced..."), LIMIT, CURSOR)),
    Page("/conflicts", "conflicts.html", lambda s, a: query.conflicts(s, **a), "Figures that disagree between reports of one event",
         (LIMIT, CURSOR)),
    Page("/sources", "sources.html", lambda s, a: query.sources_graph(s), "Who cites whom, and each outlet's share of anonymous sources",
         (), _sources_extras),
    Page("/stats", "stats.html", lambda s, a: query.corpus_stats(s), "Corpus statistics"),
    Page("/errors", "errors.html", lambda s, a: query.error_page(s, **a), "Recorded ingest failures", (LIMIT, CURSOR)),
)


# -- the application ------------------------------------------------------------------


class _Stores:
    """One store connection per worker thread (sqlite3 connections stay in their thread)."""

    def __init__(self, db: str):
        self.db = db
        self.local = threading.local()
        self.opened: list = []
        self.lock = threading.Lock()

    def get(self):
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = open_store(self.db)
            with self.lock:
                self.opened.append(store)
        return store

    def close(self) -> None:
        with self.lock:
            for store in self.opened:
                try:
                    store.close()
                except Exception:  # a connection made in another thread; the process is ending anyway
                    pass
            self.opened.clear()


def create_app(db: str | None = None, token: str | None = None, max_upload_bytes: int | None = None,
               settings: Settings | None = None, allowed_hosts: tuple[str, ...] | None = None) -> Starlette:
    """The web app over the store at `db`. Uploads need `token` (default $NEWSTRACE_TOKEN); without one the app is read-only.

    A request's Host header must name the served host (`settings.host`),
    localhost, 127.0.0.1 or one of `allowed_hosts`; others get a 400, so that a
    page on another site cannot reach the server by DNS rebinding.

    `settings` gives them all at once; otherwise they are the arguments, else
    the environment, else the defaults (`Settings.from_env`).
    """
    settings = settings or Settings.from_env(db=db, token=token, max_upload_bytes=max_upload_bytes, allowed_hosts=allowed_hosts)
    open_store(settings.db).close()  # fail now, with the store's own message, if it cannot be opened
    stores = _Stores(settings.db)
    token, max_upload_bytes = settings.token, settings.max_upload_bytes
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True, default_for_string=True))
    templates.globals.update(qs=_query_string, web_url=_web_url)

    def html_route(page: Page):
        def endpoint(request: Request) -> Response:
            store = stores.get()
            args = _args(request, page)
            data = page.load(store, args)
            json_url = API + quote(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
            extras = page.extras(store, data, args) if page.extras else {}
            body = templates.get_template(page.template).render(
                data=data, view=extras, args=args, query=dict(request.query_params), json_url=json_url,
                path=request.url.path, read_only=token is None)
            return HTMLResponse(body, headers={"Link": f'<{json_url}>; rel="alternate"; type="application/json"'})
        return endpoint

    def api_route(page: Page):
        def endpoint(request: Request) -> Response:
            return JSONResponse(page.load(stores.get(), _args(request, page)))
        return endpoint

    async def upload_endpoint(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        upload.check_token(request, token)
        name = upload.safe_name(request.query_params.get("filename", ""))
        extract = upload.extract_flag(request.query_params.get("extract"))
        data = await upload.read_limited(request, max_upload_bytes)
        result = await run_in_threadpool(lambda: upload.ingest_upload(stores.get(), name, data, extract))
        return JSONResponse(result, status_code=201 if result["added"] else 200)

    list_documents = api_route(PAGES[0])

    async def documents_endpoint(request: Request) -> Response:
        """GET lists the documents, POST uploads one: one route, so a 405 here names all three methods in Allow."""
        if request.method == "POST":
            return await upload_endpoint(request)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(list_documents, request)

    def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(max_upload_bytes))

    def home(request: Request) -> Response:
        return RedirectResponse("/documents", status_code=302)

    routes = [Route("/", home), Route(f"{API}/openapi.json", openapi),
              Route(API + PAGES[0].path, documents_endpoint, methods=["GET", "HEAD", "POST"])]
    for page in PAGES:
        if page is not PAGES[0]:
            routes.append(Route(API + page.path, api_route(page), methods=["GET", "HEAD"]))
        routes.append(Route(page.path, html_route(page), methods=["GET", "HEAD"]))
    routes.append(Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"))

    def error(request: Request, exc: Exception) -> Response:
        status, code, message = _error_parts(exc)
        headers = _error_headers(exc, status)
        details = getattr(exc, "details", None) or {}
        if request.url.path.startswith(API + "/") or request.url.path == API or not _wants_html(request):
            return JSONResponse({"error": {"code": code, "message": message, **details}}, status_code=status, headers=headers)
        body = templates.get_template("error.html").render(data={"error": {"code": code, "message": message}}, view={},
                                                           args={}, json_url=None, path=request.url.path, status=status)
        return HTMLResponse(body, status_code=status, headers=headers)

    app = Starlette(routes=routes, exception_handlers={HTTPException: error, NewstraceError: error, upload.UploadRefused: error, Exception: error})
    app.state.stores = stores
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=served_hosts(settings))
    app.add_middleware(_SecurityHeaders)
    return app


def served_hosts(settings: Settings) -> list[str]:
    """The names a request's Host header may give: the served host, this machine's loopback names, the --allowed-host ones."""
    served = f"[{settings.host}]" if ":" in settings.host else settings.host  # an IPv6 address, as a Host header gives it
    return list(dict.fromkeys([served.lower(), *LOOPBACK_HOSTS, *settings.allowed_hosts]))


def _error_headers(exc: Exception, status: int) -> dict[str, str]:
    """The headers an error keeps: the methods a 405 allows (Starlette names them), the scheme a 401 wants."""
    headers = dict(getattr(exc, "headers", None) or {})
    if status == 405:  # StaticFiles names no methods; a route names its own
        headers["Allow"] = ", ".join(sorted(headers.get("Allow", "GET, HEAD").split(", ")))
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return headers


def app_from_env() -> Starlette:
    """The app for one worker process of `serve(workers=N)`: settings come from the environment (`Settings.to_env`)."""
    return create_app(settings=Settings.from_env())


def _web_url(url: str | None) -> str | None:
    """A report's URL if it is http(s); anything else (javascript:, data:) is not made a link."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _query_string(query: dict, **changes) -> str:
    """The query string with some parameters changed (None removes one)."""
    merged = {**query, **changes}
    return urlencode({k: v for k, v in merged.items() if v is not None})


def _wants_html(request: Request) -> bool:
    return "application/json" not in request.headers.get("accept", "") or "text/html" in request.headers.get("accept", "")


def _error_parts(exc: Exception) -> tuple[int, str, str]:
    if isinstance(exc, NotFound):
        return 404, "not_found", str(exc)
    if isinstance(exc, BadQuery):
        return 400, "bad_request", str(exc)
    if isinstance(exc, upload.UploadRefused):
        return exc.status, exc.code, str(exc)
    if isinstance(exc, NewstraceError):
        return 500, "store_error", str(exc)
    if isinstance(exc, HTTPException):
        messages = {404: "no such page — see /api/v1/openapi.json for the endpoints",
                    405: "this method is not allowed here — use GET (POST only to /api/v1/documents)"}
        return exc.status_code, ERROR_CODES.get(exc.status_code, "error"), messages.get(exc.status_code, str(exc.detail))
    return 500, "internal", "the server failed on this request — it is logged; run with --debug for the traceback"


class _SecurityHeaders:
    """Adds a strict Content-Security-Policy and friends to every response: no inline script ever runs."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- OpenAPI ----------------------------------------------------------------------------


def openapi_document(max_upload_bytes: int = MAX_UPLOAD_BYTES) -> dict:
    """The OpenAPI 3.1 description of the JSON API, built from the page table."""
    error = {"$ref": "#/components/responses/Error"}
    paths = {}
    for page in PAGES:
        parameters = [{"name": p.name, "in": p.where, "required": p.where == "path", "description": p.help,
                       "schema": p.schema(), **({"allowEmptyValue": True} if p.where == "query" else {})}
                      for p in page.params]  # an empty value is as if not given: the default
        paths[API + page.path] = {"get": {
            "summary": page.summary, "operationId": _operation_id(page.path), "parameters": parameters,
            "responses": {"200": {"description": "the page's data (the HTML page at the same path without /api/v1 renders it)",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": error, "404": error}}}
    paths[f"{API}/documents"]["post"] = {
        "summary": f"Ingest one uploaded file (text, HTML, JSON Lines, feed or WARC; at most {max_upload_bytes} bytes). Needs the server's token.",
        "operationId": "upload",
        "security": [{"token": []}],
        "parameters": [{"name": "filename", "in": "query", "required": True, "schema": {"type": "string", "pattern": upload.NAME_PATTERN},
                        "description": "the file's name (what follows its last / needs a letter, digit or -); its extension tells the reader the format"},
                       {"name": "extract", "in": "query", "required": False, "schema": {"type": "integer", "enum": [0, 1]},
                        "allowEmptyValue": True, "description": "0 to store without extraction (empty or left out: 1)"}],
        "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary", "minLength": 1}}}},
        "responses": {"200": {"description": "nothing new: every document read was stored already", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "201": {"description": "documents added", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": error, "401": error, "403": error, "413": error,
                      "422": {"description": "nothing stored: no document could be read; error.files gives each failure's file, position, reason and hint",
                              "content": {"application/json": {"schema": {"type": "object", "required": ["error"]}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "newstrace", "version": "1",
                 "description": "Evidence-linked facts from news reports. Lists take limit and cursor and return next_cursor."},
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "an error", "content": {"application/json": {"schema": {
                "type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}}}},
    }


def _operation_id(path: str) -> str:
    parts = [p for p in path.strip("/").split("/") if not p.startswith("{")]
    return "_".join(parts) + ("_one" if path.endswith("}") else "")
