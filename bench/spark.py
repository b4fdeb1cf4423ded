"""Throughput of single-process ingest, `--workers 2`, and Spark local[1] / local[2] on the same documents.

    .venv/bin/python bench/spark.py [--docs 2000] [--extract-docs 200] [--link-docs 10000] [--link-corpus stories|zipf]
                                    [--link-single-max 20000] [--files 16] [--shared ../shared]

The corpus is `--files` JSON Lines files (news-please-shaped lines) whose
reports are paragraphs of ../shared/seeds shuffled into distinct articles of
about 800 words, as CC-NEWS WARC files hold many articles each. The big run
(`--docs`) is `--no-extract` (read, clean, id, store or Parquet); the
full-extraction run (`--extract-docs`) is smaller because extraction costs
about 100 times more per document.

Every mode runs in a fresh child process. Ingest writes to SQLite without
linking (`--no-link`); Spark writes Parquet. Rates exclude start-up, which is
reported on its own: for ingest the CLI start-up on one tiny file, for Spark
the SparkSession start plus a first job over 2 tiny files (Python workers
spawned, spaCy loaded when extracting). `import` (Parquet to SQLite, then
linking, up to LINK_AT_MOST documents) is timed once, for local[2].

Linking (`--link-docs`) compares the single-machine `link(store)` with
`spark.link.link_on_spark` (`--link-master`, local[2] by default) on the same
documents, in the same order. `--link-corpus stories` (the default) is
`bench/link_scale.py`'s synthetic corpus: stories of 1 to 8 reports with
entities and events already set, so global entities, copies, stories and
event clusters are all linked. `--link-corpus zipf` is distinct made-up
reports of a Zipf vocabulary (a tenth copies) read with `--no-extract`: copy
and story linking only, and every document meets the candidate caps, the
worst case for the comparisons. It prints whether the two found identical
links, the pairs each compared, and Spark's time per stage.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSTRACE = str(Path(sys.executable).with_name("newstrace"))
#: Linking is timed after import only up to this many documents: the generated reports all share
#: paragraphs, so each one has the maximum number of link candidates (bench/link_scale.py times linking).
LINK_AT_MOST = 500


def make_corpus(shared: Path, folder: Path, docs: int, files: int) -> None:
    """`docs` reports spread over `files` JSON Lines files."""
    paragraphs = [p.strip() for f in sorted((shared / "seeds").glob("*.txt")) for p in f.read_text().split("\n\n") if len(p.strip()) > 80]
    rng = random.Random(7)
    folder.mkdir(parents=True)
    outs = [open(folder / f"part-{n:03d}.jsonl", "w", encoding="utf-8") for n in range(files)]
    for i in range(docs):
        body = "\n\n".join(rng.sample(paragraphs, k=min(8, len(paragraphs))))
        line = {"title": f"Report {i}", "maintext": body, "date_publish": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00",
                "url": f"https://example.org/{i}", "source_domain": "example.org"}
        outs[i % files].write(json.dumps(line, ensure_ascii=False) + "\n")
    for out in outs:
        out.close()


def tiny_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in (1, 2):
        (folder / f"{n}.txt").write_text("The council met on Monday and agreed a plan for the harbour, officials said.")
    return folder


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-1500:]}")
    return time.perf_counter() - start


def ingest_rate(corpus: Path, tiny: Path, tmp: Path, workers: int, extract: bool) -> dict:
    """Seconds for `newstrace ingest --workers N --no-link`, less the start-up on a tiny input."""
    def command(path: Path, db: str) -> list[str]:
        return [NEWSTRACE, "ingest", "--db", str(tmp / db), "--workers", str(workers), "--no-link", str(path)] + ([] if extract else ["--no-extract"])

    startup = timed(command(tiny, f"tiny-{workers}-{extract}.db"))
    seconds = timed(command(corpus, f"run-{workers}-{extract}.db"))
    return {"startup": startup, "seconds": max(seconds - startup, 1e-9)}


def spark_rate(corpus: Path, tiny: Path, tmp: Path, master: str, extract: bool, import_too: bool = False) -> dict:
    """Run `child` in a fresh process: one JVM per master."""
    command = [sys.executable, __file__, "--child", master, str(corpus), str(tiny), str(tmp), "1" if extract else "0", "1" if import_too else "0"]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"spark {master} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(master: str, corpus: str, tiny: str, tmp: str, extract: bool, import_too: bool) -> None:
    from newstrace import spark as ns
    from newstrace.store import SQLiteStore

    tag = f"{master.strip('local[]')}-{int(extract)}"
    start = time.perf_counter()
    spark = ns.spark_session(master, {"spark.driver.memory": "2g", "spark.sql.shuffle.partitions": "4"})
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - start
    start = time.perf_counter()
    ns.run_spark([tiny], f"{tmp}/tiny-{tag}", spark, extract=extract)
    first_job = time.perf_counter() - start
    start = time.perf_counter()
    report = ns.run_spark([corpus], f"{tmp}/out-{tag}", spark, extract=extract)
    result = {"session": session, "first_job": first_job, "seconds": time.perf_counter() - start, "documents": report.documents}
    if import_too:
        start = time.perf_counter()
        with SQLiteStore(f"{tmp}/import-{tag}.db") as store:
            imported = ns.import_dir(f"{tmp}/out-{tag}", store, spark, link_after=False)
            result["import"] = time.perf_counter() - start
            result["imported"] = imported.documents
            if imported.documents <= LINK_AT_MOST:
                from newstrace.link import link

                start = time.perf_counter()
                link(store)
                result["link"] = time.perf_counter() - start
    spark.stop()
    print(json.dumps(result))


def run(docs: int, files: int, extract: bool, shared: Path, tmp: Path) -> None:
    corpus, tiny = tmp / f"corpus-{int(extract)}", tiny_corpus(tmp / "tiny")
    make_corpus(shared, corpus, docs, files)
    mode = "full extraction" if extract else "--no-extract"
    print(f"\n{docs} documents in {files} JSON Lines files, {mode}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'runner':<24} {'seconds':>8} {'docs/s':>8} {'start-up s':>11}")
    for workers in (1, 2):
        rate = ingest_rate(corpus, tiny, tmp, workers, extract)
        print(f"{'ingest --workers ' + str(workers):<24} {rate['seconds']:>8.1f} {docs / rate['seconds']:>8.1f} {rate['startup']:>11.1f}", flush=True)
    for master in ("local[1]", "local[2]"):
        rate = spark_rate(corpus, tiny, tmp, master, extract, import_too=master == "local[2]")
        startup = rate["session"] + rate["first_job"]
        print(f"{'spark ' + master:<24} {rate['seconds']:>8.1f} {docs / rate['seconds']:>8.1f} {startup:>11.1f}"
              f"   (session {rate['session']:.1f}s + first job {rate['first_job']:.1f}s)", flush=True)
        if "import" in rate:
            print(f"{'  import into SQLite':<24} {rate['import']:>8.1f} {rate['imported'] / rate['import']:>8.1f}")
        if "link" in rate:
            print(f"{'  then link (one core)':<24} {rate['link']:>8.1f} {rate['imported'] / rate['link']:>8.1f}")


def make_link_corpus(folder: Path, docs: int, files: int) -> None:
    """`docs` distinct reports of Zipf-distributed made-up words, a tenth of them exact or near copies."""
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(20_000)]
    cumulative = list(accumulate(1 / (n + 1) for n in range(len(vocabulary))))  # summed once, not per call
    folder.mkdir(parents=True)
    outs = [open(folder / f"part-{n:03d}.jsonl", "w", encoding="utf-8") for n in range(files)]
    bodies: list[str] = []
    for i in range(docs):
        if bodies and rng.random() < 0.1:
            body = rng.choice(bodies) + ("" if rng.random() < 0.5 else " An added closing sentence.")
        else:
            sentences = [" ".join(rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(12, 25))).capitalize() + "." for _ in range(rng.randint(8, 20))]
            body = " ".join(sentences)
        bodies.append(body)
        line = {"title": f"Report {i}", "maintext": body, "date_publish": f"2025-03-{1 + i % 28:02d} 10:00:00", "url": f"https://example.org/l{i}"}
        outs[i % files].write(json.dumps(line) + "\n")
    for out in outs:
        out.close()


def make_story_corpus(folder: Path, docs: int, files: int) -> None:
    """`bench/link_scale.py`'s synthetic stories, entities and events included, as ordered Document JSON lines.

    Document `i` is line `i % per_file` of file `i // per_file`: Spark's (file_index, item_index) order is generation order.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from link_scale import synthetic_documents

    folder.mkdir(parents=True)
    per_file = -(-docs // files)
    out = None
    for i, doc in enumerate(synthetic_documents(docs)):
        if i % per_file == 0:
            if out:
                out.close()
            out = open(folder / f"part-{i // per_file:03d}.jsonl", "w", encoding="utf-8")
        out.write(json.dumps({"file_index": i // per_file, "item_index": i % per_file, "doc": doc.to_dict()}) + "\n")
    if out:
        out.close()


def write_story_documents(spark, corpus: str, out_dir: str) -> int:
    """The `documents` table a `newstrace spark` run would write for the story corpus (no reading, no parse)."""
    from newstrace import spark as ns
    from newstrace.model import Document

    rows = spark.sparkContext.textFile(corpus).map(json.loads).map(lambda r: ns.to_row(r["file_index"], r["item_index"], Document.from_dict(r["doc"])))
    frame = spark.createDataFrame(rows, schema=ns._row_schema())
    ns._document_rows(frame).write.partitionBy("month").parquet(f"{out_dir}/{ns.DOCUMENTS}")
    return spark.read.parquet(f"{out_dir}/{ns.DOCUMENTS}").count()


def store_story_documents(store, corpus: str) -> None:
    """The same documents, into a single-machine store, in the same order."""
    from newstrace.model import Document

    for path in sorted(Path(corpus).glob("part-*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            store.put_documents(Document.from_dict(json.loads(line)["doc"]) for line in lines)


def link_child(corpus: str, tmp: str, master: str, single_max: str, kind: str) -> None:
    """Linking on Spark beside the single-machine linker, over the same documents."""
    from newstrace import spark as ns
    from newstrace.link import link
    from newstrace.spark.link import link_on_spark
    from newstrace.store import SQLiteStore

    spark = ns.spark_session(master, {"spark.driver.memory": "6g", "spark.sql.shuffle.partitions": "16"})
    spark.sparkContext.setLogLevel("ERROR")
    out = f"{tmp}/link-out"
    documents = write_story_documents(spark, corpus, out) if kind == "stories" else ns.run_spark([corpus], out, spark, extract=False).documents
    start = time.perf_counter()
    on_spark = link_on_spark(spark, out)
    spark_seconds = time.perf_counter() - start
    spark_links = {(r["a"], r["b"], r["kind"]) for r in spark.read.parquet(f"{out}/links/links").toLocalIterator()}
    single, single_links, single_report = None, None, None
    if documents <= int(single_max):
        with SQLiteStore(f"{tmp}/link.db") as store:
            if kind == "stories":
                store_story_documents(store, corpus)
            else:
                ns.import_dir(out, store, spark, link_after=False)
            start = time.perf_counter()
            single_report = link(store)
            single = time.perf_counter() - start
            single_links = set(store.all_links())
    spark.stop()
    print(json.dumps({"documents": documents, "spark": spark_seconds, "stages": on_spark.seconds, "spark_links": len(spark_links),
                      "single": single, "single_links": None if single_links is None else len(single_links),
                      "same": None if single_links is None else spark_links == single_links,
                      "pairs": on_spark.pairs_compared, "single_pairs": single_report and single_report.pairs_compared,
                      "event_pairs": on_spark.event_pairs, "single_event_pairs": single_report and single_report.event_pairs,
                      "rounds": on_spark.component_rounds}))


def link_run(docs: int, files: int, tmp: Path, master: str, single_max: int, kind: str) -> None:
    corpus = tmp / f"link-corpus-{kind}"
    (make_story_corpus if kind == "stories" else make_link_corpus)(corpus, docs, files)
    done = subprocess.run([sys.executable, __file__, "--link-child", str(corpus), str(tmp), master, str(single_max), kind],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"link bench failed:\n{done.stderr[-2000:]}")
    rate = json.loads(done.stdout.strip().splitlines()[-1])
    what = ("bench/link_scale.py's synthetic stories, with entities and events" if kind == "stories"
            else "--no-extract Zipf reports (a tenth copies)")
    print(f"\nlinking {rate['documents']} documents: {what}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'linker':<32} {'seconds':>8} {'docs/s':>8} {'links':>8}")
    if rate["single"] is None:
        print(f"{'link(store), one core':<32} not run (over --link-single-max)")
    else:
        print(f"{'link(store), one core':<32} {rate['single']:>8.1f} {rate['documents'] / rate['single']:>8.1f} {rate['single_links']:>8}")
    print(f"{'link_on_spark, ' + master:<32} {rate['spark']:>8.1f} {rate['documents'] / rate['spark']:>8.1f} {rate['spark_links']:>8}")
    print(f"  identical links: {rate['same']}; pairs compared {rate['pairs']} (single {rate['single_pairs']}); "
          f"event pairs {rate['event_pairs']} (single {rate['single_event_pairs']}); component rounds {rate['rounds']}")
    print("  Spark stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in rate["stages"].items()))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--link-child":
        link_child(*sys.argv[2:7])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        master, corpus, tiny, tmp, extract, import_too = sys.argv[2:8]
        child(master, corpus, tiny, tmp, extract == "1", import_too == "1")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents in the --no-extract run (0: skip it)")
    parser.add_argument("--extract-docs", type=int, default=200, help="documents in the full-extraction run (0: skip it)")
    parser.add_argument("--files", type=int, default=16, help="input files (Spark tasks)")
    parser.add_argument("--link-docs", type=int, default=10_000, help="documents in the linking comparison (0: skip it)")
    parser.add_argument("--link-corpus", choices=("zipf", "stories"), default="stories",
                        help="zipf: made-up Zipf reports, copy and story links only; stories: bench/link_scale.py's corpus, entities and events too")
    parser.add_argument("--link-master", default="local[2]", help="Spark master for the linking comparison")
    parser.add_argument("--link-single-max", type=int, default=20_000, help="run the single-machine linker only up to this many documents")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    from newstrace.spark import spark_available

    missing = spark_available()
    if missing:
        sys.exit(f"bench/spark.py: Spark cannot run here: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.docs:
            run(args.docs, args.files, False, Path(args.shared), Path(tmp))
        if args.extract_docs:
            run(args.extract_docs, args.files, True, Path(args.shared), Path(tmp))
        if args.link_docs:
            link_run(args.link_docs, args.files, Path(tmp), args.link_master, args.link_single_max, args.link_corpus)


if __name__ == "__main__":
    main()
