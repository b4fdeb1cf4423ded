"""Running the pipeline on Spark: the driver plans one task per file or byte range; the executors run `process`.

The driver only lists the input files and stats their sizes; it never opens
one. A plain JSON Lines file larger than `split_bytes` is one task per byte
range: a first, cheap job counts the lines that start in each range (in the
executors), and the driver adds the counts up to give each range its first
line number, so every record keeps its `line N` position and so its id. The
executors run `pipeline.process_batch` in `mapPartitions`, spaCy loaded once
per Python worker, and return one row per item (`io.to_row`).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from newstrace.errors import UsageError
from newstrace.model import ReadError
from newstrace.readers import expand_path, read_file
from newstrace.readers.jsonl import JSONL_SUFFIXES, count_line_starts, read_jsonl_range
from newstrace.settings import DEFAULT_SPLIT_BYTES, MAX_DOCUMENT_BYTES
from newstrace.spark.io import (
    LINKS_DIR, MANIFEST, export_json, import_dir, is_store_url, open_target_store, row_schema, store_target, to_row,
    write_empty, write_manifest, write_rows,
)
from newstrace.spark.session import spark_session

log = logging.getLogger(__name__)

#: `item_index` = range index * RANGE_STRIDE + the item's order within its range.
RANGE_STRIDE = 1 << 32
_MISSING = "no such file or folder"
_MISSING_HINT = "check the path, or quote a glob so the shell does not expand it"


# -- the plan ---------------------------------------------------------------


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


# -- the run ----------------------------------------------------------------


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
            write_rows(spark, rows, target, overwrite, layers=extract)
            counts = dict(rows.groupBy("kind").count().collect())
            report.documents, report.errors = counts.get("document", 0), counts.get("error", 0)
        finally:
            rows.unpersist()
    else:
        write_empty(spark, target, overwrite)
    if link and report.documents:
        from newstrace.spark.link import link_on_spark

        report.linked = asdict(link_on_spark(spark, out))
    report.seconds = round(time.perf_counter() - started, 3)
    write_manifest(target, report)
    return report


def _processed_rows(spark, tasks: list[Task], extract: bool, max_bytes: int):
    """One DataFrame of document and error rows; one partition, so one Spark task, per `Task`."""
    rdd = spark.sparkContext.parallelize(tasks, len(tasks))
    rows = rdd.mapPartitions(lambda part: process_partition(part, extract, max_bytes))
    return spark.createDataFrame(rows, schema=row_schema())


# -- what runs in the executors ----------------------------------------------


def process_partition(tasks: Iterable[tuple], extract: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[tuple]:
    """Rows for the tasks of one partition: read each file or byte range, run the pipeline, one row per item.

    Runs inside a Spark executor; spaCy is loaded once per worker process.
    A task is a `Task` or its first fields, (file_index, path, missing).
    """
    from newstrace.nlp import load_nlp
    from newstrace.pipeline import process_batch

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


# -- straight into a PostgreSQL store ------------------------------------------------


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

