"""Linking on Spark: the single-machine linker's decisions, made on the cluster.

`link(store)` walks the documents in ingest order; each one meets the index
entries of the documents before it (MinHash LSH bands, the exact-text hash,
entity blocking keys, event blocking keys), takes at most `MAX_CANDIDATES`
of them per index (those sharing the most keys), and a key held by more than
`MAX_DOCS_PER_KEY` earlier documents tells nothing. Every one of those rules
is a property of (key, earlier documents), so Spark reproduces them with a
groupBy on the key, never a cross join:

    executors  doc -> band keys, text hash, source key, entities, events
    groupBy    key -> its documents in ingest order -> (later, earlier, 1)
               summed per pair, the top MAX_CANDIDATES per document kept
    executors  each candidate pair decided by `link.copies.compare`
    driver     global entity ids, one pass in ingest order over the
               entities alone (`link.assign_global_ids` on `EntityIndex`)
    executors  event views with global ids; groupBy on event blocking keys;
               each candidate pair decided by `link.events.compare_events`
    iterative  connected components (min-label propagation over joins) ->
    joins      stories and event clusters, whose records come from the
               functions `link.corpus` uses on one machine

Everything is written under `OUT/links/` as Parquet. `io.load_links` puts it in
a store exactly as `link(store)` would have left it (indexes included, so a
later `ingest` links incrementally against it). The global-id pass is the
one step on the driver: it holds one entry per distinct entity key, no text.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace

from newstrace.link import (
    MAX_CANDIDATES, MIN_SHARED_ENTITY_KEYS, LinkReport, assign_global_ids, entity_block_keys,
    text_keys, top_refs, view_from_json, view_to_json,
)
from newstrace.link.copies import COPY_KINDS, compare
from newstrace.link.corpus import (
    cluster_conflicts, cluster_id_of, cluster_record, event_summary, group_origin, story_label, story_record, with_origin,
)
from newstrace.link.entities import EntityIndex
from newstrace.link.events import blocking_keys, compare_events, event_view
from newstrace.model import Document
from newstrace.spark.io import DOCUMENTS, LINKS_DIR, LINKS_REPORT
from newstrace.store import document_key
from newstrace.store.links import MAX_DOCS_PER_KEY, ordered_pair

#: The tables under OUT/links, as `io.load_links` reads them; JSON in strings where a value is nested.
TABLES = {
    "documents": "id string, file_index int, item_index bigint, text_hash string, bands string, blocks string",
    "links": "a string, b string, kind string, score double, original string, evidence string, reason string",
    "event_views": "ref string, file_index int, item_index bigint, event_index int, keys string, data string",
    "event_pairs": "a string, b string, same boolean, slot string, reason string",
    "stories": "id string, label string, first_reported string, documents string, origins string",
    "event_clusters": "ref string, cluster string",
    "corpus_records": "kind string, id string, data string",
}
#: What `link.copies.compare` and `document_key` read of a document.
COMPARED_FIELDS = ("id", "source", "url", "outlet", "title", "published", "text", "sentences", "title_flags", "boilerplate")
#: Cut the lineage of the label-propagation loop every this many rounds.
CHECKPOINT_EVERY = 5


@dataclass
class SparkLinkReport(LinkReport):
    """What one linking run on Spark found, counted as `link`'s LinkReport, and where the time went."""

    stories: int = 0
    event_clusters: int = 0
    component_rounds: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# -- the run --------------------------------------------------------------------


