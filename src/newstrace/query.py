"""The query layer: the only code that reads the store for people.

CLI, export, the HTTP API and the web pages call these functions and get
plain dicts and lists back; none of them calls the store itself.
"""
from __future__ import annotations

from collections.abc import Iterator

from newstrace.errors import BadQuery, NotFound
from newstrace.store import Store
from newstrace.store.search_syntax import SYNTAXES

CORPUS_ARRAYS = ("entities", "stories", "event_clusters", "conflicts")


def document(store: Store, doc_id: str) -> dict:
    """One document with every layer, by id or unique id prefix."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFound(f"document with id {doc_id!r}")
    return doc.to_dict()


def documents(store: Store) -> Iterator[dict]:
    """Every document as a dict, in ingest order."""
    for doc in store.documents():
        yield doc.to_dict()


def document_list(store: Store, limit: int = 50, offset: int = 0) -> list[dict]:
    return store.list_documents(limit=limit, offset=offset)


def search(store: Store, query: str, limit: int = 20, syntax: str = "auto") -> list[dict]:
    """Full-text search; `syntax` is auto, words or fts (see store/search_syntax.py)."""
    return store.search(query, limit=limit, syntax=_check_syntax(syntax))


def _check_syntax(syntax: str) -> str:
    if syntax not in SYNTAXES:
        raise BadQuery(f"syntax {syntax!r} is not one of {', '.join(SYNTAXES)}",
                       "give syntax=words to read the query as words, syntax=fts for FTS5 syntax, or leave it out")
    return syntax


def errors(store: Store) -> list[dict]:
    return list(store.errors())


def stats(store: Store) -> dict:
    return store.stats()


def corpus(store: Store) -> dict[str, list]:
    """The corpus-level arrays of the export, as linking left them."""
    return {
        "entities": list(store.global_entities()),
        "stories": list(store.stories()),
        "event_clusters": store.corpus_records("event_clusters"),
        "conflicts": store.corpus_records("conflicts"),
    }


# -- pages of the web UI and HTTP API ---------------------------------------
# Each returns a plain dict; the API sends it as JSON and the page renders it.
# Lists take `limit` and an opaque `cursor` and return `next_cursor` (null at the end).

MAX_LIMIT = 500
#: A cursor is an offset; more digits than this cannot be one (and overflow the engines' 64-bit OFFSET).
MAX_CURSOR_DIGITS = 15
ENTITY_DOCUMENTS = 100
STORY_DOCUMENTS = 200
SOURCE_NODES = 60


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > MAX_CURSOR_DIGITS:
        raise BadQuery(f"bad cursor {cursor[:40]!r}", "pass back the next_cursor value a list returned, unchanged")
    return int(cursor)


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit {limit} is out of range", f"give a limit from 1 to {MAX_LIMIT}")
    return limit


def _page(fetch, limit: int, cursor: str | None, **extra) -> dict:
    """One page of `fetch(limit, offset)` rows, fetching one more to know whether there is a next."""
    offset = _offset(cursor)
    rows = fetch(_check_limit(limit) + 1, offset)
    more = len(rows) > limit
    return {**extra, "items": rows[:limit], "limit": limit, "cursor": cursor,
            "next_cursor": str(offset + limit) if more else None}


def document_page(store: Store, limit: int = 50, cursor: str | None = None) -> dict:
    """Documents in ingest order, one page."""
    return _page(store.document_rows, limit, cursor)


def titles(store: Store, ids: list[str]) -> dict[str, dict]:
    """Summary rows (title, published, outlet, path) of these documents, by id."""
    return store.document_summaries(sorted(set(ids)))


def search_page(store: Store, q: str, limit: int = 20, cursor: str | None = None, syntax: str = "auto") -> dict:
    """Full-text search, best match first; each snippet comes with the offsets of its hits in `marks`.

    `syntax` is auto (words, unless the query uses FTS5 operators), words or fts; see store/search_syntax.py.
    """
    q, syntax = (q or "").strip(), _check_syntax(syntax)
    if not q:
        return {"query": q, "items": [], "limit": limit, "cursor": cursor, "next_cursor": None}

    def fetch(n: int, offset: int) -> list[dict]:
        rows = store.search_rows(q, n, offset, syntax)  # BadQuery when malformed
        return [{**row, **_snippet_marks(row["snippet"] or "")} for row in rows]

    return _page(fetch, limit, cursor, query=q)


def _snippet_marks(marked: str) -> dict:
    """Split a snippet marked with \\x02...\\x03 into plain text and hit offsets."""
    text, marks, start = [], [], None
    length = 0
    for char in marked:
        if char == "\x02":
            start = length
        elif char == "\x03" and start is not None:
            marks.append([start, length])
            start = None
        else:
            text.append(char)
            length += 1
    return {"snippet": "".join(text), "marks": marks}


def copy_view(store: Store, a: str, b: str) -> dict:
    """Two linked documents side by side: their texts, the link and its aligned passages (from a's side)."""
    left, right = document(store, a), document(store, b)
    link = next((l for l in left["links"] if l["other"] == right["id"]), None)
    if link is None:
        raise NotFound(f"link between {left['id']} and {right['id']}", "open a document page and follow one of its links")
    keep = ("id", "title", "published", "outlet", "url", "source", "text")
    return {"a": {k: left[k] for k in keep}, "b": {k: right[k] for k in keep}, "link": link}


def link_page(store: Store, kind: str | None = None, limit: int = 50, cursor: str | None = None) -> dict:
    """Links between documents (copies, rewrites, versions, same story), strongest first."""
    page = _page(lambda n, o: store.link_rows(n, o, kind), limit, cursor, kind=kind)
    _add_titles(store, page["items"], ("a", "b"))
    return page


def _add_titles(store: Store, rows: list[dict], keys: tuple[str, ...]) -> None:
    found = titles(store, [row[k] for row in rows for k in keys if row.get(k)])
    for row in rows:
        for key in keys:
            summary = found.get(row.get(key)) or {}
            row[f"{key}_title"] = summary.get("title")
            row[f"{key}_published"] = summary.get("published")


def story_page(store: Store, limit: int = 50, cursor: str | None = None, min_documents: int = 1) -> dict:
    """Stories, the most reported first."""
    return _page(lambda n, o: store.story_rows(n, o, min_documents), limit, cursor, min_documents=min_documents)


def story(store: Store, story_id: str) -> dict:
    """A story: its reports in order of publication (who reported first), its events by cluster, its conflicting figures."""
    record = store.story_record(story_id)
    if record is None:
        raise NotFound(f"story with id {story_id!r}", "open /stories to see the ids")
    ids = record["documents"][:STORY_DOCUMENTS]
    summaries = titles(store, ids)
    reports = sorted((summaries[i] for i in ids if i in summaries), key=lambda r: (r["published"] or "9999", r["seq"]))
    events, clusters = [], set()
    for report in reports:
        report["first"] = report["id"] == record["first_reported"]
        doc = store.get_document(report["id"])
        for event in doc.events if doc else []:
            events.append(_event_row(doc, event))
            clusters.add(event.get("cluster"))
    conflicts = [c for c in store.corpus_records("conflicts") if c["event_cluster"] in clusters]
    return {**record, "size": len(record["documents"]), "independent": len(record["origins"]), "reports": reports,
            "events": sorted(events, key=lambda e: (e["cluster"] or "", e["published"] or "9999")),
            "conflicts": [_conflict_view(store, c) for c in conflicts]}


def _event_row(doc, event: dict) -> dict:
    return {"doc": doc.id, "title": doc.title, "published": doc.published, "event": event["id"],
            "type": event["type"], "mode": event.get("mode"), "trigger": event["trigger"]["text"],
            "sentence": (event.get("sentence") or {}).get("text"), "date": event.get("date"),
            "actors": [a["text"] for a in event.get("actors") or []],
            "targets": [t["text"] for t in event.get("targets") or []],
            "place": (event.get("place") or {}).get("text"), "cluster": event.get("cluster"),
            "hedged": event.get("hedged")}


def _conflict_view(store: Store, conflict: dict) -> dict:
    """A conflict with each figure's words and sentence, for showing the reports side by side."""
    figures = []
    for figure in conflict["figures"]:
        doc = store.get_document(figure["doc"])
        record = next((f for f in doc.figures if f["id"] == figure["figure"]), None) if doc else None
        figures.append({**figure, "title": doc.title if doc else None,
                        "text": record["text"] if record else None,
                        "sentence": _sentence_of(doc, record["start"]) if record else None})
    return {**conflict, "figures": figures}


def _sentence_of(doc, offset: int) -> str | None:
    for start, end in doc.sentences:
        if start <= offset < end:
            return doc.text[start:end].strip()
    return None


def conflicts(store: Store, limit: int = 50, cursor: str | None = None) -> dict:
    """Figures that disagree between reports of the same event, each with its words and source."""
    page = _page(lambda n, o: store.corpus_record_rows("conflicts", n, o), limit, cursor)
    page["items"] = [_conflict_view(store, c) for c in page["items"]]
    return page


def entity_page(store: Store, type: str | None = None, limit: int = 50, cursor: str | None = None) -> dict:
    """Global entities, those named in most documents first."""
    return _page(lambda n, o: store.entity_rows(n, o, type), limit, cursor, type=type)


def entity(store: Store, global_id: str, limit: int = ENTITY_DOCUMENTS, cursor: str | None = None) -> dict:
    """One global entity: aliases, mentions across documents, the events it acts in, its co-actors."""
    record = store.global_entity(global_id)
    if record is None:
        raise NotFound(f"entity with id {global_id!r}", "open /entities to see the ids")
    page = _page(lambda n, o: store.entity_occurrences(global_id, n, o), limit, cursor)
    mentions, events, co_actors = [], [], {}
    for doc_id, entity_id in page.pop("items"):
        doc = store.get_document(doc_id)
        local = next((e for e in doc.entities if e["id"] == entity_id), None) if doc else None
        if local is None:
            continue
        for mention in local.get("mentions") or []:
            mentions.append({"doc": doc.id, "title": doc.title, "published": doc.published, "entity": entity_id,
                             "start": mention["start"], "end": mention["end"], "text": mention["text"],
                             "sentence": _sentence_of(doc, mention["start"])})
        global_ids = {e["id"]: e.get("global_id") for e in doc.entities}
        for event in doc.events:
            role = _role_in(event, entity_id)
            if role is None:
                continue
            events.append({**_event_row(doc, event), "role": role})
            for other in (event.get("actors") or []) + (event.get("targets") or []):
                other_global = global_ids.get(other.get("entity"))
                if other_global and other_global != global_id:
                    co_actors[other_global] = co_actors.get(other_global, 0) + 1
    names = store.global_names(list(co_actors)) if co_actors else {}
    ranked = sorted(co_actors.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    return {**record, "mentions": mentions, "events": events,
            "co_actors": [{"global_id": g, "name": names.get(g), "events": n} for g, n in ranked],
            "limit": page["limit"], "cursor": cursor, "next_cursor": page["next_cursor"]}


def _role_in(event: dict, entity_id: str) -> str | None:
    if any(a.get("entity") == entity_id for a in event.get("actors") or []):
        return "actor"
    if any(t.get("entity") == entity_id for t in event.get("targets") or []):
        return "target"
    if (event.get("place") or {}).get("entity") == entity_id:
        return "place"
    return None


def events(store: Store, type: str | None = None, limit: int = 50, cursor: str | None = None) -> dict:
    """Events across documents in date order, with counts per date for the timeline."""
    match = {"type": type} if type else None

    def fetch(n: int, offset: int) -> list[dict]:
        rows = store.layer_rows("events", n, offset, match)
        return [{**_event_fields(row["record"]), "doc": row["doc"], "title": row["title"], "published": row["published"]} for row in rows]

    return _page(fetch, limit, cursor, type=type, by_date=store.event_date_counts(type) if not cursor else None)


def _event_fields(event: dict) -> dict:
    return {"event": event["id"], "type": event["type"], "mode": event.get("mode"),
            "trigger": event["trigger"]["text"], "sentence": (event.get("sentence") or {}).get("text"),
            "date": event.get("date"), "actors": [a["text"] for a in event.get("actors") or []],
            "targets": [t["text"] for t in event.get("targets") or []],
            "place": (event.get("place") or {}).get("text"), "hedged": event.get("hedged")}


def figures(store: Store, counts: str | None = None, limit: int = 50, cursor: str | None = None) -> dict:
    """Figures across documents (what is counted, value, qualifier, who claims it), in ingest order."""
    match = {"counts": counts} if counts else None

    def fetch(n: int, offset: int) -> list[dict]:
        rows = store.layer_rows("figures", n, offset, match)
        return [{**row["record"], "figure": row["record"]["id"], "doc": row["doc"], "title": row["title"],
                 "published": row["published"]} for row in rows]

    return _page(fetch, limit, cursor, counts=counts)


def sources_graph(store: Store, max_nodes: int = SOURCE_NODES) -> dict:
    """Who cites whom: outlets cite sources, sources cite the sources in their `via` chain.

    Returns nodes (most connected first, at most `max_nodes`), weighted edges between them,
    and each outlet's count and share of anonymous sources.
    """
    edges: dict[tuple[str, str], int] = {}
    nodes: dict[str, dict] = {}
    outlets: dict[str, dict] = {}

    def node(label: str, kind: str) -> str:
        key = f"{kind}:{_source_key(label)}"
        entry = nodes.setdefault(key, {"id": key, "label": label, "kind": kind, "weight": 0})
        entry["weight"] += 1
        return key

    for row in store.attribution_sources():
        outlet = row["outlet"] or "unknown"
        tally = outlets.setdefault(outlet, {"outlet": outlet, "attributions": 0, "anonymous": 0})
        tally["attributions"] += 1
        tally["anonymous"] += row["kind"] == "anonymous"
        source = node(row["source"] or "(unnamed)", row["kind"] or "unknown")
        edge = (node(outlet, "outlet"), source)
        edges[edge] = edges.get(edge, 0) + 1
        for via in row["via"]:
            cited = node(via.get("text") or "(unnamed)", via.get("source_kind") or "unknown")
            edges[(source, cited)] = edges.get((source, cited), 0) + 1
    kept = sorted(nodes.values(), key=lambda n: (-n["weight"], n["id"]))[:max_nodes]
    keep = {n["id"] for n in kept}
    for tally in outlets.values():
        tally["anonymous_share"] = round(tally["anonymous"] / tally["attributions"], 3) if tally["attributions"] else 0.0
    return {"nodes": kept,
            "edges": [{"from": a, "to": b, "kind": "reports" if a.startswith("outlet:") else "cites", "count": n}
                      for (a, b), n in sorted(edges.items(), key=lambda item: (-item[1], item[0])) if a in keep and b in keep],
            "outlets": sorted(outlets.values(), key=lambda t: (-t["attributions"], t["outlet"])),
            "nodes_total": len(nodes)}


def _source_key(label: str) -> str:
    """One node per source however it is written: case, a leading article and spacing do not count."""
    words = label.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def corpus_stats(store: Store) -> dict:
    """Corpus statistics: store counts, layer sizes and what linking built."""
    return {**store.stats(layers=True), **store.corpus_counts()}


def error_page(store: Store, limit: int = 50, cursor: str | None = None) -> dict:
    """Recorded failures, oldest first."""
    return _page(lambda n, o: list(store.errors())[o:o + n], limit, cursor)
