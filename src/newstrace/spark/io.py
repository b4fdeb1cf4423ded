"""The tables of a Spark run: rows and their schema, writing them as Parquet, and reading them back into a store.

`import_dir` puts a run's rows through the ingest sink (`newstrace.ingest.Sink`)
in ingest order, so the store, and so `export`, are byte-identical to an
`ingest` of the same paths. `--out postgresql://...` names a store instead of
a folder; `open_target_store` opens it so that a bad URL fails before Spark starts.
"""
from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from itertools import chain
from pathlib import Path
from urllib.parse import urlsplit

from newstrace.errors import NewstraceError, UsageError
from newstrace.ingest import Sink, batches
from newstrace.model import LAYERS, Document, ReadError
from newstrace.settings import BATCH_SIZE, LINK_BATCH_SIZE
from newstrace.spark.session import spark_session

log = logging.getLogger(__name__)

DOCUMENTS = "documents"
ERRORS = "errors"
LAYERS_DIR = "layers"
LINKS_DIR = "links"  # what `spark.link.link_on_spark` writes
LINKS_REPORT = "report.json"  # in LINKS_DIR: what that linking found
#: Each layer table's columns: the record's label (below), the span it stands on, and the whole record as JSON.
LAYER_SCHEMA = "doc string, id string, label string, start int, end int, text string, data string, month string"
LAYER_LABEL = {"entities": "type", "times": "value", "figures": "counts", "quotes": "speaker",
               "attributions": "source_kind", "events": "type"}
MANIFEST = "manifest.json"
UNKNOWN_MONTH = "unknown"
MONTH = re.compile(r"^\d{4}-\d{2}")
STORE_SCHEMES = ("postgresql://", "postgres://")
DOCUMENT_COLUMNS = ("file_index", "item_index", "id", "published", "data", "month")
ERROR_COLUMNS = ("file_index", "item_index", "path", "position", "reason", "hint")


# -- rows -----------------------------------------------------------------------


def row_schema():
    """The schema of what the executors return: one row per Document or ReadError, told apart by `kind`."""
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    text = lambda name: StructField(name, StringType(), True)  # noqa: E731
    return StructType([
        text("kind"),
        StructField("file_index", IntegerType(), False),
        StructField("item_index", LongType(), False),
        text("id"), text("published"), text("month"), text("data"),
        text("path"), text("position"), text("reason"), text("hint"),
    ])


def to_row(file_index: int, item_index: int, item: Document | ReadError) -> tuple:
    """A row of the `row_schema` for a Document or a ReadError."""
    if isinstance(item, ReadError):
        return ("error", file_index, item_index, None, None, None, None, item.source, item.position, item.reason, item.hint)
    data = json.dumps(item.to_dict(), ensure_ascii=False)
    return ("document", file_index, item_index, item.id, item.published, month_of(item.published), data, None, None, None, None)


def month_of(published: str | None) -> str:
    """The partition a document goes to: `YYYY-MM` of its date, else `unknown`."""
    return published[:7] if published and MONTH.match(published) else UNKNOWN_MONTH


def document_rows(rows):
    return rows.where("kind = 'document'").select(*DOCUMENT_COLUMNS)


def error_rows(rows):
    return rows.where("kind = 'error'").select(*ERROR_COLUMNS)


# -- writing ----------------------------------------------------------------------


def write_rows(spark, rows, target: Path, overwrite: bool, layers: bool) -> None:
    """The documents (by month) and errors tables under `target`; with `layers`, one table per layer too."""
    mode = "overwrite" if overwrite else "errorifexists"
    document_rows(rows).write.mode(mode).partitionBy("month").parquet(str(target / DOCUMENTS))
    error_rows(rows).write.mode(mode).parquet(str(target / ERRORS))
    if layers:
        _write_layers(spark, document_rows(rows), target / LAYERS_DIR, mode)


def write_empty(spark, target: Path, overwrite: bool) -> None:
    """Empty documents and errors tables, for a run with no input."""
    write_rows(spark, spark.createDataFrame([], schema=row_schema()), target, overwrite, layers=False)


def write_manifest(target: Path, report) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")


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


# -- import into a store ------------------------------------------------------


@dataclass
class ImportReport:
    """What one import did."""

    documents: int = 0
    errors: int = 0
    added: list[str] = field(default_factory=list)
    linked: object = None


def import_dir(out_dir: str, store, spark=None, link_after: bool = True,
               batch_size: int = BATCH_SIZE, link_batch_size: int = LINK_BATCH_SIZE) -> ImportReport:
    """Load a `run_spark` output folder into `store` through the ingest sink, in ingest order, then link.

    The rows stream to the driver sorted by (file, item), documents then
    errors, `batch_size` a transaction, so the store ends up as a
    single-machine `ingest` of the same paths leaves it.
    """
    target = Path(out_dir)
    if not (target / DOCUMENTS).is_dir():
        raise UsageError(out_dir, "not a `newstrace spark` output folder (no documents/ in it)", "give the --out folder of a finished `newstrace spark` run")
    spark = spark or spark_session()
    was_empty = not store.list_documents(limit=1)
    sink = Sink(store, batch_size).put_all(chain(read_documents(spark, out_dir), read_errors(spark, out_dir)))
    stored = sink.close(link_after, lambda store: link_imported(store, out_dir, spark, was_empty, link_batch_size))
    return ImportReport(documents=stored.read, errors=stored.failed, added=stored.stored.added, linked=stored.linked)


