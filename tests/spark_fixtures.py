"""Spark fixtures shared by the runner and linking tests: one local session, generated corpora, both routes run."""
from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import pytest

from newstrace import spark as ns
from newstrace.export import write_json
from newstrace.ingest import ingest
from newstrace.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REAL_NEWS = ROOT.parent / "shared" / "data" / "real-news"
#: Reports written one per text or HTML file; the rest go into JSONL files.
LOOSE_FILES = 40


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
    return report, _import(spark, out, db)


def _import(spark, out: Path, db: Path) -> SQLiteStore:
    store = SQLiteStore(str(db))
    ns.import_dir(str(out), store, spark)
    return store


# -- JSON Lines files to read in byte ranges ---------------------------------------


def _write_tricky_jsonl(path: Path, long_line: int) -> Path:
    """Records, a blank and a blank-looking line, bad JSON, a `long_line`-character text, CRLF, no final newline."""
    lines = [
        json.dumps({"title": "One", "text": "Häfen «streiken» in Hamburg – 東京 too.", "date": "2026-01-02"}, ensure_ascii=False),
        "",
        "{oops",
        json.dumps({"text": "Long " + "x" * long_line}),
        json.dumps({"text": "A line that ends in CRLF."}) + "\r",
        "   ",
        "[1, 2]",
        json.dumps({"title": "No text"}),
        json.dumps({"text": "Dockers in Antwerp joined the strike.", "url": "https://wire.example.com/a"}),
        json.dumps({"text": "Ships wait at anchor off Rotterdam."}),
        json.dumps({"text": "The last line, without a newline."}),
    ]
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


def _write_wire_jsonl(path: Path, count: int) -> tuple[Path, int]:
    """`count` generated reports with a bad and a blank line; and a split size at which a line starts exactly."""
    lines = [json.dumps(r, ensure_ascii=False) for r in _reports(random.Random(3), _sentences(), count)]
    lines[10:10] = ["{oops"]
    lines[20:20] = [""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    boundary_line = len(lines) // 6
    return path, sum(len(line.encode("utf-8")) + 1 for line in lines[:boundary_line])


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
