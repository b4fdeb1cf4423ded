"""The HTTP API and web pages (Starlette TestClient) over a small hand-made, linked store."""
from __future__ import annotations

import html
import re
import warnings

import pytest

from newstrace import query
from newstrace.model import Document, content_id
from newstrace.store import open_store

starlette = pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette 1.x warns that TestClient will move from httpx to httpx2
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from newstrace.web import create_app  # noqa: E402
from newstrace.web.app import PAGES  # noqa: E402
from newstrace.web.render import Mark, date_bars, highlight  # noqa: E402

PORT_TEXT = ('Union leaders met shipping firms in Rotterdam on Monday, the union said. '
             '"We are far apart on safety," spokeswoman Ilse de Vries told reporters. '
             'At least 4,000 workers stayed away, officials said, citing port police.')
SCRIPT_TEXT = 'The council met on Friday. <script>alert("pwned")</script> A resident wrote <img src=x onerror=alert(2)> on a board.'
TOKEN = "s3cret-token"


def _document(path: str, text: str, title: str, published: str) -> Document:
    doc = Document(id=content_id(path, title, text, published), source={"path": path, "position": None},
                   text=text, title=title, published=published)
    doc.sentences = [[m.start(), m.end()] for m in re.finditer(r"[^.]+\.", text)]
    return doc


