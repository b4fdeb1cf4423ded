"""The linking tables of the SQLite store: LSH and blocking indexes, links, global
entities, event pairs and clusters, stories, corpus records.

Kept apart from sqlite.py so the document store stays short; `SQLiteStore`
mixes this in. The indexes persist, so a new ingest links only new documents.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator

#: A blocking or band key shared by more documents than this is too common to tell anything.
MAX_DOCS_PER_KEY = 200
KEY_TABLES = ("lsh_bands", "block_keys", "event_keys")


class LinkTables:
    db = None  # the sqlite3 connection, set by SQLiteStore

    def transaction(self):
        return _Transaction(self.db)

    # -- state ----------------------------------------------------------------

    def unlinked_ids(self) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM link_state) ORDER BY seq"
        )
        return [row[0] for row in rows]

    def mark_linked(self, doc_id: str, text_hash: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO link_state VALUES (?, ?, ?)", (doc_id, text_hash, time.time()))

    def linked_ids(self) -> Iterator[str]:
        yield from (r[0] for r in self.db.execute("SELECT doc_id FROM link_state"))

    def document_meta(self) -> Iterator[dict]:
        """id, published, title and ingest order of every document, for building stories."""
        yield from (dict(r) for r in self.db.execute("SELECT id, published, title, seq FROM documents"))

    def ids_with_hash(self, text_hash: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM link_state WHERE text_hash = ?", (text_hash,))]

    def reset_links(self) -> None:
        with self.transaction():
            for table in ("link_state", "lsh_bands", "block_keys", "links", "entity_keys", "global_entities",
                          "entity_globals", "event_keys", "event_views", "event_pairs", "event_clusters", "stories",
                          "doc_story", "corpus_records"):
                self.db.execute(f"DELETE FROM {table}")

    def version_ids(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT b FROM versions WHERE a = ?", (doc_id,))]

    # -- keys -----------------------------------------------------------------

    def add_keys(self, table: str, ref: str, keys: Iterable[str]) -> None:
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        self.db.executemany(f"INSERT OR IGNORE INTO {table} (key, {column}) VALUES (?, ?)", [(k, ref) for k in keys])

    def refs_with_keys(self, table: str, keys: list[str]) -> Counter:
        """How many of `keys` each stored ref shares; keys held by too many refs are skipped."""
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        found: Counter = Counter()
        for key in keys:
            refs = [r[0] for r in self.db.execute(f"SELECT {column} FROM {table} WHERE key = ? LIMIT ?", (key, MAX_DOCS_PER_KEY + 1))]
            if len(refs) <= MAX_DOCS_PER_KEY:
                found.update(refs)
        return found

    # -- links ----------------------------------------------------------------

    def put_link(self, a: str, b: str, link: dict) -> None:
        a, b, evidence = ordered_pair(a, b, link["evidence"])
        self.db.execute(
            "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?)",
            (a, b, link["kind"], link["score"], link["original"], json.dumps(evidence), link["reason"]),
        )

    def links_of(self, doc_id: str) -> list[dict]:
        """Links of one document, each seen from its side (evidence `a` is this document)."""
        rows = self.db.execute("SELECT * FROM links WHERE a = ? OR b = ? ORDER BY kind, a, b", (doc_id, doc_id))
        return [link_from_row(row, doc_id) for row in rows]

    def all_links(self) -> Iterator[tuple[str, str, str]]:
        yield from ((r["a"], r["b"], r["kind"]) for r in self.db.execute("SELECT a, b, kind FROM links"))

    def linked_pair(self, a: str, b: str) -> str | None:
        a, b = sorted((a, b))
        row = self.db.execute("SELECT kind FROM links WHERE a = ? AND b = ?", (a, b)).fetchone()
        return row[0] if row else None

    # -- global entities ------------------------------------------------------

    def global_for_keys(self, keys: list[str]) -> dict[str, str]:
        found = {}
        for key in keys:
            row = self.db.execute("SELECT global_id FROM entity_keys WHERE key = ?", (key,)).fetchone()
            if row:
                found[key] = row[0]
        return found

    def put_entity_global(self, doc_id: str, entity: dict, global_id: str, keys: list[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO entity_keys VALUES (?, ?)", [(k, global_id) for k in keys])
        self.db.execute("INSERT OR REPLACE INTO entity_globals VALUES (?, ?, ?)", (doc_id, entity["id"], global_id))
        row = self.db.execute("SELECT aliases FROM global_entities WHERE global_id = ?", (global_id,)).fetchone()
        names = [entity["name"], *entity.get("aliases", [])]
        if row is None:
            self.db.execute("INSERT INTO global_entities VALUES (?, ?, ?, ?)",
                            (global_id, entity["name"], entity["type"], json.dumps(names[1:], ensure_ascii=False)))
            return
        aliases = json.loads(row[0])
        current = self.db.execute("SELECT name FROM global_entities WHERE global_id = ?", (global_id,)).fetchone()[0]
        added = [n for n in names if n != current and n not in aliases]
        if added:
            self.db.execute("UPDATE global_entities SET aliases = ? WHERE global_id = ?",
                            (json.dumps(aliases + added, ensure_ascii=False), global_id))

    def global_ids_of(self, doc_id: str) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT entity_id, global_id FROM entity_globals WHERE doc_id = ?", (doc_id,))}

    def global_entities(self) -> Iterator[dict]:
        rows = self.db.execute(
            "SELECT g.global_id, g.name, g.type, g.aliases, group_concat(DISTINCT e.doc_id) AS docs"
            " FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id"
            " GROUP BY g.global_id ORDER BY g.global_id"
        )
        for row in rows:
            yield {"global_id": row["global_id"], "name": row["name"], "type": row["type"],
                   "aliases": json.loads(row["aliases"]), "documents": sorted(row["docs"].split(","))}

    # -- events ---------------------------------------------------------------

    def put_event_view(self, ref: str, data: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO event_views VALUES (?, ?)", (ref, json.dumps(data, ensure_ascii=False)))

    def event_view_data(self, ref: str) -> dict | None:
        row = self.db.execute("SELECT data FROM event_views WHERE ref = ?", (ref,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_event_pair(self, a: str, b: str, same: bool, slot: str, reason: str) -> None:
        a, b = sorted((a, b))
        self.db.execute("INSERT OR REPLACE INTO event_pairs VALUES (?, ?, ?, ?, ?)", (a, b, int(same), slot, reason))

    def event_pairs(self, same: bool | None = None) -> Iterator[dict]:
        sql = "SELECT * FROM event_pairs" + ("" if same is None else " WHERE same = ?")
        yield from (dict(r) for r in self.db.execute(sql, () if same is None else (int(same),)))

    def all_event_refs(self) -> Iterator[str]:
        yield from (r[0] for r in self.db.execute("SELECT DISTINCT ref FROM event_keys ORDER BY ref"))

    def replace_event_clusters(self, clusters: dict[str, str]) -> None:
        self.db.execute("DELETE FROM event_clusters")
        self.db.executemany("INSERT INTO event_clusters VALUES (?, ?)", sorted(clusters.items()))

    def clusters_of(self, doc_id: str) -> dict[str, str]:
        rows = self.db.execute("SELECT ref, cluster FROM event_clusters WHERE ref >= ? AND ref < ?", (doc_id + ":", doc_id + ";"))
        return {r[0].split(":", 1)[1]: r[1] for r in rows}

    # -- stories and corpus records ---------------------------------------------

    def replace_stories(self, stories: list[dict]) -> None:
        self.db.execute("DELETE FROM stories")
        self.db.execute("DELETE FROM doc_story")
        for story in stories:
            self.db.execute("INSERT INTO stories VALUES (?, ?, ?, ?)",
                            (story["id"], story["label"], story["first_reported"], json.dumps(story["documents"])))
            self.db.executemany("INSERT INTO doc_story VALUES (?, ?)", [(d, story["id"]) for d in story["documents"]])

    def story_of(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM doc_story WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def stories(self) -> Iterator[dict]:
        for row in self.db.execute("SELECT * FROM stories ORDER BY id"):
            yield {"id": row["id"], "label": row["label"], "documents": json.loads(row["documents"]),
                   "first_reported": row["first_reported"]}

    def replace_corpus_records(self, kind: str, records: list[dict]) -> None:
        self.db.execute("DELETE FROM corpus_records WHERE kind = ?", (kind,))
        self.db.executemany("INSERT INTO corpus_records VALUES (?, ?, ?)",
                            [(kind, r["id"], json.dumps(r, ensure_ascii=False)) for r in records])

    def corpus_records(self, kind: str) -> list[dict]:
        return [json.loads(r[0]) for r in self.db.execute("SELECT data FROM corpus_records WHERE kind = ? ORDER BY id", (kind,))]

    # -- reads for the query layer (web pages and API) ------------------------

    def document_rows(self, limit: int, offset: int = 0) -> list[dict]:
        """Summary rows in ingest order, with layer sizes, one page."""
        rows = self.db.execute(
            "SELECT id, title, published, outlet, url, path, position, length(text) AS chars FROM documents"
            " ORDER BY seq LIMIT ? OFFSET ?", (limit, offset))
        return [dict(row) for row in rows]

    def document_summaries(self, ids: list[str]) -> dict[str, dict]:
        """Summary rows (id, title, published, outlet, url, path, position) of these documents, by id."""
        found = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT id, title, published, outlet, url, path, position, seq FROM documents WHERE id IN ({marks})", chunk):
                found[row["id"]] = dict(row)
        return found

    def search_rows(self, query: str, limit: int, offset: int = 0) -> list[dict]:
        """Full-text matches, best first; the snippet marks hits with \\x02 and \\x03."""
        rows = self.db.execute(
            "SELECT d.id, d.title, d.published, d.outlet, d.path, d.position,"
            " snippet(documents_fts, 1, char(2), char(3), ' … ', 16) AS snippet"
            " FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid"
            " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?", (query, limit, offset))
        return [dict(row) for row in rows]

    def story_record(self, story_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        return {"id": row["id"], "label": row["label"], "documents": json.loads(row["documents"]),
                "first_reported": row["first_reported"]}

    def story_rows(self, limit: int, offset: int = 0, min_documents: int = 1) -> list[dict]:
        """Stories, the most reported first, with their size."""
        rows = self.db.execute(
            "SELECT s.id, s.label, s.first_reported, json_array_length(s.documents) AS size, d.published"
            " FROM stories s LEFT JOIN documents d ON d.id = s.first_reported"
            " WHERE json_array_length(s.documents) >= ? ORDER BY size DESC, s.id LIMIT ? OFFSET ?",
            (min_documents, limit, offset))
        return [dict(row) for row in rows]

    def global_entity(self, global_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM global_entities WHERE global_id = ?", (global_id,)).fetchone()
        if row is None:
            return None
        return {"global_id": row["global_id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"])}

    def entity_rows(self, limit: int, offset: int = 0, type: str | None = None) -> list[dict]:
        """Global entities, those in most documents first."""
        rows = self.db.execute(
            "SELECT g.global_id, g.name, g.type, g.aliases, count(DISTINCT e.doc_id) AS documents"
            " FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id"
            " WHERE (? IS NULL OR g.type = ?) GROUP BY g.global_id ORDER BY documents DESC, g.name, g.global_id"
            " LIMIT ? OFFSET ?", (type, type, limit, offset))
        return [{**dict(row), "aliases": json.loads(row["aliases"])} for row in rows]

    def entity_occurrences(self, global_id: str, limit: int, offset: int = 0) -> list[tuple[str, str]]:
        """(document id, entity id) pairs of one global entity, in ingest order."""
        rows = self.db.execute(
            "SELECT e.doc_id, e.entity_id FROM entity_globals e JOIN documents d ON d.id = e.doc_id"
            " WHERE e.global_id = ? ORDER BY d.seq, e.entity_id LIMIT ? OFFSET ?", (global_id, limit, offset))
        return [(row[0], row[1]) for row in rows]

    def global_names(self, global_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(global_ids))
        rows = self.db.execute(f"SELECT global_id, name FROM global_entities WHERE global_id IN ({marks})", global_ids)
        return {row[0]: row[1] for row in rows}

    def link_rows(self, limit: int, offset: int = 0, kind: str | None = None) -> list[dict]:
        """Links between documents, strongest first, without their evidence."""
        rows = self.db.execute(
            "SELECT a, b, kind, score, original, reason, json_array_length(evidence) AS passages FROM links"
            " WHERE (? IS NULL OR kind = ?) ORDER BY score DESC, a, b LIMIT ? OFFSET ?", (kind, kind, limit, offset))
        return [dict(row) for row in rows]

    def layer_rows(self, layer: str, limit: int, offset: int = 0, where: str = "", params: tuple = ()) -> list[dict]:
        """Records of one layer across documents as (doc id, title, published, record), in date order.

        `where` is a fixed SQL condition over `r` (the record's JSON), with `params` bound.
        """
        assert layer in ("events", "figures", "attributions", "quotes", "times")
        order = "coalesce(json_extract(r.value, '$.date'), d.published, '9999')" if layer == "events" else "d.seq"
        rows = self.db.execute(
            f"SELECT d.id, d.title, d.published, d.outlet, r.value AS record FROM documents d, json_each(d.data, '$.{layer}') r"
            f" WHERE 1 {where} ORDER BY {order}, d.seq, r.key LIMIT ? OFFSET ?", (*params, limit, offset))
        return [{"doc": row["id"], "title": row["title"], "published": row["published"], "outlet": row["outlet"],
                 "record": json.loads(row["record"])} for row in rows]

    def event_date_counts(self, type: str | None = None) -> list[dict]:
        """How many events fall on each date (TIMEX3 value, day or coarser), by type."""
        rows = self.db.execute(
            "SELECT substr(json_extract(r.value, '$.date'), 1, 10) AS date, json_extract(r.value, '$.type') AS type, count(*) AS n"
            " FROM documents d, json_each(d.data, '$.events') r"
            " WHERE json_extract(r.value, '$.date') IS NOT NULL AND (? IS NULL OR json_extract(r.value, '$.type') = ?)"
            " GROUP BY 1, 2 ORDER BY 1, 2", (type, type))
        return [dict(row) for row in rows]

    def attribution_sources(self) -> Iterator[dict]:
        """Every attribution's source, kind and via chain with the document's outlet, lazily."""
        rows = self.db.execute(
            "SELECT d.id, coalesce(d.outlet, d.path) AS outlet, json_extract(r.value, '$.source.text') AS source,"
            " json_extract(r.value, '$.source_kind') AS kind, json_extract(r.value, '$.via') AS via"
            " FROM documents d, json_each(d.data, '$.attributions') r ORDER BY d.seq, r.key")
        for row in rows:
            yield {"doc": row["id"], "outlet": row["outlet"], "source": row["source"], "kind": row["kind"],
                   "via": json.loads(row["via"]) if row["via"] else []}

    def layer_counts(self) -> dict[str, int]:
        """Records per layer over the whole corpus."""
        layers = ("entities", "times", "figures", "quotes", "attributions", "events")
        sql = ", ".join(f"coalesce(sum(json_array_length(data, '$.{name}')), 0)" for name in layers)
        row = self.db.execute(f"SELECT {sql} FROM documents").fetchone()
        return dict(zip(layers, row))

    def corpus_counts(self) -> dict[str, object]:
        """Sizes of what linking built: links by kind, entities by type, stories, clusters, conflicts."""
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "links": {r[0]: r[1] for r in self.db.execute("SELECT kind, count(*) FROM links GROUP BY kind ORDER BY kind")},
            "entities": {r[0]: r[1] for r in self.db.execute("SELECT type, count(*) FROM global_entities GROUP BY type ORDER BY type")},
            "stories": one("SELECT count(*) FROM stories"),
            "stories_with_several_reports": one("SELECT count(*) FROM stories WHERE json_array_length(documents) > 1"),
            "event_clusters": one("SELECT count(*) FROM corpus_records WHERE kind = 'event_clusters'"),
            "conflicts": one("SELECT count(*) FROM corpus_records WHERE kind = 'conflicts'"),
            "outlets": one("SELECT count(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL"),
        }

    def corpus_record_rows(self, kind: str, limit: int, offset: int = 0) -> list[dict]:
        rows = self.db.execute("SELECT data FROM corpus_records WHERE kind = ? ORDER BY id LIMIT ? OFFSET ?", (kind, limit, offset))
        return [json.loads(r[0]) for r in rows]


def link_from_row(row, doc_id: str) -> dict:
    """A stored link as the contract's Link, seen from `doc_id`'s side."""
    mine_first = row["a"] == doc_id
    evidence = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else row["evidence"]
    return {"kind": row["kind"], "other": row["b"] if mine_first else row["a"], "score": row["score"],
            "original": row["original"], "evidence": evidence if mine_first else flipped(evidence), "reason": row["reason"]}


def flipped(evidence: list[dict]) -> list[dict]:
    """Aligned passages seen from the other document's side."""
    return [{"a": e["b"], "b": e["a"], "score": e["score"]} for e in evidence]


def ordered_pair(a: str, b: str, evidence: list[dict]) -> tuple[str, str, list[dict]]:
    """A link is stored once, smaller id first; its evidence's `a` side must follow."""
    return (a, b, evidence) if a <= b else (b, a, flipped(evidence))


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, tb):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
