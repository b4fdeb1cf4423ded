"""The same per-document pipeline on Apache Spark, for corpora past one machine.

The driver only lists the input files; it never opens them. Each file is one
Spark task: the executor reads it with the ordinary readers and runs
`pipeline.process_batch` over it in `mapPartitions`, with spaCy loaded once
per Python worker. Every Document becomes a row holding its JSON exactly as
`Document.to_dict()` gives it, every ReadError a row of the errors table, so a
bad file costs rows, never the job. Output under `--out DIR`:

    DIR/documents/month=YYYY-MM/*.parquet   (month=unknown when undated)
        file_index, item_index, id, published, data (the document JSON)
    DIR/errors/*.parquet
        file_index, item_index, path, position, reason, hint
    DIR/manifest.json                        what ran, and the counts

`file_index, item_index` is the order a single-machine ingest meets the same
items in; `import_dir` loads the rows in that order and links them, so the
store, and so `export`, are byte-identical to an `ingest` of the same paths.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from newstrace.errors import UsageError
from newstrace.model import Document, ReadError
from newstrace.readers import MAX_DOCUMENT_BYTES, expand_path, read_file

log = logging.getLogger(__name__)

DOCUMENTS = "documents"
ERRORS = "errors"
MANIFEST = "manifest.json"
UNKNOWN_MONTH = "unknown"
MONTH = re.compile(r"^\d{4}-\d{2}")
#: Rows written to the store per transaction on import, as `ingest` does.
IMPORT_BATCH = 64
#: Settings for a local session: no web UI, few shuffle partitions, loopback only.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}
_MISSING = "no such file or folder"
_MISSING_HINT = "check the path, or quote a glob so the shell does not expand it"


# -- the session ------------------------------------------------------------


def spark_session(master: str | None = None, conf: dict[str, str] | None = None, app_name: str = "newstrace"):
    """The active SparkSession, or a new one; a `local[...]` master gets `LOCAL_CONF` and this Python.

    Under spark-submit, leave `master` None: the cluster's settings apply.
    """
    missing = spark_available()
    if missing:
        raise UsageError(None, f"Spark cannot run here: {missing}", "or run `newstrace ingest` on this machine instead")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app_name)
    settings = {}
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            settings.update(LOCAL_CONF)
            # Workers must run the interpreter that has newstrace and the model installed.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_available() -> str | None:
    """None when Spark can run here; else why not (no pyspark, or no Java)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install the version pinned in requirements.lock)"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home, "bin", "java") if java_home else None
    if not (java and java.exists()) and shutil.which("java") is None:
        return "no Java runtime (install openjdk-17-jre-headless, or set JAVA_HOME)"
    return None


# -- the run ----------------------------------------------------------------


@dataclass
class SparkReport:
    """What one Spark run did."""

    files: int = 0
    documents: int = 0
    errors: int = 0
    extract: bool = True
    seconds: float = 0.0
    out: str = ""


def input_tasks(paths: Iterable[str]) -> list[tuple[int, str, bool]]:
    """(file index, path, missing) per input file, in the order `ingest` reads them.

    Expands folders and globs on the driver without opening any file. Paths
    stay as given, since a document's id hashes its path: on a cluster, give
    paths every executor sees the same way (absolute, on shared storage). A
    path that names nothing stays as one task, so its error is a row like any other.
    """
    tasks: list[tuple[int, str, bool]] = []
    for raw in paths:
        if raw == "-":
            raise UsageError("-", "Spark cannot read standard input", "write the input to a file and give its path")
        files = list(expand_path(raw))
        if not files:
            tasks.append((len(tasks), raw, True))
        for path in files:
            tasks.append((len(tasks), path, False))
    return tasks


