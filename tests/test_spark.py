"""Spark: the same pipeline in executors, failures as rows, and an export byte-identical to `ingest`.

Spark runs in local mode (`local[2]`) with one session for the whole test
run. Without pyspark or Java the Spark tests skip, saying which is missing.
"""
from __future__ import annotations

import gzip
import io
import json
import random
import shutil
from pathlib import Path

import pytest

from newstrace import spark as ns
from newstrace.errors import UsageError
from newstrace.export import write_json
from newstrace.ingest import ingest
from newstrace.link.copies import COPY_KINDS
from newstrace.model import Document, ReadError, Record
from newstrace.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REAL_NEWS = ROOT.parent / "shared" / "data" / "real-news"
#: Reports written one per text or HTML file; the rest go into JSONL files.
LOOSE_FILES = 40
LOCAL_CONF = {"spark.driver.memory": "1g", "spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}


@pytest.fixture(scope="session")
def spark():
    missing = ns.spark_available()
    if missing:
        pytest.skip(f"Spark cannot run here: {missing}")
    session = ns.spark_session("local[2]", LOCAL_CONF, app_name="newstrace-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# -- a corpus made from the examples and the real news pages -------------------


def _sentences() -> list[str]:
    """Sentences to build reports from: the example reports, and real pages' text when ../shared is here."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(REAL_NEWS.glob("html/newspaper4k/*.expected.txt"))]
    found = []
    for text in texts:
        for paragraph in text.split("\n"):
            found += [s.strip() + "." for s in paragraph.split(". ") if len(s.split()) >= 6]
    return found


def _reports(rng: random.Random, pool: list[str], count: int) -> list[dict]:
    """Reports of 3 to 8 sentences over a few months; some are exact or near copies of earlier ones."""
    reports: list[dict] = []
    for i in range(count):
        if reports and rng.random() < 0.15:
            copy = dict(rng.choice(reports))
            if rng.random() < 0.5:
                copy["text"] = copy["text"] + " " + rng.choice(pool)
            reports.append({**copy, "url": f"https://copy.example.net/{i}", "outlet": "copy.example.net"})
            continue
        body = " ".join(rng.sample(pool, rng.randint(3, 8)))
        month, day = rng.randint(1, 4), rng.randint(1, 28)
        reports.append({"title": f"Report {i}: {body.split(' ', 6)[-2]}", "text": body, "date": f"2026-{month:02d}-{day:02d}",
                        "url": f"https://wire.example.com/{i % 230}", "outlet": "wire.example.com"})
    return reports


def _write_corpus(folder: Path, count: int, seed: int) -> Path:
    """JSONL, text and HTML files holding `count` reports, plus the examples."""
    rng = random.Random(seed)
    reports = _reports(rng, _sentences(), count)
    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLES, folder / "examples")
    # Most reports go into JSONL files, so the run has a few dozen files (Spark tasks), not hundreds.
    loose = min(LOOSE_FILES, count // 2)
    jsonl, rest = reports[: count - loose], reports[count - loose:]
    for n in range(0, len(jsonl), 40):
        lines = [json.dumps(r, ensure_ascii=False) for r in jsonl[n:n + 40]]
        (folder / f"wire_{n // 40:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i, report in enumerate(rest):
        if i % 2:
            (folder / f"page_{i:03d}.txt").write_text(f"date {report['date']}\n{report['title']}\n\n{report['text']}\n", encoding="utf-8")
        else:
            (folder / f"page_{i:03d}.html").write_text(_html(report), encoding="utf-8")
    return folder


def _html(report: dict) -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in report["text"].split(". "))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{report["title"]}</title>'
            f'<meta property="article:published_time" content="{report["date"]}T08:30:00+01:00">'
            f'<link rel="canonical" href="{report["url"]}"></head><body><nav><a href="/">Home</a></nav>'
            f'<article><h1>{report["title"]}</h1>{paragraphs}</article><footer>Share this article</footer></body></html>')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """About 300 generated reports in three formats, the examples, and the real feeds when ../shared is here."""
    folder = _write_corpus(tmp_path_factory.mktemp("spark") / "corpus", count=280, seed=7)
    if REAL_NEWS.exists():
        shutil.copytree(REAL_NEWS / "feeds", folder / "feeds")
    return folder


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """About 25 reports for full extraction: the examples, real pages and their expected texts, a WARC."""
    folder = _write_corpus(tmp_path_factory.mktemp("spark") / "small", count=6 if REAL_NEWS.exists() else 16, seed=11)
    if REAL_NEWS.exists():
        for part in ("html", "warc", "news-please"):
            shutil.copytree(REAL_NEWS / part, folder / part, ignore=shutil.ignore_patterns("*.json"))
    return folder


# -- helpers -----------------------------------------------------------------


def _export(store) -> str:
    out = io.StringIO()
    write_json(store, out)
    return out.getvalue()


def _same_export(got: str, expected: str) -> bool:
    """Byte equality, failing with the first document and field that differ."""
    if got == expected:
        return True
    got_json, expected_json = json.loads(got), json.loads(expected)
    for name in expected_json:
        if name != "documents":
            assert got_json[name] == expected_json[name], f"{name} differ"
    for mine, theirs in zip(got_json["documents"], expected_json["documents"]):
        fields = [k for k in theirs if mine.get(k) != theirs[k]]
        assert not fields, f"document {theirs['id']} ({theirs['source']}) differs in {fields}"
    assert len(got_json["documents"]) == len(expected_json["documents"])
    return False


def _errors(store) -> list[tuple]:
    return [(e["path"], e["position"], e["reason"], e["hint"], e["count"]) for e in store.errors()]


def _single_machine(paths: list[str], db: Path, extract: bool) -> tuple[SQLiteStore, object]:
    store = SQLiteStore(str(db))
    return store, ingest(paths, store, extract=extract)


def _on_spark(spark, paths: list[str], out: Path, db: Path, extract: bool) -> tuple[ns.SparkReport, SQLiteStore]:
    report = ns.run_spark(paths, str(out), spark, extract=extract)
    store = SQLiteStore(str(db))
    ns.import_dir(str(out), store, spark)
    return report, store


# -- equivalence ---------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_runs(spark, corpus, tmp_path_factory) -> dict:
    """The corpus without extraction, ingested on one machine and run on Spark then imported."""
    tmp = tmp_path_factory.mktemp("runs")
    expected, ingested = _single_machine([str(corpus)], tmp / "one.db", extract=False)
    report, imported = _on_spark(spark, [str(corpus)], tmp / "out", tmp / "spark.db", extract=False)
    yield {"expected": expected, "ingested": ingested, "report": report, "imported": imported, "out": tmp / "out"}
    expected.close()
    imported.close()


def test_spark_run_then_import_exports_byte_identical_json_to_ingest(corpus_runs):
    expected, imported, report, ingested = (corpus_runs[k] for k in ("expected", "imported", "report", "ingested"))
    exported = _export(imported)
    assert (report.documents, report.errors) == (ingested.read, ingested.failed)
    assert report.documents >= 280
    assert _same_export(exported, _export(expected))
    assert any(doc["links"] for doc in json.loads(exported)["documents"]), "the corpus should hold copies to link"
    assert _errors(imported) == _errors(expected)


def test_copy_links_on_spark_are_the_single_machine_linkers(spark, corpus_runs):
    expected = {(a, b, kind) for a, b, kind in corpus_runs["expected"].all_links() if kind in COPY_KINDS}
    found = {(link["a"], link["b"], link["kind"]) for link in ns.copy_links(spark, str(corpus_runs["out"])).collect()}
    assert len(expected) >= 20
    assert found == expected


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


def test_bucket_pairs_pair_each_document_with_its_earlier_bucket_mates_only():
    members = [((0, 2), "c"), ((0, 0), "a"), ((1, 0), "d"), ((0, 1), "b")]
    assert list(ns.bucket_pairs(members)) == [("b", "a"), ("c", "a"), ("c", "b"), ("d", "a"), ("d", "b"), ("d", "c")]


def test_bucket_pairs_cap_candidates_and_skip_stop_keys(monkeypatch):
    monkeypatch.setattr(ns, "MAX_CANDIDATES", 2)
    members = [((0, i), f"d{i}") for i in range(5)]
    assert [pair for pair in ns.bucket_pairs(members) if pair[0] == "d4"] == [("d4", "d2"), ("d4", "d3")]
    monkeypatch.setattr(ns, "MAX_DOCS_PER_KEY", 4)
    assert list(ns.bucket_pairs(members)) == []
