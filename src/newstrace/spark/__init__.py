"""The same per-document pipeline on Apache Spark, for corpora past one machine.

The driver only lists the input files and stats their sizes; it never opens
one. Each file is one Spark task, and a plain JSON Lines file larger than
`split_bytes` is one task per byte range: a first, cheap job counts the lines
that start in each range (in the executors), the driver adds the counts up to
give each range its first line number, and each range is then read with the
jsonl reader's own line loop, so every record keeps its `line N` position and
so its id. The executor runs `pipeline.process_batch` over what it read in
`mapPartitions`, with spaCy loaded once per Python worker. Every Document
becomes a row holding its JSON exactly as `Document.to_dict()` gives it, every
ReadError a row of the errors table, so a bad file costs rows, never the job.
Output under `--out DIR`:

    DIR/documents/month=YYYY-MM/*.parquet   (month=unknown when undated)
        file_index int, item_index bigint, id, published, data (the document JSON)
    DIR/errors/*.parquet
        file_index int, item_index bigint, path, position, reason, hint
    DIR/layers/<layer>/month=YYYY-MM/*.parquet   one table per layer (entities,
        times, figures, quotes, attributions, events), one row per record:
        doc, id, label, start, end, text, data (the record's JSON)
    DIR/manifest.json                        what ran, and the counts

`file_index, item_index` is the order a single-machine ingest meets the same
items in: `item_index` is `range_index * 2**32 + n` for the n-th item read from
a file's byte range (range 0, the whole file, for a file not split).
`import_dir` loads the rows in that order and links them, so the store, and so
`export`, are byte-identical to an `ingest` of the same paths.

`--out postgresql://...` stages that Parquet in a folder, then imports it into
the PostgreSQL store the same way (`run_spark_into_store`).
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from newstrace.errors import NewstraceError, UsageError
from newstrace.model import LAYERS, Document, ReadError
from newstrace.readers import MAX_DOCUMENT_BYTES, expand_path, read_file
from newstrace.readers.jsonl import JSONL_SUFFIXES, count_line_starts, read_jsonl_range

log = logging.getLogger(__name__)

DOCUMENTS = "documents"
ERRORS = "errors"
LAYERS_DIR = "layers"
LINKS_DIR = "links"  # what `spark.link.link_on_spark` writes
#: Each layer table's columns: the record's label (below), the span it stands on, and the whole record as JSON.
LAYER_SCHEMA = "doc string, id string, label string, start int, end int, text string, data string, month string"
LAYER_LABEL = {"entities": "type", "times": "value", "figures": "counts", "quotes": "speaker",
               "attributions": "source_kind", "events": "type"}
MANIFEST = "manifest.json"
UNKNOWN_MONTH = "unknown"
MONTH = re.compile(r"^\d{4}-\d{2}")
#: Rows written to the store per transaction on import, as `ingest` does.
IMPORT_BATCH = 64
#: A plain JSON Lines file larger than this is read as several tasks, one per range of this many bytes.
DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024
#: `item_index` = range index * RANGE_STRIDE + the item's order within its range.
RANGE_STRIDE = 1 << 32
STORE_SCHEMES = ("postgresql://", "postgres://")
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
    tasks: int = 0
    documents: int = 0
    errors: int = 0
    extract: bool = True
    seconds: float = 0.0
    out: str = ""
    linked: dict | None = None  # what `spark.link.link_on_spark` found, when the run linked


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


class Task(NamedTuple):
    """One Spark task: a whole input file, or one byte range of a large plain JSON Lines file."""

    file_index: int
    path: str
    missing: bool = False
    range_index: int = 0
    start: int = 0
    end: int | None = None  # None: the whole file, read by `read_file`
    first_line: int = 1


def byte_range_tasks(files: Iterable[tuple[int, str, bool]], split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[Task]:
    """One task per file, or one per `split_bytes` of a JSON Lines file (by name) larger than that.

    Only stats sizes, never opens a file; whether the bytes really are plain
    JSON Lines (not gzip, not WARC) is checked in the executors.
    """
    if split_bytes < 1:
        raise UsageError(f"--split-bytes {split_bytes}", "not a positive number of bytes", "give e.g. --split-bytes 67108864 (64 MiB)")
    tasks: list[Task] = []
    for file_index, path, missing in files:
        size = None if missing or not path.lower().endswith(JSONL_SUFFIXES) else _size(path)
        if size is None or size <= split_bytes:
            tasks.append(Task(file_index, path, missing))
            continue
        for range_index, start in enumerate(range(0, size, split_bytes)):
            tasks.append(Task(file_index, path, False, range_index, start, min(start + split_bytes, size)))
    return tasks


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except OSError:
        return None  # read whole, so its reader reports why


def number_ranges(spark, tasks: list[Task]) -> list[Task]:
    """Give each byte range its first line number: lines counted in the executors, summed on the driver.

    Only one small count per range comes back to the driver.
    """
    ranges = [task for task in tasks if task.end is not None]
    if not ranges:
        return tasks
    counts = spark.sparkContext.parallelize(ranges, len(ranges)).map(count_task_lines).collect()
    first_lines: dict[tuple[int, int], int] = {}
    next_line: dict[int, int] = {}
    for task, count in zip(ranges, counts):
        line = next_line.get(task.file_index, 1)
        first_lines[task.file_index, task.range_index] = line
        next_line[task.file_index] = line + count
    return [task._replace(first_line=first_lines.get((task.file_index, task.range_index), 1)) for task in tasks]


def run_spark(
    paths: Iterable[str],
    out: str,
    spark=None,
    extract: bool = True,
    overwrite: bool = False,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    split_bytes: int = DEFAULT_SPLIT_BYTES,
    link: bool = False,
) -> SparkReport:
    """Process every file under `paths` on Spark, one task per file or JSONL byte range; write Parquet under `out`.

    With `link`, the documents are then linked on Spark too (`spark.link`),
    into `out/links`, which `import_dir` loads instead of linking again.
    Never fails on bad input: each failure is a row of `out/errors`.
    """
    if is_store_url(out):
        raise UsageError(store_target(out), "run_spark writes Parquet to a folder", "use run_spark_into_store for a postgresql:// URL")
    target = Path(out)
    if target.exists() and any(target.iterdir()) and not overwrite:
        raise UsageError(out, "the output folder is not empty", "give --out a new folder, or pass --overwrite")
    started = time.perf_counter()
    if overwrite:
        shutil.rmtree(target / LINKS_DIR, ignore_errors=True)  # an earlier run's links, which no longer hold
    files = input_tasks(paths)
    tasks = byte_range_tasks(files, split_bytes)
    spark = spark or spark_session()
    report = SparkReport(files=sum(not missing for _, _, missing in files), tasks=len(tasks), extract=extract, out=out)
    if tasks:
        rows = _processed_rows(spark, number_ranges(spark, tasks), extract, max_bytes).persist()
        try:
            mode = "overwrite" if overwrite else "errorifexists"
            _document_rows(rows).write.mode(mode).partitionBy("month").parquet(str(target / DOCUMENTS))
            _error_rows(rows).write.mode(mode).parquet(str(target / ERRORS))
            if extract:
                _write_layers(spark, _document_rows(rows), target / LAYERS_DIR, mode)
            counts = dict(rows.groupBy("kind").count().collect())
            report.documents, report.errors = counts.get("document", 0), counts.get("error", 0)
        finally:
            rows.unpersist()
    else:
        _write_empty(spark, target, overwrite)
    if link and report.documents:
        from newstrace.spark.link import link_on_spark

        report.linked = asdict(link_on_spark(spark, out))
    report.seconds = round(time.perf_counter() - started, 3)
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return report


def _processed_rows(spark, tasks: list[Task], extract: bool, max_bytes: int):
    """One DataFrame of document and error rows; one partition, so one Spark task, per `Task`."""
    rdd = spark.sparkContext.parallelize(tasks, len(tasks))
    rows = rdd.mapPartitions(lambda part: process_partition(part, extract, max_bytes))
    return spark.createDataFrame(rows, schema=_row_schema())


def _write_layers(spark, documents, folder: Path, mode: str) -> None:
    """One Parquet table per layer, partitioned by month, so Spark SQL can query the facts without the documents."""
    records = documents.select("data", "month").rdd.flatMap(lambda row: layer_rows(row["data"], row["month"])).persist()
    try:
        for layer in LAYERS:
            frame = spark.createDataFrame(records.filter(lambda r, layer=layer: r[0] == layer).map(lambda r: r[1]), LAYER_SCHEMA)
            frame.write.mode(mode).partitionBy("month").parquet(str(folder / layer))
    finally:
        records.unpersist()


def layer_rows(data: str, month: str) -> Iterator[tuple[str, tuple]]:
    """(layer, row) for every record of every layer of one document's JSON."""
    doc = json.loads(data)
    for layer in LAYERS:
        for record in doc.get(layer) or []:
            span = _record_span(layer, record)
            label = record.get(LAYER_LABEL[layer])
            if isinstance(label, dict):
                label = label.get("text")
            yield layer, (doc["id"], record.get("id"), None if label is None else str(label), span.get("start"), span.get("end"),
                          span.get("text") or record.get("name"), json.dumps(record, ensure_ascii=False), month)