def link_on_spark(spark, out_dir: str) -> SparkLinkReport:
    """Link the documents of a `newstrace spark` output; write the result to `out_dir/links`."""
    report, clock = SparkLinkReport(), _Clock()
    sc = spark.sparkContext
    parts = shuffle_partitions(sc)
    docs = _documents(spark, out_dir, parts).persist()  # (id, (order, data))
    features = docs.map(lambda kv: doc_features(kv[0], *kv[1])).persist()
    report.documents = features.count()
    clock.lap(report, "features")

    in_order = features.map(lambda f: (f["order"], (f["id"], f["entities"]))).sortByKey(True, parts).toLocalIterator()
    global_ids, blocks = global_pass((order, doc_id, entities) for order, (doc_id, entities) in in_order)
    id_rows = sc.parallelize([(doc_id, (global_ids[doc_id], blocks[doc_id])) for doc_id in global_ids], max(1, sc.defaultParallelism))
    clock.lap(report, "global_ids")

    links = copy_and_story_links(features, docs, id_rows, report, parts)
    clock.lap(report, "document_links")

    views = docs.leftOuterJoin(id_rows, parts).flatMap(_event_rows_of).persist()
    event_pairs = event_pair_rows(views, links, parts).persist()
    report.event_pairs = event_pairs.count()
    clock.lap(report, "event_pairs")

    origin_of, origin_rounds = origin_rows(features, links, parts)
    origin_of = origin_of.persist()
    stories, story_rounds = story_records(features, links, origin_of, parts)
    clusters, records, conflicts, cluster_rounds = cluster_rows(views, event_pairs, origin_of, parts)
    report.component_rounds = {"stories": story_rounds, "event_clusters": cluster_rounds, "origins": origin_rounds}
    clock.lap(report, "components")

    tables = {
        "documents": features.map(lambda f: (f["id"], (f["order"], f["hash"], f["bands"]))).join(id_rows, parts).map(_document_row),
        "links": links.map(lambda kv: kv[1][1]),
        "event_views": views.map(_view_row),
        "event_pairs": event_pairs,
        "stories": stories.map(lambda s: (s["id"], s["label"], s["first_reported"], json.dumps(s["documents"]), json.dumps(s["origins"]))),
        "event_clusters": clusters,
        "corpus_records": records.map(lambda r: _record_row("event_clusters", r)).union(conflicts.map(lambda r: _record_row("conflicts", r))),
    }
    written = {name: _write(spark, Path(out_dir) / LINKS_DIR / name, rows, TABLES[name]) for name, rows in tables.items()}
    report.stories, report.event_clusters = written["stories"], written["event_clusters"]
    clock.lap(report, "writing")
    report.links = dict(sorted(links.map(lambda kv: kv[1][1][2]).countByValue().items()))  # kind, from the cached links
    for rdd in (docs, features, links, views, event_pairs, origin_of):
        rdd.unpersist()
    (Path(out_dir) / LINKS_DIR / LINKS_REPORT).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    return report


def shuffle_partitions(sc) -> int:
    """Partitions for every shuffle: `spark.default.parallelism`, else the cores Spark has.

    Fixed, because PySpark's join otherwise takes the sum of both sides'
    partitions, and a chain of joins would multiply tiny tasks.
    """
    return int(sc.getConf().get("spark.default.parallelism", "0")) or max(2, sc.defaultParallelism)


def _documents(spark, out_dir: str, parts: int):
    """(id, ((file_index, item_index), data)) for each document, at its first place in ingest order."""
    frame = spark.read.parquet(str(Path(out_dir) / DOCUMENTS)).select("file_index", "item_index", "id", "data")
    return frame.rdd.map(lambda r: (r["id"], ((r["file_index"], r["item_index"]), r["data"]))).reduceByKey(min, parts)


def doc_features(doc_id: str, order: tuple[int, int], data: str) -> dict:
    """What linking needs of one document besides its text: keys, entities, story metadata."""
    doc = Document.from_dict(json.loads(data))
    text_hash, bands = text_keys(doc)
    entities = [{k: e[k] for k in ("id", "name", "type", "aliases") if k in e} for e in doc.entities]
    for compact, full in zip(entities, doc.entities):
        compact["mentions"] = [None] * len(full.get("mentions") or [])  # only the count ranks blocking entities
    return {"id": doc_id, "order": tuple(order), "hash": text_hash, "bands": bands, "source": document_key(doc),
            "published": doc.published, "title": doc.title, "label": None if doc.title else story_label(doc),
            "entities": entities}


def global_pass(rows: Iterable[tuple]) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """Global entity ids and entity blocking keys of every document, in one pass in ingest order."""
    index, global_ids, blocks = EntityIndex(), {}, {}
    for _, doc_id, entities in rows:
        ids = assign_global_ids(index, SimpleNamespace(id=doc_id, entities=entities))
        global_ids[doc_id], blocks[doc_id] = ids, entity_block_keys(entities, ids)
    return global_ids, blocks


# -- candidates: a groupBy on keys ---------------------------------------------------


def keyed(rows, keys_of) -> object:
    """(key, (order, ref, times the ref gives the key)) for every key of every row."""
    return rows.flatMap(lambda row: [(key, (row[0], row[1], times)) for key, times in Counter(keys_of(row)).items()])


