"""Linking on Spark: the single-machine linker's decisions over a `newstrace spark` output.

MinHash band keys are computed in the executors, LSH banding is a groupBy on
the band key, never a cross join, and every candidate pair is decided by the
same `link.copies.compare` the single-machine linker calls.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from newstrace.model import Document
from newstrace.spark import DOCUMENTS, _row_schema

# -- copies at scale ------------------------------------------------------------

#: Candidates per document from one bucket: its nearest predecessors in ingest order.
MAX_CANDIDATES = 50
#: Buckets holding more documents than this are stop keys and give no pairs, as in the store's index.
MAX_DOCS_PER_KEY = 200
COPY_LINKS = "copy_links"


def copy_links(spark, out_dir: str):
    """Copy links (exact_copy, near_copy, rewrite, version) over a run's documents, as an RDD of dicts.

    The same decisions as the single-machine linker, without its store:
    MinHash band keys (and the exact-text hash and the source key) are
    computed in the executors; LSH banding is a groupBy on the key, so only
    documents sharing a bucket are ever paired, never a cross join; each
    candidate pair is verified with `link.copies.compare(later, earlier)`.
    Same-story links, which need global entities, are left to `link`.
    """
    from pyspark.sql.types import StructType

    schema = StructType([f for f in _row_schema().fields if f.name in {"file_index", "item_index", "id", "data", "month"}])
    frame = spark.read.schema(schema).parquet(str(Path(out_dir) / DOCUMENTS))
    # A document read twice is linked once, at its first place in ingest order.
    docs = frame.rdd.map(lambda r: (r["id"], ((r["file_index"], r["item_index"]), r["data"]))).reduceByKey(min)
    buckets = docs.flatMap(lambda kv: [(key, (kv[1][0], kv[0])) for key in candidate_keys(kv[1][1])]).groupByKey()
    pairs = buckets.flatMap(lambda kv: bucket_pairs(list(kv[1]))).distinct()
    texts = docs.mapValues(lambda v: v[1])
    both = pairs.join(texts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).join(texts)
    return both.flatMap(lambda kv: verify_pair(kv[1][0][1], kv[1][1]))


def write_copy_links(spark, out_dir: str) -> int:
    """Write `copy_links` to `out_dir/copy_links` as Parquet; returns how many."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    names = ("a", "b", "kind", "original", "evidence", "reason")
    schema = StructType([StructField(n, StringType(), n == "original") for n in names] + [StructField("score", DoubleType(), False)])
    rows = copy_links(spark, out_dir).map(lambda link: tuple(
        json.dumps(link[n]) if n == "evidence" else link[n] for n in names) + (float(link["score"]),))
    frame = spark.createDataFrame(rows, schema).persist()
    try:
        frame.write.mode("overwrite").parquet(str(Path(out_dir) / COPY_LINKS))
        return frame.count()
    finally:
        frame.unpersist()


def candidate_keys(data: str) -> list[str]:
    """The keys the single-machine linker indexes a document's text by: LSH bands, text hash, source."""
    from newstrace.link import text as lt
    from newstrace.store import document_key

    doc = Document.from_dict(json.loads(data))
    keys = lt.band_keys(lt.shingles(doc.text), "s", *lt.SHINGLE_BANDS) + lt.band_keys(lt.content_stems(doc.text), "w", *lt.WORD_BANDS)
    return keys + [f"hash:{lt.normalised_hash(doc.text)}", f"source:{document_key(doc)}"]


def bucket_pairs(members: list[tuple[tuple[int, int], str]]) -> Iterator[tuple[str, str]]:
    """(later id, earlier id) for the documents of one bucket, each with its nearest predecessors."""
    if len(members) > MAX_DOCS_PER_KEY:
        return
    ordered = sorted(members)
    for n, (_, later) in enumerate(ordered):
        for _, earlier in ordered[max(0, n - MAX_CANDIDATES):n]:
            yield later, earlier


def verify_pair(later_data: str, earlier_data: str) -> list[dict]:
    """The copy link between two documents, if `compare` finds one; `a`, `b` sorted as the store keeps them."""
    from newstrace.link.copies import COPY_KINDS, compare
    from newstrace.store import document_key

    later, earlier = (Document.from_dict(json.loads(d)) for d in (later_data, earlier_data))
    decision = compare(later, earlier, same_source=document_key(later) == document_key(earlier))
    if decision is None or decision.kind not in COPY_KINDS:
        return []
    a, b = sorted((later.id, earlier.id))
    return [{"a": a, "b": b, "kind": decision.kind, "score": decision.score, "original": decision.original,
             "evidence": decision.evidence, "reason": decision.reason}]