def _record_span(layer: str, record: dict) -> dict:
    """The words a record stands on: its own span, an event's trigger, an attribution's cue, an entity's first mention."""
    if layer == "events":
        return record.get("trigger") or {}
    if layer == "attributions":
        return record.get("cue") or record.get("source") or {}
    if layer == "entities":
        return (record.get("mentions") or [{}])[0]
    return record


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
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    text = lambda name: StructField(name, StringType(), True)  # noqa: E731
    return StructType([
        text("kind"),
        StructField("file_index", IntegerType(), False),
        StructField("item_index", LongType(), False),
        text("id"), text("published"), text("month"), text("data"),
        text("path"), text("position"), text("reason"), text("hint"),
    ])


# -- what runs in the executors ----------------------------------------------


def process_partition(tasks: Iterable[tuple], extract: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[tuple]:
    """Rows for the tasks of one partition: read each file or byte range, run the pipeline, one row per item.

    Runs inside a Spark executor; spaCy is loaded once per worker process.
    A task is a `Task` or its first fields, (file_index, path, missing).
    """
    from newstrace.pipeline import load_nlp, process_batch

    if extract:
        load_nlp()
    for task in (Task(*fields) for fields in tasks):
        items = read_task(task, max_bytes)
        processed = _guarded(lambda: process_batch(items, extract=extract), task.path)
        for n, item in enumerate(processed):
            yield to_row(task.file_index, task.range_index * RANGE_STRIDE + n, item)


def read_task(task: Task, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[ReadError | object]:
    """The items of one task: the whole file, or the JSON Lines records that start in its byte range.

    A file split by its name that is not plain JSON Lines inside (gzip, WARC)
    is read whole by its first range, exactly as `ingest` reads it.
    """
    if task.missing:
        return _missing(task.path)
    if task.end is None:
        return read_file(task.path, max_bytes)
    if not _reads_as_plain_jsonl(task.path):
        return read_file(task.path, max_bytes) if task.range_index == 0 else iter(())
    return read_jsonl_range(task.path, task.start, task.end, task.first_line, max_bytes)


def count_task_lines(task: Task) -> int:
    """Lines that start in a task's byte range; 0 where the file is read whole or cannot be read."""
    try:
        return count_line_starts(task.path, task.start, task.end) if _reads_as_plain_jsonl(task.path) else 0
    except OSError:
        return 0


def _reads_as_plain_jsonl(path: str) -> bool:
    """Whether `read_file` hands this file to the JSON Lines reader: neither gzip nor WARC inside."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(5)
    except OSError:
        return False
    return bool(head) and head[:2] != b"\x1f\x8b" and not head.startswith(b"WARC/")


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
    was_empty = not store.list_documents(limit=1)
    for batch in _batches(read_documents(spark, out_dir), IMPORT_BATCH):
        report.added += store.put_documents(batch).added
        report.documents += len(batch)
    for batch in _batches(read_errors(spark, out_dir), IMPORT_BATCH):
        store.put_errors(batch)
        report.errors += len(batch)
    if link_after:
        report.linked = link_imported(store, out_dir, spark, was_empty)
    return report


def link_imported(store, out_dir: str, spark, was_empty: bool):
    """Link what an import added, as `ingest` does after it stores.

    When the run was linked on Spark and the store was empty before the
    import, the links are loaded as they are. A store that already held
    documents is linked here with `link`: the Spark run never saw those, and
    the linker's order (who meets whom first) starts with them.
    """
    from newstrace.link import link
    from newstrace.spark import link as on_spark

    if on_spark.has_links(out_dir):
        if was_empty:
            return on_spark.load_links(spark, out_dir, store)
        log.warning("%s: the store already held documents, which this run did not link; linking here instead", out_dir)
    return link(store)


def export_json(out_dir: str, path: str, spark=None) -> int:
    """Write the same JSON as `newstrace export` for a run: imported (links loaded) into a scratch store, then exported."""
    from newstrace.export import write_json
    from newstrace.store import SQLiteStore

    with tempfile.TemporaryDirectory(prefix="newstrace-export-") as scratch:
        with SQLiteStore(os.path.join(scratch, "export.db")) as store:
            import_dir(out_dir, store, spark)
            with open(path, "w", encoding="utf-8") as out:
                return write_json(store, out)


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


# -- straight into a PostgreSQL store ------------------------------------------------


def is_store_url(out: str) -> bool:
    """Whether `--out` names a PostgreSQL store rather than a folder."""
    return out.startswith(STORE_SCHEMES)


def store_target(url: str) -> str:
    """How messages name a store: a URL by host, port and database (never the password), a file by its path."""
    return url.rsplit("@", 1)[-1].split("?")[0] if is_store_url(url) else url


def open_target_store(url: str):
    """Open (and migrate) the PostgreSQL store `--out` names, so a bad URL fails before any Spark work.

    Raises a one-line UsageError or StoreError naming the target; the password never appears in it.
    """
    from newstrace.store import open_store

    try:
        password = urlsplit(url).password
    except ValueError as exc:
        raise UsageError(store_target(url), f"not a valid PostgreSQL URL ({exc})", "give --out as postgresql://USER@HOST[:PORT]/DATABASE") from None
    try:
        return open_store(url)
    except NewstraceError as exc:
        if not password or password not in str(exc):
            raise
        hide = lambda text: text.replace(password, "***") if text else text  # noqa: E731
        raise type(exc)(hide(exc.where), hide(exc.reason), exc.hint) from None


def run_spark_into_store(
    paths: Iterable[str],
    url: str,
    spark=None,
    master: str | None = None,
    stage: str | None = None,
    keep_stage: bool = False,
    link_after: bool = True,
    **run_options,
) -> tuple[SparkReport, ImportReport]:
    """Run on Spark into a PostgreSQL store: Parquet in a staging folder, then `import_dir` it and link.

    The store is opened first, so a bad URL or a server out of reach fails
    before Spark starts. Documents already stored stay (the store's upsert
    rules apply). The stage is a new temporary folder unless given (on a
    cluster, give one on storage every executor writes); it is removed after
    a good import unless `keep_stage`, and kept after a failure, for
    `newstrace import STAGE --db URL`. `run_options` go to `run_spark`.
    """
    store = open_target_store(url)
    try:
        spark = spark or spark_session(master)
        stage_dir = _stage_folder(stage, spark, run_options.get("overwrite", False))
        try:
            report = run_spark(paths, stage_dir, spark, link=link_after, **run_options)
            imported = import_dir(stage_dir, store, spark, link_after=link_after)
        except BaseException:
            _after_failure(stage_dir, created=stage is None)
            raise
    finally:
        store.close()
    if not keep_stage:
        shutil.rmtree(stage_dir, ignore_errors=True)
    return report, imported


def _after_failure(stage_dir: str, created: bool) -> None:
    """Keep a finished run's Parquet for a later import; remove a temporary stage with nothing worth keeping."""
    if (Path(stage_dir) / MANIFEST).exists():
        log.warning("the staged Parquet is kept in %s; `newstrace import %s --db URL` loads it", stage_dir, stage_dir)
    elif created:
        shutil.rmtree(stage_dir, ignore_errors=True)


def _stage_folder(stage: str | None, spark, overwrite: bool) -> str:
    """The staging folder: the one given (new or empty), else a fresh temporary one on a local master."""
    if stage is None:
        if not spark.sparkContext.master.startswith("local"):
            raise UsageError(None, "--out postgresql:// on a cluster needs a staging folder the executors can write",
                             "give --stage a folder on storage every executor mounts")
        return tempfile.mkdtemp(prefix="newstrace-stage-")
    if os.path.isdir(stage) and any(os.scandir(stage)) and not overwrite:
        raise UsageError(stage, "the staging folder is not empty", "give --stage a new folder, or pass --overwrite")
    return stage


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
    parser.add_argument("--out", required=True, help="output folder every executor can write, or a postgresql:// URL")
    parser.add_argument("--no-extract", action="store_true", help="cleaned text only, no layers")
    parser.add_argument("--overwrite", action="store_true", help="replace what --out (or --stage) holds")
    parser.add_argument("--split-bytes", type=int, default=DEFAULT_SPLIT_BYTES, help="read plain JSON Lines files larger than this as one task per range of this many bytes")
    parser.add_argument("--stage", default=None, help="with --out postgresql://: folder for the Parquet before import (shared storage on a cluster)")
    parser.add_argument("--keep-stage", action="store_true", help="with --out postgresql://: keep the staged Parquet")
    parser.add_argument("--no-link", action="store_true", help="do not link on Spark (nor, with --out postgresql://, at import)")
    parser.add_argument("--master", default=None, help="e.g. local[4]; leave unset under spark-submit")
    parser.add_argument("--json", default=None, help="with --out DIR: also write the same JSON as `newstrace export` to this file")
    args = parser.parse_args(argv)
    options = {"extract": not args.no_extract, "overwrite": args.overwrite, "split_bytes": args.split_bytes}
    if is_store_url(args.out):
        report, imported = run_spark_into_store(args.paths, args.out, master=args.master, stage=args.stage,
                                                keep_stage=args.keep_stage, link_after=not args.no_link, **options)
        print(json.dumps({**asdict(report), "imported": imported.documents, "new": len(imported.added)}))
        return 1 if report.errors else 0
    spark = spark_session(args.master)
    report = run_spark(args.paths, args.out, spark, link=not args.no_link, **options)
    print(json.dumps(asdict(report)))
    if args.json:
        export_json(args.out, args.json, spark)
    return 1 if report.errors else 0

