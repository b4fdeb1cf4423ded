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
`import_dir` loads the rows in that order through the ingest sink and links
them, so the store, and so `export`, are byte-identical to an `ingest` of the
same paths.

`--out postgresql://...` stages that Parquet in a folder, then imports it into
the PostgreSQL store the same way (`run_spark_into_store`).

The package by concern: `session` (the SparkSession), `runner` (tasks, the
executors' `mapPartitions` over the pipeline, the run, spark-submit's `main`),
`io` (rows, Parquet tables, import into a store), `link` (linking on Spark).
The names below are re-exported here, where the CLI, bench/ and the tests use them.
"""
from __future__ import annotations

from newstrace.settings import DEFAULT_SPLIT_BYTES
from newstrace.spark.io import (
    DOCUMENTS, ERRORS, LAYER_LABEL, LAYER_SCHEMA, LAYERS_DIR, LINKS_DIR, MANIFEST, STORE_SCHEMES, UNKNOWN_MONTH,
    ImportReport, document_rows, error_rows, export_json, has_links, import_dir, is_store_url, layer_rows, link_imported,
    load_links, month_of, open_target_store, read_documents, read_errors, row_schema, store_target, to_row,
)
from newstrace.spark.runner import (
    RANGE_STRIDE, SparkReport, Task, byte_range_tasks, count_task_lines, input_tasks, main, number_ranges,
    process_partition, read_task, run_spark, run_spark_into_store,
)
from newstrace.spark.session import LOCAL_CONF, spark_available, spark_session

#: The names bench/spark.py used when these lived here.
_row_schema, _document_rows = row_schema, document_rows

__all__ = [
    "DEFAULT_SPLIT_BYTES", "DOCUMENTS", "ERRORS", "LAYER_LABEL", "LAYER_SCHEMA", "LAYERS_DIR", "LINKS_DIR", "LOCAL_CONF",
    "MANIFEST", "RANGE_STRIDE", "STORE_SCHEMES", "UNKNOWN_MONTH", "ImportReport", "SparkReport", "Task",
    "byte_range_tasks", "count_task_lines", "document_rows", "error_rows", "export_json", "has_links", "import_dir", "input_tasks",
    "is_store_url", "layer_rows", "link_imported", "load_links", "main", "month_of", "number_ranges", "open_target_store",
    "process_partition", "read_documents", "read_errors", "read_task", "row_schema", "run_spark",
    "run_spark_into_store", "spark_available", "spark_session", "store_target", "to_row",
]
