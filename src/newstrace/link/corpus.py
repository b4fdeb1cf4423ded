"""The corpus view rebuilt from pairwise decisions: stories, event clusters, conflicts.

Connected components over stored links and same-event pairs: linear in the
number of links, so it runs after every incremental link.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from newstrace.unionfind import UnionFind

STORY_LABEL_ENTITIES = 3


def rebuild_corpus(store) -> None:
    store.replace_stories(build_stories(store))
    clusters, records = build_event_clusters(store)
    store.replace_event_clusters(clusters)
    store.replace_corpus_records("event_clusters", records)
    store.replace_corpus_records("conflicts", build_conflicts(store, records))


def build_stories(store) -> list[dict]:
    """One story per connected group of documents joined by any link."""
    uf = UnionFind()
    for doc_id in store.linked_ids():
        uf.add(doc_id)
    for a, b, _ in store.all_links():
        uf.union(a, b)
    meta = {row["id"]: (row["published"], row["title"], row["seq"]) for row in store.document_meta()}
    stories = []
    for group in uf.groups():
        group = [d for d in group if d in meta]
        if not group:
            continue
        first = min(group, key=lambda d: (meta[d][0] or "9999", meta[d][2]))
        stories.append({"id": "s" + first[:12], "label": meta[first][1] or _story_label(store, first),
                        "documents": group, "first_reported": first})
    return stories


def _story_label(store, doc_id: str) -> str:
    """For an untitled first report: its most mentioned entities."""
    doc = store.get_document(doc_id)
    ranked = sorted(doc.entities, key=lambda e: (-len(e.get("mentions") or []), e["id"])) if doc else []
    names = [e["name"] for e in ranked[:STORY_LABEL_ENTITIES]]
    return ", ".join(names) if names else "untitled story"


def build_event_clusters(store) -> tuple[dict[str, str], list[dict]]:
    """Cluster ids for every event mention, and records for clusters told by several documents."""
    uf = UnionFind()
    for ref in store.all_event_refs():
        uf.add(ref)
    for pair in store.event_pairs(same=True):
        uf.union(pair["a"], pair["b"])
    clusters, records = {}, []
    for group in uf.groups():
        cluster_id = "c" + hashlib.sha1(group[0].encode()).hexdigest()[:12]
        for ref in group:
            clusters[ref] = cluster_id
        if len({ref.split(":", 1)[0] for ref in group}) > 1:
            records.append(_cluster_record(store, cluster_id, group))
    return clusters, records


def _cluster_record(store, cluster_id: str, refs: list[str]) -> dict:
    events = []
    for ref in refs:
        doc_id, event_id = ref.split(":", 1)
        doc = store.get_document(doc_id)
        event = next((e for e in doc.events if e["id"] == event_id), None) if doc else None
        if event:
            events.append((doc, event))
    dates = Counter(e["date"] for _, e in events if e.get("date"))
    places = Counter((e.get("place") or {}).get("text") for _, e in events if e.get("place"))
    types = Counter(e["type"] for _, e in events)
    return {
        "id": cluster_id,
        "type": types.most_common(1)[0][0] if types else None,
        "events": [{"doc": doc.id, "event": event["id"]} for doc, event in events],
        "date": dates.most_common(1)[0][0] if dates else None,
        "place": places.most_common(1)[0][0] if places else None,
    }


def build_conflicts(store, clusters: list[dict]) -> list[dict]:
    """Figures for the same count of the same event that differ between documents."""
    conflicts = []
    for cluster in clusters:
        by_count: dict[str, list[dict]] = defaultdict(list)
        for ref in cluster["events"]:
            doc = store.get_document(ref["doc"])
            event = next(e for e in doc.events if e["id"] == ref["event"])
            for figure in figures_of_event(doc, event):
                by_count[figure["counts"]].append({
                    "doc": doc.id, "figure": figure["id"], "value": figure["value"],
                    "source": _figure_source(doc, figure), "published": doc.published,
                })
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