def _port_report(path: str, published: str, workers: str = "4,000") -> Document:
    text = PORT_TEXT.replace("4,000", workers)
    doc = _document(path, text, "Port talks resume", published)
    at = text.index
    rotterdam, vries = at("Rotterdam"), at("Ilse de Vries")
    doc.entities = [
        {"id": "e1", "type": "GPE", "name": "Rotterdam", "aliases": [], "mentions": [doc.span(rotterdam, rotterdam + 9)]},
        {"id": "e2", "type": "PERSON", "name": "Ilse de Vries", "aliases": [], "mentions": [doc.span(vries, vries + 13)]},
        {"id": "e3", "type": "ORG", "name": "Union", "aliases": [], "mentions": [doc.span(0, 5)]},
    ]
    doc.times = [doc.span(at("Monday"), at("Monday") + 6, id="t1", type="DATE", value="2026-03-09", mod=None)]
    quote = at("We are")
    doc.quotes = [doc.span(quote, quote + len("We are far apart on safety,"), id="q1", nested_in=None,
                           speaker=doc.span(at("spokeswoman"), vries + 13, entity="e2"), cue=doc.span(at("told"), at("told") + 4))]
    claim = at("At least")
    doc.attributions = [{"id": "a1", "source": doc.span(at("officials"), at("officials") + 9, entity=None),
                         "source_kind": "anonymous", "cue": doc.span(at("officials said") + 10, at("officials said") + 14),
                         "content": doc.span(claim, at("stayed away") + 11),
                         "via": [doc.span(at("port police"), at("port police") + 11, entity=None, source_kind="official")],
                         "when": None, "hedged": False, "contested": False}]
    value = int(workers.replace(",", ""))
    doc.figures = [doc.span(at(workers), at(workers) + len(workers), id="f1", value=value, low=value, high=None, vague=False,
                            qualifier="at least", unit="people", counts="protesters", claimed_by="a1")]
    doc.events = [{"id": "v1", "type": "CONSULT", "mode": None, "trigger": doc.span(at("met"), at("met") + 3),
                   "sentence": doc.span(*doc.sentences[0]), "actors": [{"text": "Union leaders", "entity": "e3"}],
                   "targets": [{"text": "shipping firms", "entity": None}], "place": {"text": "Rotterdam", "entity": "e1"},
                   "date": "2026-03-09", "time": "t1", "attributed_to": None, "hedged": False, "cluster": None},
                  {"id": "v2", "type": "CONSULT", "mode": None, "trigger": doc.span(at("told"), at("told") + 4),
                   "sentence": doc.span(*doc.sentences[1]), "actors": [{"text": "Ilse de Vries", "entity": "e2"}],
                   "targets": [{"text": "Union leaders", "entity": "e3"}], "place": None,
                   "date": "2026-03-09", "time": "t1", "attributed_to": None, "hedged": False, "cluster": None},
                  {"id": "v3", "type": "PROTEST", "mode": "strike", "trigger": doc.span(at("stayed away"), at("stayed away") + 11),
                   "sentence": doc.span(*doc.sentences[2]), "actors": [{"text": f"{workers} workers", "entity": None}],
                   "targets": [], "place": {"text": "Rotterdam", "entity": "e1"},
                   "date": "2026-03-09", "time": "t1", "attributed_to": "a1", "hedged": False, "cluster": None}]
    return doc


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Two copies of one report (an exact copy, a day later) and a report holding markup, linked."""
    from newstrace.link import link

    path = str(tmp_path_factory.mktemp("web") / "web.db")
    store = open_store(path)
    hostile = _document("council.txt", SCRIPT_TEXT, 'Council <img src=x onerror="alert(1)"> meets', "2026-03-20")
    hostile.url = "javascript:alert(document.cookie)"
    hostile.entities = [{"id": "e1", "type": "ORG", "name": "<b>Council</b>", "aliases": ["<i>x</i>"],
                         "mentions": [hostile.span(4, 11)]}]
    store.put_documents([_port_report("wire/port.txt", "2026-03-10"), _port_report("daily/port.txt", "2026-03-11"),
                         _port_report("local/port.txt", "2026-03-12", workers="6,500"), hostile])
    link(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def ids(db):
    store = open_store(db)
    rows = {row["path"]: row["id"] for row in store.list_documents()}
    store.close()
    return rows


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, token=""), raise_server_exceptions=False, base_url="http://localhost") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(db):
    opened = open_store(db)
    yield opened
    opened.close()


def _concrete(path: str, ids: dict, store) -> str:
    """A page path with real ids in place of its parameters."""
    first, copy = ids["wire/port.txt"], ids["daily/port.txt"]
    entity = next(e["global_id"] for e in store.global_entities() if e["name"] == "Ilse de Vries")
    story = query.document(store, first)["story"]
    return (path.replace("{doc_id}", first).replace("{a}", first).replace("{b}", copy)
            .replace("{global_id}", entity).replace("{story_id}", story))


def test_every_page_has_a_json_twin_that_the_page_points_to(client, ids, store):
    for page in PAGES:
        path = _concrete(page.path, ids, store)
        page_response, api_response = client.get(path), client.get("/api/v1" + path)
        assert page_response.status_code == 200, path
        assert api_response.status_code == 200, path
        assert api_response.headers["content-type"].startswith("application/json")
        assert f'<link rel="alternate" type="application/json" href="/api/v1{path}">' in page_response.text
        assert page_response.headers["link"] == f'</api/v1{path}>; rel="alternate"; type="application/json"'


def test_document_api_returns_what_query_document_returns(client, ids, store):
    doc_id = ids["wire/port.txt"]
    assert client.get(f"/api/v1/documents/{doc_id}").json() == query.document(store, doc_id)
    assert client.get("/api/v1/stats").json() == query.corpus_stats(store)


def test_every_endpoint_answers_errors_in_one_shape(client, ids, store):
    requests = [("GET", "/api/v1/nowhere"), ("GET", "/api/v1/documents/ffffffffffff"), ("GET", "/api/v1/search?q=%22"),
                ("GET", "/api/v1/copies/" + ids["wire/port.txt"] + "/" + ids["council.txt"]),
                ("POST", "/api/v1/documents?filename=a.txt"), ("DELETE", "/api/v1/documents")]
    for page in PAGES:
        path = "/api/v1" + re.sub(r"\{[a-z_]+\}", "nope", page.path)
        requests += [("GET", path + "?limit=x&min_documents=y"), ("GET", path + "?limit=0"), ("GET", path + "?cursor=zz"),
                     ("POST", path)]
    seen_codes = set()
    for method, path in requests:
        response = client.request(method, path)
        if response.status_code == 200:  # a page without parameters ignores unknown ones
            continue
        body = response.json()
        assert set(body) == {"error"}, (method, path)
        assert set(body["error"]) == {"code", "message"}, (method, path)
        assert body["error"]["message"], (method, path)
        seen_codes.add(body["error"]["code"])
    assert {"not_found", "bad_request", "method_not_allowed", "read_only"} <= seen_codes


def test_lists_page_with_limit_and_cursor(client):
    first = client.get("/api/v1/documents?limit=3").json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = client.get(f"/api/v1/documents?limit=3&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert {d["id"] for d in first["items"]}.isdisjoint(d["id"] for d in second["items"])
    assert 'rel="next"' in client.get("/documents?limit=3").text


@pytest.mark.parametrize("path", ["/documents/{hostile}", "/documents", "/search?q=council", "/entities",
                                  "/stories", "/events", "/sources"])
def test_untrusted_text_is_escaped_on_every_page(client, ids, path):
    page = client.get(path.replace("{hostile}", ids["council.txt"])).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Council" not in page
    assert "<script" not in page.lower()


def test_document_page_shows_escaped_markup_as_text(client, ids):
    page = client.get(f"/documents/{ids['council.txt']}").text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Council&lt;/b&gt;" in page
    assert 'href="javascript:' not in page


def test_pages_forbid_inline_scripts(client):
    policy = client.get("/documents").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_document_page_highlights_quote_with_speaker_and_layers(client, ids):
    page = client.get(f"/documents/{ids['wire/port.txt']}").text
    assert re.search(r'<span class="L-quotes hl-quote" id="q1" title="quote q1 · speaker: spokeswoman Ilse de Vries"', page)
    assert 'class="L-quotes hl-speaker' in page
    for layer in ("entities", "quotes", "attributions", "figures", "times", "events"):
        assert f'id="show-{layer}"' in page and f"L-{layer}" in page
    assert "port police" in page and "anonymous" in page
    assert f'href="/copies/{ids["wire/port.txt"]}/{ids["daily/port.txt"]}"' in page


def test_copy_view_aligns_passages_on_both_sides(client, ids):
    data = client.get(f"/api/v1/copies/{ids['daily/port.txt']}/{ids['wire/port.txt']}").json()
    assert data["link"]["kind"] == "exact_copy" and data["link"]["original"] == ids["wire/port.txt"]
    page = client.get(f"/copies/{ids['daily/port.txt']}/{ids['wire/port.txt']}").text
    assert page.count('id="a-p1"') == 1 and page.count('id="b-p1"') == 1


def test_story_puts_first_report_first(client, ids, store):
    story_id = query.document(store, ids["daily/port.txt"])["story"]
    data = client.get(f"/api/v1/stories/{story_id}").json()
    assert [r["id"] for r in data["reports"]] == [ids["wire/port.txt"], ids["daily/port.txt"], ids["local/port.txt"]]
    assert data["reports"][0]["first"] and data["first_reported"] == ids["wire/port.txt"]


def test_conflicting_figures_are_shown_side_by_side_on_the_story(client, ids, store):
    conflicts = client.get("/api/v1/conflicts").json()["items"]
    assert len(conflicts) == 1
    assert sorted({f["value"] for f in conflicts[0]["figures"]}) == [4000, 6500]
    assert {f["text"] for f in conflicts[0]["figures"]} == {"4,000", "6,500"}
    story_id = query.document(store, ids["local/port.txt"])["story"]
    page = client.get(f"/stories/{story_id}").text
    assert page.count('class="figure-card') == 3 and "6,500" in page


def test_entity_page_lists_mentions_events_and_co_actors(client, store):
    entity = next(e["global_id"] for e in store.global_entities() if e["name"] == "Ilse de Vries")
    data = client.get(f"/api/v1/entities/{entity}").json()
    assert len(data["mentions"]) == 3 and {e["role"] for e in data["events"]} == {"actor"}
    assert [c["name"] for c in data["co_actors"]] == ["Union"]


def test_sources_graph_links_outlets_to_sources_and_their_chains(client):
    data = client.get("/api/v1/sources").json()
    assert any(e["kind"] == "cites" for e in data["edges"])
    shares = {o["outlet"]: o["anonymous_share"] for o in data["outlets"]}
    assert shares["wire/port.txt"] == 1.0


def test_search_marks_hits_in_snippets(client):
    data = client.get("/api/v1/search?q=Rotterdam").json()
    item = data["items"][0]
    assert [item["snippet"][s:e] for s, e in item["marks"]] == ["Rotterdam"]
    assert '<span class="hit">Rotterdam</span>' in client.get("/search?q=Rotterdam").text


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2f..%2fquery.py",
                                  "/static//etc/passwd", "/static/%2Fetc%2Fpasswd"])
def test_static_files_do_not_escape_their_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "import" not in response.text and "root:" not in response.text


def test_static_stylesheet_is_served_locally(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "doctext" in response.text
    assert "http" not in client.get("/documents").text.split("<main>")[0].replace('href="/', "")


def test_upload_needs_the_token_and_has_a_size_limit(db, tmp_path):
    with TestClient(create_app(db, token=TOKEN, max_upload_bytes=2000), base_url="http://localhost") as app:
        url = "/api/v1/documents?filename=../../etc/new.txt&extract=0"
        body = b"date 2026-04-01\nHarbour reopens\n\nThe harbour reopened on Tuesday, officials said."
        assert app.post(url, content=body).status_code == 401
        assert app.post(url, content=body, headers={"Authorization": "Bearer wrong"}).json()["error"]["code"] == "unauthorized"
        too_big = app.post(url, content=b"x" * 3000, headers={"Authorization": f"Bearer {TOKEN}"})
        assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "too_large"
        streamed = app.post(url, content=iter([b"x" * 1500, b"x" * 1500]), headers={"Authorization": f"Bearer {TOKEN}"})
        assert streamed.status_code == 413
        done = app.post(url, content=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 201, done.text
        assert done.json()["file"] == "upload/new.txt"
        new_id = done.json()["added"][0]
        assert app.get(f"/api/v1/documents/{new_id}").json()["title"] == "Harbour reopens"


def test_server_without_token_is_read_only(client):
    response = client.post("/api/v1/documents?filename=a.txt", content=b"text")
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only"


def test_openapi_describes_every_api_path(client, ids, store):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for page in PAGES:
        assert "/api/v1" + page.path in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/documents"]


def test_unknown_html_page_renders_an_error_page(client):
    response = client.get("/nowhere", headers={"accept": "text/html"})
    assert response.status_code == 404 and "<h1>404" in response.text


@pytest.mark.parametrize("text, marks", [
    ("a <b> c", [Mark(2, 5, "x", 'say "hi" <now>')]),
    ("overlap here", [Mark(0, 7, "a"), Mark(3, 12, "b"), Mark(5, 6, "c")]),
    ("<script>x</script>", [Mark(0, 8, "a", anchor='"><script>')]),
    ("edge", [Mark(0, 4, "a"), Mark(4, 4, "empty"), Mark(2, 9, "outside")]),
])
def test_highlight_keeps_the_text_and_escapes_it(text, marks):
    out = str(highlight(text, marks))
    assert "<script" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_event_timeline_places_bars_by_date_not_by_rank():
    plot = date_bars([{"date": "2026-03-01", "n": 2}, {"date": "2026-03-02", "n": 1}, {"date": "2026-03-11", "n": 4},
                      {"date": "XXXX-12", "n": 9}, {"date": "2026-03", "n": 1}])
    xs = {bar["date"]: bar["x"] for bar in plot["bars"]}
    assert xs["2026-03-01"] == 0 and xs["2026-03-02"] < xs["2026-03-11"] / 5
    assert plot["top"] == 4 and plot["first"] == "2026-03-01" and plot["last"] == "2026-03-11"


def test_token_and_upload_cap_come_from_the_environment_when_not_given(db, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_TOKEN", TOKEN)
    monkeypatch.setenv("NEWSTRACE_MAX_UPLOAD_BYTES", "100")
    with TestClient(create_app(db), base_url="http://localhost") as app:
        url = "/api/v1/documents?filename=a.txt&extract=0"
        assert app.post(url, content=b"x" * 50).status_code == 401
        too_big = app.post(url, content=b"x" * 200, headers={"Authorization": f"Bearer {TOKEN}"})
        assert too_big.status_code == 413 and "limit of 100 bytes" in too_big.json()["error"]["message"]
        done = app.post(url, content=b"The harbour reopened on Tuesday.", headers={"Authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 201 and done.json()["read"] == 1 and done.json()["documents"] == done.json()["added"]


# -- parameters, hosts, methods, uploads (issue 19) ------------------------------------

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("path, name", [
    (f"/api/v1/documents?cursor={HUGE}", "cursor"), (f"/api/v1/stories?min_documents={HUGE}", "min_documents"),
    ("/api/v1/stories?min_documents=0", "min_documents"), ("/api/v1/documents?limit=501", "limit"),
    ("/api/v1/documents?limit=-1", "limit"), ("/api/v1/documents?cursor=-5", "cursor"),
    ("/api/v1/documents?cursor=%D9%A5", "cursor"), ("/api/v1/links?limit=1_0", "limit"), ("/api/v1/events?limit=%201", "limit"),
    ("/api/v1/search?q=strike&syntax=regex", "syntax"), (f"/documents?cursor={HUGE}", "cursor"),
])
def test_an_integer_out_of_range_or_not_a_number_is_a_400_naming_the_parameter(client, path, name):
    response = client.get(path, headers={"accept": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith(name)


def test_openapi_declares_the_range_of_every_integer_parameter(client):
    spec = client.get("/api/v1/openapi.json").json()
    integers = [(path, p) for path, item in spec["paths"].items() for op in item.values() for p in op["parameters"]
                if p["schema"]["type"] == "integer"]
    assert {p["name"] for _, p in integers} >= {"limit", "cursor", "min_documents", "extract"}
    for path, parameter in integers:
        schema = parameter["schema"]
        assert "enum" in schema or isinstance(schema["minimum"], int) and isinstance(schema["maximum"], int), (path, parameter)
    limits = {p["schema"]["maximum"] for path, p in integers if p["name"] == "limit"}
    assert limits == {query.MAX_LIMIT}


def test_the_largest_cursor_in_range_is_an_empty_page_not_a_crash(client):
    spec = client.get("/api/v1/openapi.json").json()
    cursor = next(p for p in spec["paths"]["/api/v1/documents"]["get"]["parameters"] if p["name"] == "cursor")
    response = client.get(f"/api/v1/documents?cursor={cursor['schema']['maximum']}")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("query_text, hits", [("covid-19", 1), ("U.S.", 1), ("O'Brien", 1), ("covid-19 AND O'Brien", None)])
def test_search_api_takes_words_with_hyphens_dots_and_apostrophes(db, query_text, hits):
    from newstrace.store import open_store

    with open_store(db) as store:
        store.put_documents([_document("words.txt", "Covid-19 rules, said O'Brien of the U.S. embassy.", "Words", "2026-03-21")])
    with TestClient(create_app(db), base_url="http://localhost") as app:
        response = app.get("/api/v1/search", params={"q": query_text})
        if hits is None:  # an operator: FTS5 syntax, where a bare hyphenated word is malformed
            assert response.status_code == 400 and "malformed search query" in response.json()["error"]["message"]
        else:
            assert response.status_code == 200 and [i["path"] for i in response.json()["items"]] == ["words.txt"]
        assert app.get("/api/v1/search", params={"q": query_text, "syntax": "words"}).json()["items"] == (
            [] if hits is None else response.json()["items"])  # as words, AND is a word no report holds


@pytest.mark.parametrize("host, allowed", [("localhost", True), ("127.0.0.1:8000", True), ("[::1]:8000", True),
                                           ("news.example.org", True), ("a.intranet.test", True),
                                           ("evil.example", False), ("localhost.evil.example", False), ("", False)])
def test_host_header_must_name_this_server(db, host, allowed):
    app = create_app(db, allowed_hosts=("news.example.org", "*.intranet.test"))
    with TestClient(app, base_url="http://localhost") as test_client:
        response = test_client.get("/api/v1/stats", headers={"host": host})
    assert response.status_code == (200 if allowed else 400), (host, response.text)


def test_allowed_hosts_come_from_the_environment_and_a_bad_one_is_a_usage_error(db, monkeypatch):
    from newstrace.errors import UsageError
    from newstrace.settings import Settings

    monkeypatch.setenv("NEWSTRACE_ALLOWED_HOSTS", "news.example.org, *.intranet.test")
    assert Settings.from_env().allowed_hosts == ("news.example.org", "*.intranet.test")
    assert Settings.from_env(allowed_hosts=["Other.Example"]).allowed_hosts == ("other.example",)
    assert "NEWSTRACE_ALLOWED_HOSTS" in Settings.from_env().to_env()
    for bad in ("news.example.org:8000", "http://news.example.org", "a.*.org"):
        with pytest.raises(UsageError):
            Settings.from_env(allowed_hosts=[bad])


@pytest.mark.parametrize("method, path, allow", [("DELETE", "/api/v1/documents", "GET, HEAD, POST"),
                                                 ("POST", "/api/v1/stats", "GET, HEAD"), ("PUT", "/documents", "GET, HEAD"),
                                                 ("POST", "/static/style.css", "GET, HEAD")])
def test_a_405_names_the_methods_allowed(client, method, path, allow):
    response = client.request(method, path)
    assert response.status_code == 405 and response.headers["allow"] == allow


def test_an_upload_that_stores_nothing_is_a_422_with_the_reason_per_file(db):
    with TestClient(create_app(db, token=TOKEN), base_url="http://localhost") as app:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        broken = app.post("/api/v1/documents?filename=wire.jsonl&extract=0", content=b"{not json\n[1, 2\n", headers=headers)
        assert broken.status_code == 422, broken.text
        error = broken.json()["error"]
        assert error["code"] == "nothing_stored" and error["message"].startswith("nothing was stored")
        assert [(f["file"], f["position"]) for f in error["files"]] == [("upload/wire.jsonl", "line 1"), ("upload/wire.jsonl", "line 2")]
        assert all(f["reason"] and f["hint"] for f in error["files"])
        bad_flag = app.post("/api/v1/documents?filename=a.txt&extract=maybe", content=b"Text.", headers=headers)
        assert bad_flag.status_code == 400 and "extract" in bad_flag.json()["error"]["message"]
        body = b"The harbour reopened on Wednesday, officials said."
        assert app.post("/api/v1/documents?filename=again.txt&extract=0", content=body, headers=headers).status_code == 201
        again = app.post("/api/v1/documents?filename=again.txt&extract=0", content=body, headers=headers)
        assert again.status_code == 200 and again.json()["unchanged"]  # stored already: nothing new, not a failure


@pytest.mark.parametrize("name", ["a.txt", "x/", "..", "_a_", "dir\\b.html", "dir/-", "é.txt", "a/é", "", "%%%"])
def test_the_schema_pattern_of_filename_is_what_the_server_takes(name):
    from newstrace.web import upload

    try:
        upload.safe_name(name)
        taken = True
    except upload.UploadRefused:
        taken = False
    assert bool(re.search(upload.NAME_PATTERN, name)) == taken