def link_imported(store, out_dir: str, spark, was_empty: bool, batch_size: int = LINK_BATCH_SIZE):
    """Link what an import added, as `ingest` does after it stores.

    When the run was linked on Spark and the store was empty before the
    import, the links are loaded as they are (`batch_size` rows a
    transaction). A store that already held documents is linked here with
    `link`: the Spark run never saw those, and the linker's order (who meets
    whom first) starts with them.
    """
    from newstrace.link import link

    if has_links(out_dir):
        if was_empty:
            return load_links(spark, out_dir, store, batch_size)
        log.warning("%s: the store already held documents, which this run did not link; linking here instead", out_dir)
    return link(store)


def has_links(out_dir: str) -> bool:
    """True when `link_on_spark` has written its tables under `out_dir`."""
    return (Path(out_dir) / LINKS_DIR / LINKS_REPORT).is_file()


def load_links(spark, out_dir: str, store, batch_size: int = LINK_BATCH_SIZE):
    """Put what `link_on_spark` wrote into `store`, `batch_size` rows a transaction, as `link(store)` would have left it.

    The store must hold this run's documents and no others (the Spark run
    knew nothing of them); `import_dir` checks that it was empty.
    """
    from newstrace.link import LinkReport, assign_global_ids

    if next(iter(store.linked_ids()), None) is not None:
        raise UsageError(out_dir, "the store already holds linked documents, which this Spark run did not see",
                         "import into a new store, or import with --no-link and run `newstrace link`")
    target = Path(out_dir) / LINKS_DIR
    read = lambda name, *order: spark.read.parquet(str(target / name)).orderBy(*order).toLocalIterator()  # noqa: E731
    for batch in batches(read("documents", "file_index", "item_index"), batch_size):
        with store.transaction():
            for row in batch:
                doc = store.get_document(row["id"])
                assign_global_ids(store, doc)
                store.add_keys("lsh_bands", row["id"], json.loads(row["bands"]))
                store.add_keys("block_keys", row["id"], json.loads(row["blocks"]))
                store.mark_linked(row["id"], row["text_hash"])
    for batch in batches(read("event_views", "file_index", "item_index", "event_index"), batch_size):
        with store.transaction():
            for row in batch:
                store.add_keys("event_keys", row["ref"], json.loads(row["keys"]) or [f"self|{row['ref']}"])
                store.put_event_view(row["ref"], json.loads(row["data"]))
    for batch in batches(read("links", "a", "b"), batch_size):
        with store.transaction():
            for row in batch:
                store.put_link(row["a"], row["b"], {"kind": row["kind"], "score": row["score"], "original": row["original"],
                                                     "evidence": json.loads(row["evidence"]), "reason": row["reason"]})
    for batch in batches(read("event_pairs", "a", "b"), batch_size):
        with store.transaction():
            for row in batch:
                store.put_event_pair(row["a"], row["b"], row["same"], row["slot"], row["reason"])
    with store.transaction():
        store.replace_stories([{"id": r["id"], "label": r["label"], "first_reported": r["first_reported"],
                                "documents": json.loads(r["documents"]), "origins": json.loads(r["origins"])}
                               for r in read("stories", "id")])
        store.replace_event_clusters({r["ref"]: r["cluster"] for r in read("event_clusters", "ref")})
        records: dict[str, list] = {"event_clusters": [], "conflicts": []}
        for r in read("corpus_records", "kind", "id"):
            records[r["kind"]].append(json.loads(r["data"]))
        for kind, rows in records.items():
            store.replace_corpus_records(kind, rows)
    saved = json.loads((target / LINKS_REPORT).read_text(encoding="utf-8"))
    return LinkReport(**{f.name: saved[f.name] for f in fields(LinkReport)})


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
    for row in _read_sorted(spark, out_dir, DOCUMENTS, DOCUMENT_COLUMNS).select("data").toLocalIterator():
        yield Document.from_dict(json.loads(row["data"]))


def read_errors(spark, out_dir: str) -> Iterator[ReadError]:
    """The ReadErrors of a run, in ingest order."""
    for row in _read_sorted(spark, out_dir, ERRORS, ERROR_COLUMNS).toLocalIterator():
        yield ReadError(row["path"], row["position"], row["reason"], row["hint"])


def _read_sorted(spark, out_dir: str, table: str, columns: tuple[str, ...]):
    from pyspark.sql.types import StructType

    schema = StructType([f for f in row_schema().fields if f.name in columns])
    return spark.read.schema(schema).parquet(str(Path(out_dir) / table)).orderBy("file_index", "item_index")


# -- a PostgreSQL store as the target ------------------------------------------------


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