def bucket_predecessors(members: list[tuple]) -> Iterator[tuple[str, tuple[list[str], int]]]:
    """(later, (earlier refs, times)) for the refs sharing one key, as the store's index answers them.

    A ref meets every earlier ref holding the key, unless more than
    MAX_DOCS_PER_KEY of them do: then the key is too common and tells nothing.
    One record per (key, ref), not per pair, keeps the shuffle small.
    """
    ordered = sorted(members)
    for n, (_, ref, times) in enumerate(ordered[: MAX_DOCS_PER_KEY + 1]):
        if n:
            yield ref, ([earlier for _, earlier, _ in ordered[:n]], times)


def _count(counts: Counter, met: tuple[list[str], int]) -> Counter:
    earlier, times = met
    for ref in earlier:
        counts[ref] += times
    return counts


def shared_key_counts(keyed_rows, parts: int):
    """(later, Counter of keys shared with each earlier ref) over one index, as `refs_with_keys` counts them."""
    met = keyed_rows.groupByKey(parts).flatMap(lambda kv: bucket_predecessors(list(kv[1])))
    return met.combineByKey(lambda m: _count(Counter(), m), _count, lambda a, b: a + b, parts)


def top_candidates(counts, at_least: int = 1):
    """(later, earlier) for the MAX_CANDIDATES earlier refs sharing most keys with each later one."""
    return counts.flatMap(lambda kv: [(kv[0], other) for other, count in top_refs(kv[1]) if count >= at_least])


def first_with_same_hash(members: list[tuple]) -> Iterator[tuple[str, str]]:
    """(later, earlier) for the earliest MAX_CANDIDATES documents with the same text, as `ids_with_hash` lists them."""
    ordered = sorted(members)
    for n, (_, doc_id) in enumerate(ordered):
        for _, earlier in ordered[: min(n, MAX_CANDIDATES)]:
            yield doc_id, earlier


def same_source_pairs(members: list[str]) -> Iterator[tuple[str, str]]:
    """Both ways round, every pair of versions of one source."""
    return ((a, b) for a in members for b in members if a != b)


def copy_and_story_links(features, docs, id_rows, report: SparkLinkReport, parts: int):
    """((a, b), (turn order, link row)) for every document link, as `put_link` stores it."""
    bands = keyed(features.map(lambda f: (f["order"], f["id"], f["bands"])), lambda row: row[2])
    entity_rows = features.map(lambda f: (f["id"], f["order"])).join(id_rows, parts).map(lambda kv: (kv[1][0], kv[0], kv[1][1][1]))
    entity_counts = shared_key_counts(keyed(entity_rows, lambda row: row[2]), parts).persist()
    candidates = (
        top_candidates(shared_key_counts(bands, parts))
        .union(top_candidates(entity_counts, MIN_SHARED_ENTITY_KEYS))
        .union(features.map(lambda f: (f["hash"], (f["order"], f["id"]))).groupByKey(parts).flatMap(lambda kv: first_with_same_hash(list(kv[1]))))
        .union(features.map(lambda f: (f["source"], f["id"])).groupByKey(parts).flatMap(lambda kv: same_source_pairs(list(kv[1]))))
    )
    per_turn = candidates.groupByKey(parts).leftOuterJoin(entity_counts, parts)  # (turn, (others, Counter or None))
    pairs = per_turn.flatMap(lambda kv: [(other, (kv[0], (kv[1][1] or {}).get(other, 0))) for other in set(kv[1][0])])
    slim = docs.mapValues(lambda v: (v[0], for_comparison(v[1]))).persist()
    # Each turn's comparisons run together: the other side's text travels once per pair, the turn's once.
    others = pairs.join(slim, parts).map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1][1])))  # (turn, (other, shared, data))
    decided = others.groupByKey(parts).join(slim, parts).flatMap(lambda kv: decide_turn(kv[0], kv[1][1], list(kv[1][0]))).persist()
    report.pairs_compared = decided.count()
    links = decided.filter(lambda row: row is not None).reduceByKey(lambda x, y: max(x, y, key=lambda r: r[0]), parts).persist()
    links.count()  # computed while what it comes from is still cached
    for rdd in (decided, entity_counts, slim):
        rdd.unpersist()
    return links


def for_comparison(data: str) -> str:
    """A document's JSON with only what `compare` and `document_key` read: less to move per candidate pair."""
    doc = json.loads(data)
    return json.dumps({k: doc[k] for k in COMPARED_FIELDS if k in doc}, ensure_ascii=False)


