"""Ingest: idempotent, resumable after kill -9, and every failure recorded."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.ingest import ingest
from newstrace.store import SQLiteStore

NEWSTRACE = str(Path(sys.executable).with_name("newstrace"))

article_texts = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300).filter(str.strip),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=article_texts)
def test_ingesting_the_same_files_twice_changes_nothing(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("corpus")
    for i, text in enumerate(texts):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    with SQLiteStore(str(tmp_path_factory.mktemp("db") / "store.db")) as store:
        first = ingest([str(folder)], store, extract=False)
        before = _rows(store)
        second = ingest([str(folder)], store, extract=False)
        assert not second.stored.added and not second.stored.updated
        assert _rows(store) == before
        assert len(first.stored.added) + first.failed == len(texts)


def _rows(store) -> list[tuple]:
    return [tuple(row) for row in store.db.execute("SELECT id, data FROM documents ORDER BY id")]


def test_failures_are_stored_and_good_inputs_still_go_in(tmp_path):
    (tmp_path / "good.txt").write_text("A good article about the harbour.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text('{"text": "fine line"}\n{oops\n')
    with SQLiteStore(str(tmp_path / "s.db")) as store:
        report = ingest([str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "bad.jsonl")], store, extract=False)
        assert report.read == 2 and report.failed == 2
        assert {(e["path"].split("/")[-1], e["position"]) for e in store.errors()} == {("empty.txt", ""), ("bad.jsonl", "line 2")}


def test_a_run_killed_half_way_then_rerun_stores_every_document_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = 600
    for i in range(total):
        body = " ".join(f"<p>Paragraph {j} of report {i}: the council met on Monday and agreed a plan for the harbour.</p>" for j in range(8))
        (corpus / f"{i:04d}.html").write_text(f"<html><head><title>Report {i}</title></head><body><article>{body}</article></body></html>")
    db = tmp_path / "s.db"
    command = [NEWSTRACE, "ingest", "--no-extract", "--no-link", "--db", str(db), str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and _count(db) < 64 and process.poll() is None:
        time.sleep(0.05)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored_at_kill = _count(db)
    assert 0 < stored_at_kill < total, "the run should be killed part way"
    assert subprocess.run(command, capture_output=True).returncode == 0
    assert _count(db) == total
    ids = [row[0] for row in sqlite3.connect(db).execute("SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) == total


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_the_sink_puts_in_batches_records_errors_counts_and_links_after(tmp_path):
    from newstrace.ingest import Sink, process_items
    from newstrace.readers import read_paths

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"{i}.txt").write_text(f"Report {i} about the harbour strike in Rotterdam.")
    (corpus / "empty.txt").write_bytes(b"")
    progress, failures, linked = [], [], []
    with SQLiteStore(str(tmp_path / "s.db")) as store:
        items = process_items(read_paths([str(corpus)]), extract=False)
        sink = Sink(store, batch_size=2, on_progress=progress.append, on_error=failures.append).put_all(items)
        report = sink.close(linker=lambda s: linked.append(s) or "linked")
        assert (report.read, report.failed, len(report.stored.added), report.linked) == (5, 1, 5, "linked")
        assert sum(progress) == 5 and len(progress) == 3 and linked == [store]
        assert [e.source for e in failures] == [str(corpus / "empty.txt")] and len(list(store.errors())) == 1
        again = Sink(store).put_all(process_items(read_paths([str(corpus)]), extract=False)).close(link_after=False)
        assert len(again.stored.unchanged) == 5 and not again.stored.added and again.linked is None
