"""The corpus view rebuilt from pairwise decisions: stories, event clusters, conflicts.

Connected components over stored links and same-event pairs: linear in the
number of links, so it runs after every incremental link. The records
themselves come from pure functions over small per-document summaries
(`story_record`, `event_summary`, `cluster_record`, `cluster_conflicts`), so
the Spark linker (`newstrace.spark.link`) builds the very same records in its
executors.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from newstrace.unionfind import UnionFind

STORY_LABEL_ENTITIES = 3


def rebuild_corpus(store) -> None:
    store.replace_stories(build_stories(store))
    clusters, records, conflicts = build_event_clusters(store)
    store.replace_event_clusters(clusters)
    store.replace_corpus_records("event_clusters", records)
    store.replace_corpus_records("conflicts", conflicts)


# -- stories ------------------------------------------------------------------


def build_stories(store) -> list[dict]:
    """One story per connected group of documents joined by any link."""
    uf = UnionFind()
    for doc_id in store.linked_ids():
        uf.add(doc_id)
    for a, b, _ in store.all_links():
        uf.union(a, b)
    meta = {row["id"]: (row["published"], row["seq"], row["title"]) for row in store.document_meta()}
    stories = []
    for group in uf.groups():
        group = [d for d in group if d in meta]
        if group:
            stories.append(story_record(group, meta, lambda doc_id: story_label(store.get_document(doc_id))))
    return stories


def story_record(group: list[str], meta: dict, label_of) -> dict:
    """The story of a sorted group of document ids.

    `meta` maps each id to (published, ingest order, title); the first report is
    the earliest published, then the first ingested. An untitled first report
    is labelled by `label_of(doc_id)`.
    """
    first = min(group, key=lambda d: (meta[d][0] or "9999", meta[d][1]))
    return {"id": "s" + first[:12], "label": meta[first][2] or label_of(first), "documents": group, "first_reported": first}


def story_label(doc) -> str:
    """For an untitled first report: its most mentioned entities."""
    ranked = sorted(doc.entities, key=lambda e: (-len(e.get("mentions") or []), e["id"])) if doc else []
    names = [e["name"] for e in ranked[:STORY_LABEL_ENTITIES]]
    return ", ".join(names) if names else "untitled story"


# -- event clusters and conflicts -------------------------------------------------


def build_event_clusters(store) -> tuple[dict[str, str], list[dict], list[dict]]:
    """Cluster ids for every event mention; records and conflicts for clusters told by several documents."""
    uf = UnionFind()
    for ref in store.all_event_refs():
        uf.add(ref)
    for pair in store.event_pairs(same=True):
        uf.union(pair["a"], pair["b"])
    clusters, records, conflicts = {}, [], []
    for group in uf.groups():
        cluster_id = cluster_id_of(group)
        for ref in group:
            clusters[ref] = cluster_id
        if len({ref.split(":", 1)[0] for ref in group}) > 1:
            summaries = [s for s in (_stored_summary(store, ref) for ref in group) if s]
            record = cluster_record(cluster_id, summaries)
            records.append(record)
            conflicts += cluster_conflicts(record, summaries)
    return clusters, records, conflicts


def cluster_id_of(group: list[str]) -> str:
    """A cluster's id, from the smallest of its sorted event refs."""
    return "c" + hashlib.sha1(group[0].encode()).hexdigest()[:12]


def _stored_summary(store, ref: str) -> dict | None:
    doc_id, event_id = ref.split(":", 1)
    doc = store.get_document(doc_id)
    event = next((e for e in doc.events if e["id"] == event_id), None) if doc else None
    return event_summary(doc, event) if event else None


def event_summary(doc, event: dict) -> dict:
    """What a cluster record and its conflicts need of one event mention."""
    return {
        "doc": doc.id, "event": event["id"], "type": event["type"], "date": event.get("date"),
        "places": [event["place"].get("text")] if event.get("place") else [],
        "figures": [{"counts": f["counts"], "doc": doc.id, "figure": f["id"], "value": f["value"],
                     "source": _figure_source(doc, f), "published": doc.published} for f in figures_of_event(doc, event)],
    }


def cluster_record(cluster_id: str, summaries: list[dict]) -> dict:
    """The record of one cluster, from the summaries of its events in ref order."""
    dates = Counter(s["date"] for s in summaries if s["date"])
    places = Counter(place for s in summaries for place in s["places"])
    types = Counter(s["type"] for s in summaries)
    return {
        "id": cluster_id,
        "type": types.most_common(1)[0][0] if types else None,
        "events": [{"doc": s["doc"], "event": s["event"]} for s in summaries],
        "date": dates.most_common(1)[0][0] if dates else None,
        "place": places.most_common(1)[0][0] if places else None,
    }


def cluster_conflicts(cluster: dict, summaries: list[dict]) -> list[dict]:
    """Figures for the same count of the same event that differ between documents."""
    by_count: dict[str, list[dict]] = defaultdict(list)
    for summary in summaries:
        for figure in summary["figures"]:
            by_count[figure["counts"]].append({k: figure[k] for k in ("doc", "figure", "value", "source", "published")})
    conflicts = []
    for counts, figures in sorted(by_count.items()):
        if len({f["doc"] for f in figures}) > 1 and len({f["value"] for f in figures}) > 1:
            first = min(figures, key=lambda f: f["published"] or "9999")
            conflicts.append({"id": f"{cluster['id']}:{counts}", "event_cluster": cluster["id"], "counts": counts,
                              "figures": sorted(figures, key=lambda f: (f["published"] or "9999", f["doc"])),
                              "first_reported": first["doc"]})
    return conflicts


def figures_of_event(doc, event: dict) -> list[dict]:
    """Figures with a count in the sentence of the event's trigger."""
    sentence = event.get("sentence") or {}
    start, end = sentence.get("start", -1), sentence.get("end", -1)
    return [f for f in doc.figures if f.get("counts") and start <= f["start"] and f["end"] <= end]


def _figure_source(doc, figure: dict) -> dict:
    """Who claims the figure: its attribution's source and the sources that one cites, else the outlet."""
    attribution = next((a for a in doc.attributions if a["id"] == figure.get("claimed_by")), None)
    if attribution:
        return {"text": attribution["source"]["text"], "kind": attribution.get("source_kind"),
                "via": [v.get("text") for v in attribution.get("via") or []]}
    return {"text": doc.outlet or doc.source.get("path"), "kind": "outlet", "via": []}
