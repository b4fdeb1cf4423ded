"""Spark: the same pipeline in executors, failures as rows, and an export byte-identical to `ingest`.

Spark runs in local mode (`local[2]`) with one session for the whole test
run. Without pyspark or Java the Spark tests skip, saying which is missing.
"""
from __future__ import annotations

import gzip
import json
import socket
import sys
from pathlib import Path

import pytest
from pg import postgres_database, postgres_server, postgres_url  # noqa: F401

from newstrace import cli
from newstrace import spark as ns
from newstrace.errors import UsageError
from newstrace.spark import runner, session
from newstrace.ingest import ingest
from newstrace.model import Document, ReadError, Record
from newstrace.readers import read_file
from newstrace.store import open_store

from spark_fixtures import (  # noqa: F401
    _errors, _export, _import, _on_spark, _same_export, _single_machine, _write_corpus, _write_tricky_jsonl,
    _write_wire_jsonl, corpus, corpus_runs, small_corpus,
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


def test_each_layer_is_a_parquet_table_of_its_records_with_the_words_they_stand_on(spark, small_corpus, tmp_path):
    report, store = _on_spark(spark, [str(small_corpus / "examples")], tmp_path / "out", tmp_path / "spark.db", extract=True)
    exported = json.loads(_export(store))["documents"]
    for layer in ("entities", "times", "figures", "quotes", "attributions", "events"):
        rows = spark.read.parquet(str(tmp_path / "out" / "layers" / layer)).collect()
        assert len(rows) == sum(len(doc[layer]) for doc in exported), layer
        texts = {doc["id"]: doc["text"] for doc in exported}
        for row in rows:
            assert row["text"] == texts[row["doc"]][row["start"]:row["end"]], (layer, row["text"])
    events = spark.read.parquet(str(tmp_path / "out" / "layers" / "events"))
    assert events.where("label = 'CONSULT'").count() >= 1 and "month" in events.columns


def test_json_export_on_demand_is_the_export_of_an_imported_store(spark, small_corpus, tmp_path):
    ns.run_spark([str(small_corpus / "examples")], str(tmp_path / "out"), spark, extract=False, link=True)
    ns.export_json(str(tmp_path / "out"), str(tmp_path / "corpus.json"), spark)
    expected, _ = _single_machine([str(small_corpus / "examples")], tmp_path / "one.db", extract=False)
    assert _same_export((tmp_path / "corpus.json").read_text(encoding="utf-8"), _export(expected))


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

    monkeypatch.setattr(runner, "read_file", crashing_reader)
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
    monkeypatch.setattr(session, "spark_available", lambda: "no Java runtime (install openjdk-17-jre-headless, or set JAVA_HOME)")
    with pytest.raises(UsageError, match="Spark cannot run here: no Java runtime"):
        ns.spark_session("local[1]")


# -- byte ranges of large JSON Lines files ------------------------------------------


class _OnTheDriver:
    """Just enough of a SparkSession for `number_ranges`, run in this process: `parallelize(...).map(f).collect()`."""

    class sparkContext:  # noqa: N801 - the attribute name a session has
        @staticmethod
        def parallelize(items, slices):
            return _OnTheDriver._Items(items)

    class _Items(list):
        def map(self, function):
            return _OnTheDriver._Items(map(function, self))

        def collect(self):
            return list(self)


def _read_in_ranges(path: Path, split_bytes: int, max_bytes: int) -> tuple[list, list[ns.Task]]:
    tasks = ns.number_ranges(_OnTheDriver, ns.byte_range_tasks([(0, str(path), False)], split_bytes))
    return [item for task in tasks for item in ns.read_task(task, max_bytes)], tasks


def test_byte_ranges_of_any_size_read_every_line_once_with_its_line_number(tmp_path):
    path = _write_tricky_jsonl(tmp_path / "tricky.jsonl", long_line=400)
    whole = list(read_file(str(path), max_bytes=300))
    assert [getattr(item, "reason", "record") for item in whole].count("record") >= 5
    assert any("longer than" in getattr(item, "reason", "") for item in whole)
    size = path.stat().st_size
    for split_bytes in (1, 2, 3, 7, 64, 150, 299, size - 1, size):
        items, tasks = _read_in_ranges(path, split_bytes, max_bytes=300)
        assert items == whole, f"split every {split_bytes} bytes"
        assert len(tasks) == -(-size // split_bytes)


def test_byte_range_tasks_split_only_large_json_lines_files_by_their_name(tmp_path):
    for name, size in (("big.jsonl", 1000), ("small.ndjson", 300), ("big.jsonl.gz", 1000), ("big.txt", 1000)):
        (tmp_path / name).write_bytes(b"x" * size)
    files = ns.input_tasks([str(tmp_path / n) for n in ("big.jsonl", "small.ndjson", "big.jsonl.gz", "big.txt", "gone.jsonl")])
    tasks = ns.byte_range_tasks(files, split_bytes=300)
    assert [(t.file_index, t.range_index, t.start, t.end) for t in tasks] == [
        (0, 0, 0, 300), (0, 1, 300, 600), (0, 2, 600, 900), (0, 3, 900, 1000),
        (1, 0, 0, None), (2, 0, 0, None), (3, 0, 0, None), (4, 0, 0, None)]
    assert tasks[-1].missing


def test_a_json_lines_name_over_gzip_bytes_is_read_whole_by_its_first_range(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_bytes(gzip.compress(b"".join(b'{"text": "Line %d about the port strike."}\n' % i for i in range(200))))
    items, tasks = _read_in_ranges(path, split_bytes=100, max_bytes=1 << 20)
    assert len(tasks) > 3 and items == list(read_file(str(path)))
    assert [ns.count_task_lines(task) for task in tasks] == [0] * len(tasks)


def test_items_of_later_ranges_sort_after_earlier_ranges_in_one_file(tmp_path):
    path = _write_tricky_jsonl(tmp_path / "tricky.jsonl", long_line=10)
    _, tasks = _read_in_ranges(path, split_bytes=40, max_bytes=300)
    rows = list(ns.process_partition(tasks, extract=False, max_bytes=300))
    keys = [(row[1], row[2]) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) and keys[-1][1] >= ns.RANGE_STRIDE


def test_split_bytes_below_one_is_refused_with_a_usage_error():
    with pytest.raises(UsageError, match="--split-bytes 0: not a positive number of bytes"):
        ns.byte_range_tasks([(0, "x.jsonl", False)], split_bytes=0)


def test_a_large_jsonl_file_in_byte_ranges_exports_byte_identical_json_to_ingest(spark, tmp_path):
    path, split_bytes = _write_wire_jsonl(tmp_path / "in" / "wire.jsonl", count=60)
    lines = path.read_bytes().split(b"\n")
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    assert split_bytes in starts, "a line should start exactly at a range boundary"
    assert b"{oops" in lines and b"" in lines[:-1], "the file should hold a bad line and a blank one"
    paths = [str(path.parent)]

    expected, _ = _single_machine(paths, tmp_path / "one.db", extract=False)
    report = ns.run_spark(paths, str(tmp_path / "out"), spark, extract=False, split_bytes=split_bytes)
    imported = _import(spark, tmp_path / "out", tmp_path / "spark.db")

    assert report.tasks == -(-path.stat().st_size // split_bytes) >= 5
    assert _same_export(_export(imported), _export(expected))
    assert _errors(imported) == _errors(expected) and any(e[1] for e in _errors(imported))
    assert imported.stats()["documents"] >= 50


# -- --out postgresql:// ------------------------------------------------------------


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["newstrace", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return exited.value.code, capsys.readouterr().err


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("target, code, message", [
    ("127.0.0.1:{port}/news", 1, "cannot connect to PostgreSQL"),
    ("[::1/news", 2, "not a valid PostgreSQL URL"),
])
def test_spark_out_postgresql_that_cannot_be_reached_fails_in_one_line_before_spark_starts(monkeypatch, capsys, tmp_path, target, code, message):
    pytest.importorskip("psycopg")
    monkeypatch.setattr(runner, "spark_session", lambda *a, **k: pytest.fail("Spark started before the store was checked"))
    (tmp_path / "a.txt").write_text("A short report about the harbour strike.")
    target = target.format(port=_closed_port())
    got, err = _cli(monkeypatch, capsys, "spark", str(tmp_path), "--out", f"postgresql://newstrace:s3cret@{target}")
    assert got == code
    assert err.count("\n") == 1 and err.startswith(f"newstrace: {target}: {message}") and " — " in err
    assert "s3cret" not in err and "Traceback" not in err


def test_spark_into_postgresql_matches_ingest_and_keeps_documents_already_stored(spark, postgres_url, tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", count=40, seed=5)
    (corpus / "half_bad.jsonl").write_text('{"text": "A fine line about the port."}\n{oops\n')
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("date 2026-01-05\nHarbour talks\n\nUnion leaders met port owners in Rotterdam on Monday.\n")
    paths = [str(corpus), str(earlier)]
    expected, _ = _single_machine([str(earlier)], tmp_path / "one.db", extract=False)
    ingest(paths, expected, extract=False)
    with open_store(postgres_url) as team:
        ingest([str(earlier)], team, extract=False)

    report, imported = ns.run_spark_into_store(paths, postgres_url, spark, stage=str(tmp_path / "stage"), extract=False, split_bytes=3000)

    assert report.tasks > report.files and imported.documents == report.documents
    assert not (tmp_path / "stage").exists(), "the stage is removed after a good import"
    with open_store(postgres_url) as team:
        exported = _export(team)
        assert _errors(team) == _errors(expected) and any("half_bad" in e[0] for e in _errors(team))
    assert _same_export(exported, _export(expected))
    assert any(doc["links"] for doc in json.loads(exported)["documents"])


def test_cli_spark_out_postgresql_imports_links_and_keeps_the_stage_when_asked(spark, postgres_url, monkeypatch, capsys, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Union leaders met the owners in Rotterdam on Monday to end the strike.\n")
    (tmp_path / "in" / "b.txt").write_text("Union leaders met the owners in Rotterdam on Monday to end the strike.\n")
    stage = tmp_path / "stage"
    code, err = _cli(monkeypatch, capsys, "spark", str(tmp_path / "in"), "--out", postgres_url, "--master", "local[2]",
                     "--no-extract", "--stage", str(stage), "--keep-stage")
    assert code == 0, err
    assert (stage / "manifest.json").exists() and "imported 2 documents (2 new)" in err
    with open_store(postgres_url) as team:
        assert team.stats()["documents"] == 2
        assert [doc["links"][0]["kind"] for doc in json.loads(_export(team))["documents"]] == ["exact_copy"] * 2


def test_stage_without_a_postgresql_out_is_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(ns, "spark_session", lambda *a, **k: pytest.fail("Spark started"))
    code, err = _cli(monkeypatch, capsys, "spark", str(tmp_path), "--out", str(tmp_path / "run"), "--stage", str(tmp_path / "s"))
    assert code == 2 and err.startswith("newstrace: --stage: only used with --out postgresql://")
