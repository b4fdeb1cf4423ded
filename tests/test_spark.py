"""Spark: the same pipeline in executors, failures as rows, and an export byte-identical to `ingest`.

Spark runs in local mode (`local[2]`) with one session for the whole test
run. Without pyspark or Java the Spark tests skip, saying which is missing.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newstrace import spark as ns
from newstrace.errors import UsageError
from newstrace.model import Document, ReadError, Record

from spark_fixtures import (  # noqa: F401
    _errors, _export, _on_spark, _same_export, _single_machine, corpus, corpus_runs, small_corpus,
)


def test_spark_run_then_import_exports_byte_identical_json_to_ingest(corpus_runs):
    expected, imported, report, ingested = (corpus_runs[k] for k in ("expected", "imported", "report", "ingested"))
    exported = _export(imported)
    assert (report.documents, report.errors) == (ingested.read, ingested.failed)
    assert report.documents >= 280
    assert _same_export(exported, _export(expected))
    assert any(doc["links"] for doc in json.loads(exported)["documents"]), "the corpus should hold copies to link"
    assert _errors(imported) == _errors(expected)



def test_spark_with_full_extraction_exports_byte_identical_json_to_ingest(spark, small_corpus, tmp_path):
    paths = [str(small_corpus)]
    expected, _ = _single_machine(paths, tmp_path / "one.db", extract=True)
    report, imported = _on_spark(spark, paths, tmp_path / "out", tmp_path / "spark.db", extract=True)
    exported = json.loads(_export(imported))
    assert report.documents >= 20
    assert sum(bool(doc["entities"]) for doc in exported["documents"]) >= 15
    assert _same_export(_export(imported), _export(expected))


def test_documents_are_partitioned_by_publication_month(spark, small_corpus, tmp_path):
    ns.run_spark([str(small_corpus / "examples")], str(tmp_path / "out"), spark, extract=False)
    months = sorted(p.name for p in (tmp_path / "out" / "documents").iterdir() if p.is_dir())
    assert months == ["month=2026-01", "month=2026-02", "month=2026-03"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["documents"] == 7 and manifest["files"] == 5


# -- failures are rows ---------------------------------------------------------


def test_bad_files_in_the_middle_of_a_run_become_error_rows_and_the_rest_goes_in(spark, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a_good.txt").write_text("A good article about the harbour and the strike in Rotterdam.")
    (corpus / "b_empty.txt").write_bytes(b"")
    (corpus / "c_half_bad.jsonl").write_text('{"text": "A fine line about the port."}\n{oops\n{"text": "Another fine line."}\n')
    (corpus / "d_truncated.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" * 50)[:60])
    (corpus / "e_binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "f_good.html").write_text("<html><body><article><p>Ships wait at anchor off the port of Antwerp, officials said.</p></article></body></html>")
    paths = [str(corpus), str(tmp_path / "not_there.txt")]

    expected, _ = _single_machine(paths, tmp_path / "one.db", extract=False)
    report, imported = _on_spark(spark, paths, tmp_path / "out", tmp_path / "spark.db", extract=False)

    assert report.errors == len(_errors(expected)) >= 3
    assert _errors(imported) == _errors(expected)
    assert {e[0].rsplit("/", 1)[-1] for e in _errors(imported)} >= {"b_empty.txt", "c_half_bad.jsonl", "not_there.txt"}
    assert _export(imported) == _export(expected)
    assert imported.stats()["documents"] >= 4


def test_a_reader_that_raises_costs_one_error_row_not_the_partition(monkeypatch):
    def crashing_reader(path, max_bytes):
        yield Record(source=path, position="line 1", body="A first article that reads fine.")
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ns, "read_file", crashing_reader)
    rows = list(ns.process_partition([(0, "bad.jsonl", False), (1, "next.txt", False)], extract=False))
    kinds = [(row[0], row[1], row[2]) for row in rows]
    assert kinds == [("document", 0, 0), ("error", 0, 1), ("document", 1, 0), ("error", 1, 1)]
    assert "processing stopped part way (RuntimeError: reader bug)" == rows[1][9]


def test_a_missing_path_becomes_the_same_error_row_ingest_records():
    rows = list(ns.process_partition([(3, "gone/*.txt", True)], extract=False))
    assert [row[:3] for row in rows] == [("error", 3, 0)]
    assert rows[0][7:] == ("gone/*.txt", None, "no such file or folder", "check the path, or quote a glob so the shell does not expand it")


# -- the driver lists, never reads -----------------------------------------------


def test_input_tasks_list_files_in_ingest_order_and_keep_missing_paths(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.txt", "a.txt", "b/.hidden.txt"):
        (tmp_path / name).write_text("x")
    tasks = ns.input_tasks([str(tmp_path / "b"), str(tmp_path / "*.txt"), str(tmp_path / "nothing")])
    assert [(i, Path(p).name if not missing else p.rsplit("/", 1)[-1], missing) for i, p, missing in tasks] == [
        (0, "1.txt", False), (1, "2.txt", False), (2, "a.txt", False), (3, "nothing", True)]


def test_standard_input_is_refused_with_a_usage_error():
    with pytest.raises(UsageError, match="standard input"):
        ns.input_tasks(["-"])


@pytest.mark.parametrize("published, month", [
    ("2026-03-11", "2026-03"),
    ("2026-03", "2026-03"),
    (None, "unknown"),
    ("", "unknown"),
    ("11 March 2026", "unknown"),
])
def test_month_of_names_the_partition_of_a_publication_date(published, month):
    assert ns.month_of(published) == month


def test_document_rows_hold_the_document_json_exactly_as_to_dict_gives_it():
    doc = Document(id="abc", source={"path": "x.txt", "position": None}, text="Häfen «streiken».", published="2026-01-02",
                   sentences=[[0, 17]], figures=[{"value": 0.1 + 0.2}])
    row = ns.to_row(4, 2, doc)
    assert row[:6] == ("document", 4, 2, "abc", "2026-01-02", "2026-01")
    assert row[6] == json.dumps(doc.to_dict(), ensure_ascii=False)
    assert Document.from_dict(json.loads(row[6])) == doc


def test_error_rows_keep_file_position_reason_and_hint():
    row = ns.to_row(1, 0, ReadError("f.jsonl", "line 2", "not JSON", "fix the line"))
    assert row == ("error", 1, 0, None, None, None, None, "f.jsonl", "line 2", "not JSON", "fix the line")


def test_run_spark_refuses_a_non_empty_output_folder(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(UsageError, match="not empty"):
        ns.run_spark(["examples"], str(tmp_path), spark=object())


def test_import_dir_refuses_a_folder_that_is_not_a_spark_output(tmp_path):
    with pytest.raises(UsageError, match="no documents/"):
        ns.import_dir(str(tmp_path), store=None, spark=object())


def test_a_session_without_java_is_refused_with_a_one_line_usage_error(monkeypatch):
    monkeypatch.setattr(ns, "spark_available", lambda: "no Java runtime (install openjdk-17-jre-headless, or set JAVA_HOME)")
    with pytest.raises(UsageError, match="Spark cannot run here: no Java runtime"):
        ns.spark_session("local[1]")



