"""The web UI in a real browser (Playwright with Debian's chromium), against a store built from examples/.

Skips when playwright or /usr/bin/chromium is missing. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SCRIPT_REPORT = """date 2026-03-20
Council meeting ends in <script>window.__pwned = 1; alert("pwned")</script> uproar

The council met on Friday. A resident wrote <img src=x onerror="window.__pwned = 2"> on the notice board, officials said.

"We will <b onmouseover=alert(3)>look into it</b>," the mayor told reporters.
"""

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("chromium is not installed at /usr/bin/chromium", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A store ingested from examples/ plus a report holding markup, served on a free local port."""
    import uvicorn

    from newstrace.ingest import ingest
    from newstrace.store import open_store
    from newstrace.web import create_app

    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "examples", folder / "examples")
    (folder / "examples" / "90_markup.txt").write_text(SCRIPT_REPORT, encoding="utf-8")
    db = str(folder / "e2e.db")
    store = open_store(db)
    ingest([str(folder / "examples")], store)
    ids = {Path(row["path"]).name: row["id"] for row in store.list_documents(limit=100)}
    store.close()

    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not uv.started and time.time() < deadline:
        time.sleep(0.05)
    assert uv.started, "the server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "ids": ids}
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def test_document_page_highlights_quotes_with_their_speaker(server, page):
    page.goto(f"{server['url']}/documents/{server['ids']['01_port_talks.txt']}")
    quote = page.locator(".doctext .hl-quote").first
    assert "not far apart on pay" in quote.inner_text()
    assert "speaker: union spokeswoman Ilse de Vries" in (quote.get_attribute("title") or "")
    assert "union spokeswoman Ilse de Vries" in "".join(page.locator(".doctext .hl-speaker").all_inner_texts())
    assert "Ilse de Vries" in page.locator(".quote-item .speaker").first.inner_text()
    background = quote.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)

    page.locator("label[for=show-quotes]").click()
    assert quote.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_copy_link_opens_the_side_by_side_view(server, page):
    page.goto(f"{server['url']}/documents/{server['ids']['02_port_talks_copy.txt']}")
    link = page.locator("a.copy-view").first
    assert link.count() == 1, "examples 01 and 02 should be linked as a copy or rewrite"
    link.click()
    page.wait_for_url("**/copies/**")
    sides = page.locator(".copy-side")
    assert sides.count() == 2
    assert sides.nth(0).locator(".hl-pair").count() > 0
    assert sides.nth(0).locator(".hl-pair").count() == sides.nth(1).locator(".hl-pair").count() or sides.nth(1).locator(".hl-pair").count() > 0
    assert page.locator(".copy-side .badge", has_text="likely original").count() == 1
    page.screenshot(path=str(ARTIFACTS / "copy_view.png"), full_page=True)


def test_search_finds_reports_and_marks_hits(server, page):
    page.goto(server["url"] + "/documents")
    page.fill("header input[name=q]", "Rotterdam")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Rotterdam*")
    results = page.locator("li.result")
    assert results.count() >= 2
    assert page.locator("li.result .hit").first.inner_text() == "Rotterdam"
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    results.first.locator("a").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator(".doctext").count() == 1


def test_script_in_report_text_does_not_run(server, page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    doc_id = server["ids"]["90_markup.txt"]
    for path in (f"/documents/{doc_id}", "/search?q=council", "/documents", f"/api/v1/documents/{doc_id}"):
        page.goto(server["url"] + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    page.goto(f"{server['url']}/documents/{doc_id}")
    assert page.locator("script").count() == 0
    assert "<img src=x" in page.locator(".doctext").inner_text()
    assert "<script>" in page.locator("h1").inner_text()
    page.hover(".doctext")
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "script_report.png"), full_page=True)
