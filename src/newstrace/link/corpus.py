"""The corpus view rebuilt from pairwise decisions: stories, event clusters, conflicts.

Connected components over stored links and same-event pairs: linear in the
number of links, so it runs after every incremental link. The records
themselves come from pure functions over small per-document summaries
(`story_record`, `event_summary`, `cluster_record`, `cluster_conflicts`), so
the Spark linker (`newstrace.spark.link`) builds the very same records in its
executors.

Counts are of independent origins. A copy, near copy, rewrite or version
inherits its original's claims, so the reports joined by such links are one
origin (`origins`, `group_origin`), named by its likely original. A story
and an event cluster list their `origins`, each with the number of
`reports` behind it; a conflict says for each value which origins give it
and how many reports stand behind them.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from newstrace.link.copies import COPY_KINDS
from newstrace.unionfind import UnionFind

STORY_LABEL_ENTITIES = 3


def rebuild_corpus(store) -> None:
    meta = {row["id"]: (row["published"], row["seq"], row["title"]) for row in store.document_meta()}
    origin_of = origins(store.copy_links(), meta)
    store.replace_stories(build_stories(store, meta, origin_of))
    clusters, records, conflicts = build_event_clusters(store, origin_of)
    store.replace_event_clusters(clusters)
    store.replace_corpus_records("event_clusters", records)
    store.replace_corpus_records("conflicts", conflicts)


# -- stories ------------------------------------------------------------------


# -- independent origins ------------------------------------------------------------


def origins(copy_links, meta: dict) -> dict[str, str]:
    """Each document joined to others by copy links -> the origin of its group (documents alone are their own).

    `copy_links` yields (a, b, original) for the links of COPY_KINDS; `meta`
    maps ids to (published, ingest order, ...).
    """
    uf, derived = UnionFind(), set()
    for a, b, original in copy_links:
        uf.union(a, b)
        if original in (a, b):
            derived.add(b if original == a else a)
    origin_of = {}
    for group in uf.groups():
        group = [d for d in group if d in meta]
        origin = group_origin(group, derived, meta) if group else None
        origin_of.update((d, origin) for d in group)
    return origin_of


def group_origin(group: list[str], derived: set[str], meta: dict) -> str:
    """The origin of a group of copies: the member no link calls a copy, the earliest published, then first ingested.

    With no such member (the links' originals run in a circle), the earliest of all.
    """
    candidates = [d for d in group if d not in derived] or group
    return min(candidates, key=lambda d: (meta[d][0] or "9999", meta[d][1], d))


def origin_counts(docs, origin_of) -> list[dict]:
    """[{doc: origin, reports: n}] for a set of documents: how many of them stand behind each origin, most first."""
    counts = Counter(origin_of.get(d, d) for d in set(docs))
    return [{"doc": origin, "reports": n} for origin, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


# -- stories ------------------------------------------------------------------------


def build_stories(store, meta: dict, origin_of: dict[str, str]) -> list[dict]:
    """One story per connected group of documents joined by any link."""
    uf = UnionFind()
    for doc_id in store.linked_ids():
        uf.add(doc_id)
    for a, b, _ in store.all_links():
        uf.union(a, b)
    stories = []
    for group in uf.groups():
        group = [d for d in group if d in meta]
        if group:
            stories.append(story_record(group, meta, lambda doc_id: story_label(store.get_document(doc_id)), origin_of))
    return stories


def story_record(group: list[str], meta: dict, label_of, origin_of: dict[str, str]) -> dict:
    """The story of a sorted group of document ids.

    `meta` maps each id to (published, ingest order, title); the first report is
    the earliest published, then the first ingested. An untitled first report
    is labelled by `label_of(doc_id)`. `origin_of` gives each copy its origin.
    """
    first = min(group, key=lambda d: (meta[d][0] or "9999", meta[d][1]))
    return {"id": "s" + first[:12], "label": meta[first][2] or label_of(first), "documents": group, "first_reported": first,
            "origins": origin_counts(group, origin_of)}


def story_label(doc) -> str:
    """For an untitled first report: its most mentioned entities."""
    ranked = sorted(doc.entities, key=lambda e: (-len(e.get("mentions") or []), e["id"])) if doc else []
    names = [e["name"] for e in ranked[:STORY_LABEL_ENTITIES]]
    return ", ".join(names) if names else "untitled story"


# -- event clusters and conflicts -------------------------------------------------


def build_event_clusters(store, origin_of: dict[str, str]) -> tuple[dict[str, str], list[dict], list[dict]]:
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
            summaries = [with_origin(s, origin_of) for s in (_stored_summary(store, ref) for ref in group) if s]
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


def with_origin(summary: dict, origin_of: dict[str, str]) -> dict:
    """An event summary with the independent origin of its document."""
    return {**summary, "origin": origin_of.get(summary["doc"], summary["doc"])}


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
        "origins": origin_counts([s["doc"] for s in summaries], {s["doc"]: s["origin"] for s in summaries}),
    }


def cluster_conflicts(cluster: dict, summaries: list[dict]) -> list[dict]:
    """Figures for the same count of the same event that differ between documents, tallied by independent origin.

    A copy's figure is listed with its `origin` and counts under it, never as
    a source of its own: `values` gives each value's origins and the reports
    behind them, `origins` how many independent origins take part (1: a
    copy changed its original's figure).
    """
    by_count: dict[str, list[dict]] = defaultdict(list)
    for summary in summaries:
        for figure in summary["figures"]:
            by_count[figure["counts"]].append({**{k: figure[k] for k in ("doc", "figure", "value", "source", "published")},
                                               "origin": summary["origin"]})
    conflicts = []
    for counts, figures in sorted(by_count.items()):
        if len({f["doc"] for f in figures}) < 2 or len({f["value"] for f in figures}) < 2:
            continue
        first = min(figures, key=lambda f: f["published"] or "9999")
        conflicts.append({"id": f"{cluster['id']}:{counts}", "event_cluster": cluster["id"], "counts": counts,
                          "figures": sorted(figures, key=lambda f: (f["published"] or "9999", f["doc"])),
                          "first_reported": first["doc"], "values": value_tallies(figures),
                          "origins": len({f["origin"] for f in figures})})
    return conflicts


def value_tallies(figures: list[dict]) -> list[dict]:
    """Each value, the independent origins that give it and how many reports stand behind them, most origins first."""
    by_value: dict = defaultdict(lambda: (set(), set()))
    for figure in figures:
        by_value[figure["value"]][0].add(figure["origin"])
        by_value[figure["value"]][1].add(figure["doc"])
    tallies = [{"value": value, "origins": sorted(origins), "reports": len(docs)} for value, (origins, docs) in by_value.items()]
    return sorted(tallies, key=lambda t: (-len(t["origins"]), -t["reports"], t["value"]))


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
