"""The linking tables, written once over the dialect: LSH and blocking indexes, links,
global entities, event pairs and clusters, stories, corpus records.

`SQLStore` mixes this in. The indexes persist, so a new ingest links only new documents.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator

from newstrace.link.copies import COPY_KINDS
from newstrace.link.entities import voted_type
from newstrace.store.schema import LINK_TABLES

#: A blocking or band key shared by more documents than this is too common to tell anything.
MAX_DOCS_PER_KEY = 200
KEY_TABLES = ("lsh_bands", "block_keys", "event_keys")


class LinkTables:
    """Needs `db` (the connection), `d` (its dialect) and `transaction()`, from SQLStore."""

    # -- state ----------------------------------------------------------------

    def unlinked_ids(self) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM link_state l WHERE l.doc_id = d.id) ORDER BY seq")
        return [row["id"] for row in rows]

    def mark_linked(self, doc_id: str, text_hash: str) -> None:
        self.db.execute(self.d.upsert("link_state", ("doc_id", "text_hash", "linked_at"), key=("doc_id",),
                                      update=("text_hash", "linked_at")), (doc_id, text_hash, time.time()))

    def linked_ids(self) -> Iterator[str]:
        yield from (row["doc_id"] for row in self.db.execute("SELECT doc_id FROM link_state").fetchall())

    def document_meta(self) -> Iterator[dict]:
        """id, published, title and ingest order of every document, for building stories."""
        yield from (dict(row) for row in self.db.execute("SELECT id, published, title, seq FROM documents").fetchall())

    def ids_with_hash(self, text_hash: str) -> list[str]:
        rows = self.db.execute(f"SELECT doc_id FROM link_state WHERE text_hash = {self.d.p}", (text_hash,))
        return [row["doc_id"] for row in rows]

    def reset_links(self) -> None:
        with self.transaction():
            for table in LINK_TABLES:
                self.db.execute(f"DELETE FROM {table}")

    def version_ids(self, doc_id: str) -> list[str]:
        return [row["b"] for row in self.db.execute(f"SELECT b FROM versions WHERE a = {self.d.p}", (doc_id,))]

    # -- keys -----------------------------------------------------------------

    def add_keys(self, table: str, ref: str, keys: Iterable[str]) -> None:
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        self.db.execute(f"INSERT INTO {table} (key, {column}) SELECT k.value, {self.d.p} FROM {self.d.each()}"
                        " WHERE true ON CONFLICT DO NOTHING", (ref, self.d.array(keys)))

    def refs_with_keys(self, table: str, keys: list[str]) -> Counter:
        """How many of `keys` each stored ref shares; keys held by too many refs are skipped."""
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        unique = list(dict.fromkeys(keys))
        sql = f"SELECT {column} FROM {table} WHERE key = {self.d.p} LIMIT {self.d.p}"
        refs_by_key = dict(zip(unique, self.d.column_each(self.db, sql, [(key, MAX_DOCS_PER_KEY + 1) for key in unique])))
        found: Counter = Counter()
        for key in keys:  # a key given twice counts twice
            refs = refs_by_key[key]
            if len(refs) <= MAX_DOCS_PER_KEY:
                found.update(refs)
        return found

    # -- links ----------------------------------------------------------------

    def put_link(self, a: str, b: str, link: dict) -> None:
        a, b, evidence = ordered_pair(a, b, link["evidence"])
        self.db.execute(
            self.d.upsert("links", ("a", "b", "kind", "score", "original", "evidence", "reason"), key=("a", "b"),
                          update=("kind", "score", "original", "evidence", "reason")),
            (a, b, link["kind"], link["score"], link["original"], json.dumps(evidence), link["reason"]))

    def links_of(self, doc_id: str) -> list[dict]:
        """Links of one document, each seen from its side (evidence `a` is this document)."""
        p = self.d.p
        rows = self.db.execute(f"SELECT * FROM links WHERE a = {p} OR b = {p} ORDER BY kind, a, b", (doc_id, doc_id))
        return [link_from_row(row, doc_id) for row in rows]

    def all_links(self) -> Iterator[tuple[str, str, str]]:
        yield from ((r["a"], r["b"], r["kind"]) for r in self.db.execute("SELECT a, b, kind FROM links").fetchall())

    def copy_links(self) -> Iterator[tuple[str, str, str | None]]:
        """(a, b, original) of every link that makes one report depend on another: copies, rewrites, versions."""
        sql = f"SELECT a, b, original FROM links WHERE kind IN (SELECT k.value FROM {self.d.each()}) ORDER BY a, b"
        yield from ((r["a"], r["b"], r["original"]) for r in self.db.execute(sql, (self.d.array(list(COPY_KINDS)),)).fetchall())

    def linked_pair(self, a: str, b: str) -> str | None:
        a, b = sorted((a, b))
        row = self.db.execute(f"SELECT kind FROM links WHERE a = {self.d.p} AND b = {self.d.p}", (a, b)).fetchone()
        return row["kind"] if row else None

    # -- global entities ------------------------------------------------------

    def global_for_keys(self, keys: list[str]) -> dict[str, str]:
        rows = self.db.execute(f"SELECT key, global_id FROM entity_keys WHERE key IN (SELECT k.value FROM {self.d.each()})",
                               (self.d.array(keys),))
        found = {row["key"]: row["global_id"] for row in rows}
        return {key: found[key] for key in keys if key in found}

    def put_entity_global(self, doc_id: str, entity: dict, global_id: str, keys: list[str]) -> None:
        """Record an entity's keys and global id; a document entity met for the first time votes for the type."""
        p = self.d.p
        self.db.execute(f"INSERT INTO entity_keys (key, global_id) SELECT k.value, {p} FROM {self.d.each()}"
                        " WHERE true ON CONFLICT DO NOTHING", (global_id, self.d.array(keys)))
        seen = self.db.execute(f"SELECT global_id FROM entity_globals WHERE doc_id = {p} AND entity_id = {p}",
                               (doc_id, entity["id"])).fetchone()
        self.db.execute(self.d.upsert("entity_globals", ("doc_id", "entity_id", "global_id"), key=("doc_id", "entity_id"),
                                      update=("global_id",)), (doc_id, entity["id"], global_id))
        row = self.db.execute(f"SELECT name, aliases, votes FROM global_entities WHERE global_id = {p}", (global_id,)).fetchone()
        names = [entity["name"], *entity.get("aliases", [])]
        if row is None:
            self.db.execute("INSERT INTO global_entities (global_id, name, type, aliases, votes)"
                            f" VALUES ({self.d.marks(5)})",
                            (global_id, entity["name"], entity["type"], json.dumps(names[1:], ensure_ascii=False),
                             json.dumps({entity["type"]: 1})))
            return
        aliases = json.loads(row["aliases"])
        added = [n for n in names if n != row["name"] and n not in aliases]
        votes = json.loads(row["votes"])
        if seen is None or seen["global_id"] != global_id:
            votes[entity["type"]] = votes.get(entity["type"], 0) + 1
        elif not added:
            return
        self.db.execute(f"UPDATE global_entities SET aliases = {p}, type = {p}, votes = {p} WHERE global_id = {p}",
                        (json.dumps(aliases + added, ensure_ascii=False), voted_type(votes),
                         json.dumps(votes, sort_keys=True), global_id))

    def global_ids_of(self, doc_id: str) -> dict[str, str]:
        rows = self.db.execute(f"SELECT entity_id, global_id FROM entity_globals WHERE doc_id = {self.d.p}", (doc_id,))
        return {row["entity_id"]: row["global_id"] for row in rows}

    def global_entities(self) -> Iterator[dict]:
        rows = self.db.execute(
            f"SELECT g.global_id, g.name, g.type, g.aliases, {self.d.string_agg('e.doc_id')} AS docs"
            " FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id"
            " GROUP BY g.global_id ORDER BY g.global_id").fetchall()
        for row in rows:
            yield {"global_id": row["global_id"], "name": row["name"], "type": row["type"],
                   "aliases": json.loads(row["aliases"]), "documents": sorted(row["docs"].split(","))}

    # -- events ---------------------------------------------------------------

    def put_event_view(self, ref: str, data: dict) -> None:
        self.db.execute(self.d.upsert("event_views", ("ref", "data"), key=("ref",), update=("data",)),
                        (ref, json.dumps(data, ensure_ascii=False)))

    def event_view_data(self, ref: str) -> dict | None:
        row = self.db.execute(f"SELECT data FROM event_views WHERE ref = {self.d.p}", (ref,)).fetchone()
        return json.loads(row["data"]) if row else None

    def put_event_pair(self, a: str, b: str, same: bool, slot: str, reason: str) -> None:
        a, b = sorted((a, b))
        self.db.execute(self.d.upsert("event_pairs", ("a", "b", "same", "slot", "reason"), key=("a", "b"),
                                      update=("same", "slot", "reason")), (a, b, int(same), slot, reason))

    def event_pairs(self, same: bool | None = None) -> Iterator[dict]:
        sql = "SELECT * FROM event_pairs" + ("" if same is None else f" WHERE same = {self.d.p}")
        yield from (dict(row) for row in self.db.execute(sql, () if same is None else (int(same),)).fetchall())

    def all_event_refs(self) -> Iterator[str]:
        yield from (row["ref"] for row in self.db.execute("SELECT DISTINCT ref FROM event_keys ORDER BY ref").fetchall())

    def replace_event_clusters(self, clusters: dict[str, str]) -> None:
        self.db.execute("DELETE FROM event_clusters")
        self.db.cursor().executemany(f"INSERT INTO event_clusters VALUES ({self.d.marks(2)})", sorted(clusters.items()))

    def clusters_of(self, doc_id: str) -> dict[str, str]:
        p = self.d.p
        rows = self.db.execute(f"SELECT ref, cluster FROM event_clusters WHERE ref >= {p} AND ref < {p}", (doc_id + ":", doc_id + ";"))
        return {row["ref"].split(":", 1)[1]: row["cluster"] for row in rows}

    # -- stories and corpus records ---------------------------------------------

    def replace_stories(self, stories: list[dict]) -> None:
        self.db.execute("DELETE FROM stories")
        self.db.execute("DELETE FROM doc_story")
        cursor = self.db.cursor()
        cursor.executemany(f"INSERT INTO stories (id, label, first_reported, documents, origins) VALUES ({self.d.marks(5)})",
                           [(s["id"], s["label"], s["first_reported"], json.dumps(s["documents"]), json.dumps(s["origins"]))
                            for s in stories])
        cursor.executemany(f"INSERT INTO doc_story VALUES ({self.d.marks(2)})",
                           [(d, s["id"]) for s in stories for d in s["documents"]])

    def story_of(self, doc_id: str) -> str | None:
        row = self.db.execute(f"SELECT story_id FROM doc_story WHERE doc_id = {self.d.p}", (doc_id,)).fetchone()
        return row["story_id"] if row else None

    def stories(self) -> Iterator[dict]:
        yield from (story_from_row(row) for row in self.db.execute("SELECT * FROM stories ORDER BY id").fetchall())

    def replace_corpus_records(self, kind: str, records: list[dict]) -> None:
        self.db.execute(f"DELETE FROM corpus_records WHERE kind = {self.d.p}", (kind,))
        self.db.cursor().executemany(f"INSERT INTO corpus_records VALUES ({self.d.marks(3)})",
                                     [(kind, r["id"], json.dumps(r, ensure_ascii=False)) for r in records])

    def corpus_records(self, kind: str) -> list[dict]:
        rows = self.db.execute(f"SELECT data FROM corpus_records WHERE kind = {self.d.p} ORDER BY id", (kind,))
        return [json.loads(row["data"]) for row in rows]


def link_from_row(row, doc_id: str) -> dict:
    """A stored link as the contract's Link, seen from `doc_id`'s side."""
    mine_first = row["a"] == doc_id
    evidence = json.loads(row["evidence"])
    return {"kind": row["kind"], "other": row["b"] if mine_first else row["a"], "score": row["score"],
            "original": row["original"], "evidence": evidence if mine_first else flipped(evidence), "reason": row["reason"]}


def story_from_row(row) -> dict:
    return {"id": row["id"], "label": row["label"], "documents": json.loads(row["documents"]), "first_reported": row["first_reported"],
            "origins": json.loads(row["origins"])}


def flipped(evidence: list[dict]) -> list[dict]:
    """Aligned passages seen from the other document's side."""
    return [{"a": e["b"], "b": e["a"], "score": e["score"]} for e in evidence]


def ordered_pair(a: str, b: str, evidence: list[dict]) -> tuple[str, str, list[dict]]:
    """A link is stored once, smaller id first; its evidence's `a` side must follow."""
    return (a, b, evidence) if a <= b else (b, a, flipped(evidence))