def run_spark(
    paths: Iterable[str],
    out: str,
    spark=None,
    extract: bool = True,
    overwrite: bool = False,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> SparkReport:
    """Process every file under `paths` on Spark, one task per file; write Parquet under `out`.

    Never fails on bad input: each failure is a row of `out/errors`.
    """
    if out.startswith(("postgresql://", "postgres://")):
        raise UsageError(out.split("@")[-1], "writing to PostgreSQL from Spark is not available yet", "give --out a folder, then `newstrace import` it")
    target = Path(out)
    if target.exists() and any(target.iterdir()) and not overwrite:
        raise UsageError(out, "the output folder is not empty", "give --out a new folder, or pass --overwrite")
    started = time.perf_counter()
    spark = spark or spark_session()
    tasks = input_tasks(paths)
    report = SparkReport(files=sum(not missing for _, _, missing in tasks), extract=extract, out=out)
    if tasks:
        rows = _processed_rows(spark, tasks, extract, max_bytes).persist()
        try:
            mode = "overwrite" if overwrite else "errorifexists"
            _document_rows(rows).write.mode(mode).partitionBy("month").parquet(str(target / DOCUMENTS))
            _error_rows(rows).write.mode(mode).parquet(str(target / ERRORS))
            counts = dict(rows.groupBy("kind").count().collect())
            report.documents, report.errors = counts.get("document", 0), counts.get("error", 0)
        finally:
            rows.unpersist()
    else:
        _write_empty(spark, target, overwrite)
    report.seconds = round(time.perf_counter() - started, 3)
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return report


def _processed_rows(spark, tasks: list, extract: bool, max_bytes: int):
    """One DataFrame of document and error rows; one partition, so one task, per input file."""
    rdd = spark.sparkContext.parallelize(tasks, len(tasks))
    rows = rdd.mapPartitions(lambda part: process_partition(part, extract, max_bytes))
    return spark.createDataFrame(rows, schema=_row_schema())


def _document_rows(rows):
    return rows.where("kind = 'document'").select("file_index", "item_index", "id", "published", "data", "month")


def _error_rows(rows):
    return rows.where("kind = 'error'").select("file_index", "item_index", "path", "position", "reason", "hint")


def _write_empty(spark, target: Path, overwrite: bool) -> None:
    mode = "overwrite" if overwrite else "errorifexists"
    empty = spark.createDataFrame([], schema=_row_schema())
    _document_rows(empty).write.mode(mode).partitionBy("month").parquet(str(target / DOCUMENTS))
    _error_rows(empty).write.mode(mode).parquet(str(target / ERRORS))


def _row_schema():
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    text = lambda name: StructField(name, StringType(), True)  # noqa: E731
    return StructType([
        text("kind"),
        StructField("file_index", IntegerType(), False),
        StructField("item_index", IntegerType(), False),
        text("id"), text("published"), text("month"), text("data"),
        text("path"), text("position"), text("reason"), text("hint"),
    ])


# -- what runs in the executors ----------------------------------------------


def process_partition(tasks: Iterable[tuple[int, str, bool]], extract: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[tuple]:
    """Rows for the files of one partition: read each, run the pipeline, one row per item.

    Runs inside a Spark executor; spaCy is loaded once per worker process.
    """
    from newstrace.pipeline import load_nlp, process_batch

    if extract:
        load_nlp()
    for file_index, path, missing in tasks:
        items = _missing(path) if missing else read_file(path, max_bytes)
        processed = _guarded(lambda: process_batch(items, extract=extract), path)
        for item_index, item in enumerate(processed):
            yield to_row(file_index, item_index, item)


def _missing(path: str) -> Iterator[ReadError]:
    yield ReadError(path, None, _MISSING, _MISSING_HINT)


def _guarded(make: Callable[[], Iterator], path: str) -> Iterator:
    """Items from `make()`; anything it raises ends the file with one error row instead of the job."""
    try:
        yield from make()
    except Exception as exc:  # a reader or stage bug must cost one file, never the run
        log.debug("processing %s failed\n%s", path, traceback.format_exc())
        yield ReadError(path, None, f"processing stopped part way ({type(exc).__name__}: {exc})",
                        "the items before the failure are kept; please report this file as a bug")


def to_row(file_index: int, item_index: int, item: Document | ReadError) -> tuple:
    """A row of the `_row_schema` for a Document or a ReadError."""
    if isinstance(item, ReadError):
        return ("error", file_index, item_index, None, None, None, None, item.source, item.position, item.reason, item.hint)
    data = json.dumps(item.to_dict(), ensure_ascii=False)
    return ("document", file_index, item_index, item.id, item.published, month_of(item.published), data, None, None, None, None)


def month_of(published: str | None) -> str:
    """The partition a document goes to: `YYYY-MM` of its date, else `unknown`."""
    return published[:7] if published and MONTH.match(published) else UNKNOWN_MONTH


# -- import into a store ------------------------------------------------------


@dataclass
class ImportReport:
    """What one import did."""

    documents: int = 0
    errors: int = 0
    added: list[str] = field(default_factory=list)
    linked: object = None


def import_dir(out_dir: str, store, spark=None, link_after: bool = True) -> ImportReport:
    """Load a `run_spark` output folder into `store`, in ingest order, then link.

    The rows stream to the driver sorted by (file, item), in batches, so the
    store ends up as a single-machine `ingest` of the same paths leaves it.
    """
    target = Path(out_dir)
    if not (target / DOCUMENTS).is_dir():
        raise UsageError(out_dir, "not a `newstrace spark` output folder (no documents/ in it)", "give the --out folder of a finished `newstrace spark` run")
    spark = spark or spark_session()
    report = ImportReport()
    for batch in _batches(read_documents(spark, out_dir), IMPORT_BATCH):
        report.added += store.put_documents(batch).added
        report.documents += len(batch)
    for batch in _batches(read_errors(spark, out_dir), IMPORT_BATCH):
        store.put_errors(batch)
        report.errors += len(batch)
    if link_after:
        from newstrace.link import link

        report.linked = link(store)
    return report


def read_documents(spark, out_dir: str) -> Iterator[Document]:
    """The Documents of a run, in ingest order."""
    from pyspark.sql.types import StructType

    schema = StructType([f for f in _row_schema().fields if f.name in {"file_index", "item_index", "id", "published", "data", "month"}])
    frame = spark.read.schema(schema).parquet(str(Path(out_dir) / DOCUMENTS))
    for row in frame.orderBy("file_index", "item_index").select("data").toLocalIterator():
        yield Document.from_dict(json.loads(row["data"]))


def read_errors(spark, out_dir: str) -> Iterator[ReadError]:
    """The ReadErrors of a run, in ingest order."""
    from pyspark.sql.types import StructType

    schema = StructType([f for f in _row_schema().fields if f.name in {"file_index", "item_index", "path", "position", "reason", "hint"}])
    frame = spark.read.schema(schema).parquet(str(Path(out_dir) / ERRORS))
    for row in frame.orderBy("file_index", "item_index").toLocalIterator():
        yield ReadError(row["path"], row["position"], row["reason"], row["hint"])


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


# -- spark-submit entry point ---------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """The run under spark-submit, on the cluster's own session (see docs/scale.md).

    spark-submit needs a script file; this module cannot be it (run as a
    script, its folder would shadow the standard `html` module), so the
    driver is a two-line file: `from newstrace.spark import main; raise SystemExit(main())`.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="newstrace.spark", description="Run the newstrace pipeline on Spark.")
    parser.add_argument("paths", nargs="+", help="files, folders or globs every executor can open")
    parser.add_argument("--out", required=True, help="output folder on storage every executor can write")
    parser.add_argument("--no-extract", action="store_true", help="cleaned text only, no layers")
    parser.add_argument("--overwrite", action="store_true", help="replace what --out holds")
    parser.add_argument("--copy-links", action="store_true", help="also write copy links to OUT/copy_links")
    parser.add_argument("--master", default=None, help="e.g. local[4]; leave unset under spark-submit")
    args = parser.parse_args(argv)
    spark = spark_session(args.master)
    report = run_spark(args.paths, args.out, spark, extract=not args.no_extract, overwrite=args.overwrite)
    print(json.dumps(asdict(report)))
    if args.copy_links:
        from newstrace.spark.link import write_copy_links

        print(json.dumps({"copy_links": write_copy_links(spark, args.out)}))
    return 1 if report.errors else 0