def decide_turn(turn_id: str, turn: tuple, others: list[tuple]) -> list:
    """What one document's turn of `link(store)` decides against each candidate: `decide` per pair."""
    order, data = turn
    doc = Document.from_dict(json.loads(data))
    return [decide(turn_id, order, doc, other_id, Document.from_dict(json.loads(other_data)), shared)
            for other_id, shared, other_data in sorted(others)]


def decide(turn_id: str, order: tuple, doc: Document, other_id: str, other: Document, shared_entities: int):
    """The link `link(store)` writes when `turn_id`'s turn compares it with `other_id`, keyed by the sorted pair."""
    decision = compare(doc, other, shared_entities=shared_entities, same_source=document_key(doc) == document_key(other))
    if not decision:
        return None
    link = decision.as_link(other_id)
    a, b, evidence = ordered_pair(turn_id, other_id, link["evidence"])
    row = (a, b, link["kind"], float(link["score"]), link["original"], json.dumps(evidence), link["reason"])
    return (a, b), (tuple(order), row)


# -- events ---------------------------------------------------------------------------


def event_rows(doc_id: str, order: tuple, data: str, global_ids: dict[str, str]) -> list[dict]:
    """One row per event mention: its view with global ids, its blocking keys, its cluster summary."""
    doc = Document.from_dict(json.loads(data))
    rows = []
    for index, event in enumerate(doc.events):
        view = event_view(doc, event, global_ids)
        rows.append({"ref": view.ref, "doc": doc_id, "order": (*order, index), "keys": blocking_keys(view),
                     "view": view_to_json(view), "summary": event_summary(doc, event)})
    return rows


def _event_rows_of(kv) -> list[dict]:
    doc_id, ((order, data), ids) = kv
    return event_rows(doc_id, order, data, ids[0] if ids else {})


def event_pair_rows(views, links, parts: int):
    """(a, b, same, slot, reason) for every pair of event mentions `link` compares."""
    counts = shared_key_counts(keyed(views.map(lambda v: (v["order"], v["ref"], v["keys"])), lambda row: row[2]), parts)
    pairs = top_candidates(counts).filter(lambda pair: pair[0].split(":", 1)[0] != pair[1].split(":", 1)[0])
    linked = links.map(lambda kv: (kv[0], True))
    by_docs = pairs.map(lambda p: (tuple(sorted((p[0].split(":", 1)[0], p[1].split(":", 1)[0]))), p))
    with_linked = by_docs.leftOuterJoin(linked, parts).map(lambda kv: (kv[1][0], bool(kv[1][1])))
    data = views.map(lambda v: (v["ref"], v["view"]))
    first = with_linked.map(lambda kv: (kv[0][0], (kv[0][1], kv[1]))).join(data, parts)  # (ref, ((other, linked), view))
    both = first.map(lambda kv: (kv[1][0][0], (kv[0], kv[1][1], kv[1][0][1]))).join(data, parts)  # (other, ((ref, view, linked), other view))
    return both.map(lambda kv: decide_events(kv[1][0][1], kv[1][1], kv[1][0][2]))


def decide_events(view: dict, other: dict, docs_linked: bool) -> tuple:
    decision = compare_events(view_from_json(view), view_from_json(other), docs_linked=docs_linked)
    a, b = sorted((view["ref"], other["ref"]))
    return a, b, decision.same, decision.slot, decision.reason


# -- connected components -------------------------------------------------------------


def connected_components(vertices, edges, parts: int) -> tuple[object, int]:
    """(vertex, smallest vertex of its component), by min-label propagation over joins; and the rounds taken.

    Each round every vertex takes the smallest label among itself and its
    neighbours; rounds grow with the widest component's diameter, which for
    stories and event clusters stays small. Vertices without edges are
    their own component and skip the loop.
    """
    adjacency = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).persist()
    labels = adjacency.keys().distinct(parts).map(lambda v: (v, v)).persist()
    rounds = 0
    while True:
        rounds += 1
        proposals = adjacency.join(labels, parts).map(lambda kv: (kv[1][0], kv[1][1]))
        updated = labels.union(proposals).reduceByKey(min, parts).persist()
        if rounds % CHECKPOINT_EVERY == 0:
            updated.localCheckpoint()
        changed = updated.join(labels, parts).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = updated
        if not changed:
            break
    adjacency.unpersist()
    alone = vertices.map(lambda v: (v, None)).subtractByKey(labels, parts).map(lambda kv: (kv[0], kv[0]))
    return labels.union(alone), rounds


