"""Schemathesis against the served OpenAPI schema, on a SQLite store ingested from examples/ (slow).

Every check schemathesis has (`--checks all`): no server error, every status,
content type, header and body as the schema declares them, invalid data
rejected, a missing or wrong token refused, a 405 with Allow for a method a path
does not take. The path ids are those of the seeded store, so the pages with
data are fuzzed, not only their 404s. The run is short (MAX_EXAMPLES per
operation and phase, a fixed seed); the number of cases run is printed and
written to test-artifacts/schemathesis.txt.
"""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -r requirements.lock)")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "schemathesis-token"
MAX_EXAMPLES = 25
SEED = 19
#: Two answers to schema-valid data that depend on what the data says, not on its shape: a search query is
#: a query language, and a string may be a malformed FTS5 query (with syntax=fts, or with an operator): 400;
#: an upload's body is any bytes, and bytes that hold no news report store nothing: 422 (see the README).
#: The other operations keep schemathesis's default expectations.
CONFIG = """
[parameters]
doc_id = "{doc}"
a = "{a}"
b = "{b}"
story_id = "{story}"
global_id = "{entity}"

[[operations]]
include-path = "/api/v1/search"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]

[[operations]]
include-path = "/api/v1/documents"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """examples/ ingested and linked into a SQLite store, served with an upload token on a free local port."""
    import uvicorn

    from newstrace import query
    from newstrace.ingest import ingest
    from newstrace.store import open_store
    from newstrace.web import create_app

    folder = tmp_path_factory.mktemp("schemathesis")
    db = str(folder / "seeded.db")
    with open_store(db) as store:
        ingest([str(ROOT / "examples")], store)
        link = query.link_page(store, limit=1)["items"][0]
        doc = query.document(store, link["a"])
        entity = next(e["global_id"] for e in doc["entities"] if e.get("global_id"))
        ids = {"doc": doc["id"], "a": link["a"], "b": link["b"], "story": doc["story"], "entity": entity}
    config = folder / "schemathesis.toml"
    config.write_text(CONFIG.format(**ids), encoding="utf-8")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "config": config, "folder": folder}
    server.should_exit = True
    thread.join(timeout=10)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(served):
    command = [sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(served["config"]), "run",
               f"{served['url']}/api/v1/openapi.json", "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
               "--seed", str(SEED), "--workers", "1", "-H", f"Authorization: Bearer {TOKEN}"]
    # Run in the store's folder: schemathesis keeps its cache of past failures (.schemathesis/) in the working folder.
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=served["folder"])
    output = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated", output)
    summary = f"schemathesis: {generated.group(1) if generated else '?'} cases generated (max {MAX_EXAMPLES} examples, seed {SEED})"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "schemathesis.txt").write_text(f"{summary}\n\n{output}", encoding="utf-8")
    print(summary)
    assert done.returncode == 0, output[-6000:]
    assert generated and int(generated.group(1)) > 0, output[-2000:]