def origin_rows(features, links, parts: int) -> tuple[object, int]:
    """(doc, its independent origin) for the documents joined by copy links, as `link.corpus.origins` gives them."""
    copies = links.map(lambda kv: kv[1][1]).filter(lambda row: row[2] in COPY_KINDS).persist()
    components, rounds = connected_components(features.context.emptyRDD(), copies.map(lambda r: (r[0], r[1])), parts)  # only copies
    derived = copies.filter(lambda r: r[4] in (r[0], r[1])).map(lambda r: (r[1] if r[4] == r[0] else r[0], True)).distinct(parts)
    meta = features.map(lambda f: (f["id"], (f["published"], tuple(f["order"]))))
    members = components.join(meta, parts).leftOuterJoin(derived, parts)  # (doc, ((label, meta), derived or None))
    groups = members.map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], bool(kv[1][1])))).groupByKey(parts)
    copies.unpersist()
    return groups.flatMap(lambda kv: _group_origins(list(kv[1]))), rounds


def _group_origins(members: list[tuple]) -> list[tuple[str, str]]:
    meta = {doc: m for doc, m, _ in members}
    origin = group_origin(sorted(meta), {doc for doc, _, derived in members if derived}, meta)
    return [(doc, origin) for doc in sorted(meta)]


def story_records(features, links, origin_of, parts: int) -> tuple[object, int]:
    """One story per connected group of documents, each built by `link.corpus.story_record`."""
    components, rounds = connected_components(features.map(lambda f: f["id"]), links.keys(), parts)
    meta = features.map(lambda f: (f["id"], (f["published"], tuple(f["order"]), f["title"], f["label"])))
    meta = meta.leftOuterJoin(origin_of, parts).map(lambda kv: (kv[0], (*kv[1][0], kv[1][1] or kv[0])))
    groups = components.join(meta, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).groupByKey(parts)
    return groups.map(lambda kv: _story(dict(kv[1]))), rounds


def _story(meta: dict) -> dict:
    return story_record(sorted(meta), meta, lambda doc_id: meta[doc_id][3], {doc: m[4] for doc, m in meta.items()})


def cluster_rows(views, event_pairs, origin_of, parts: int) -> tuple:
    """(ref, cluster) for every event mention; records and conflicts for clusters told by several documents."""
    same = event_pairs.filter(lambda p: p[2]).map(lambda p: (p[0], p[1]))
    components, rounds = connected_components(views.map(lambda v: v["ref"]), same, parts)
    by_doc = views.map(lambda v: (v["doc"], (v["ref"], v["summary"]))).leftOuterJoin(origin_of, parts)
    summaries = by_doc.map(lambda kv: (kv[1][0][0], with_origin(kv[1][0][1], {kv[0]: kv[1][1] or kv[0]})))
    groups = components.join(summaries, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).groupByKey(parts)
    clusters = groups.map(lambda kv: sorted(kv[1])).persist()
    cluster_of = clusters.flatMap(lambda group: [(ref, cluster_id_of([r for r, _ in group])) for ref, _ in group])
    several = clusters.filter(lambda group: len({ref.split(":", 1)[0] for ref, _ in group}) > 1)
    records = several.map(lambda group: (cluster_record(cluster_id_of([r for r, _ in group]), [s for _, s in group]), [s for _, s in group])).persist()
    return cluster_of, records.map(lambda rs: rs[0]), records.flatMap(lambda rs: cluster_conflicts(*rs)), rounds


# -- writing and loading -----------------------------------------------------------------


def _document_row(kv) -> tuple:
    doc_id, ((order, text_hash, bands), (_, blocks)) = kv
    return (doc_id, *order, text_hash, json.dumps(bands), json.dumps(blocks))


def _view_row(view: dict) -> tuple:
    return (view["ref"], *view["order"], json.dumps(view["keys"]), json.dumps(view["view"], ensure_ascii=False))


def _record_row(kind: str, record: dict) -> tuple:
    return (kind, record["id"], json.dumps(record, ensure_ascii=False))


def _write(spark, path: Path, rows, schema: str) -> int:
    """Write rows as one Parquet table; returns how many."""
    frame = spark.createDataFrame(rows, schema).persist()
    try:
        frame.write.mode("overwrite").parquet(str(path))
        return frame.count()
    finally:
        frame.unpersist()


class _Clock:
    def __init__(self):
        self.started = time.perf_counter()

    def lap(self, report: SparkLinkReport, name: str) -> None:
        now = time.perf_counter()
        report.seconds[name] = round(now - self.started, 3)
        self.started = now
