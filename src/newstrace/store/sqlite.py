"""The embedded store: one SQLite file, WAL mode, FTS5 search, named migrations."""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator

from newstrace.errors import BadQuery, StoreError
from newstrace import model
from newstrace.model import Document, ReadError
from newstrace.store.base import PutReport, keeps_stored
from newstrace.store.links import LinkTables

CREATE_DOCUMENTS = """
        CREATE TABLE documents (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            source_key TEXT NOT NULL,
            path TEXT NOT NULL,
            position TEXT,
            url TEXT,
            outlet TEXT,
            title TEXT,
            published TEXT,
            text TEXT NOT NULL,
            extracted INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL,
            ingested_at REAL NOT NULL
        );
        CREATE INDEX documents_source_key ON documents(source_key);
        CREATE INDEX documents_published ON documents(published);
        CREATE TABLE versions (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
"""


CREATE_ERRORS = """
        CREATE TABLE errors (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL,
            position TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            hint TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            UNIQUE (path, position, reason)
        );
"""


CREATE_SEARCH = """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        END;
"""


CREATE_LINKS = """
        CREATE TABLE link_state (doc_id TEXT PRIMARY KEY, text_hash TEXT NOT NULL, linked_at REAL NOT NULL);
        CREATE INDEX link_state_hash ON link_state(text_hash);
        CREATE TABLE lsh_bands (key TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (key, doc_id)) WITHOUT ROWID;
        CREATE TABLE block_keys (key TEXT NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (key, doc_id)) WITHOUT ROWID;
        CREATE TABLE links (
            a TEXT NOT NULL, b TEXT NOT NULL, kind TEXT NOT NULL, score REAL NOT NULL,
            original TEXT, evidence TEXT NOT NULL, reason TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX links_b ON links(b);
        CREATE TABLE entity_keys (key TEXT PRIMARY KEY, global_id TEXT NOT NULL);
        CREATE TABLE global_entities (global_id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, aliases TEXT NOT NULL);
        CREATE TABLE entity_globals (doc_id TEXT NOT NULL, entity_id TEXT NOT NULL, global_id TEXT NOT NULL, PRIMARY KEY (doc_id, entity_id));
        CREATE INDEX entity_globals_global ON entity_globals(global_id);
        CREATE TABLE event_keys (key TEXT NOT NULL, ref TEXT NOT NULL, PRIMARY KEY (key, ref)) WITHOUT ROWID;
        CREATE TABLE event_pairs (a TEXT NOT NULL, b TEXT NOT NULL, same INTEGER NOT NULL, slot TEXT, reason TEXT NOT NULL, PRIMARY KEY (a, b));
        CREATE TABLE event_clusters (ref TEXT PRIMARY KEY, cluster TEXT NOT NULL);
        CREATE TABLE stories (id TEXT PRIMARY KEY, label TEXT NOT NULL, first_reported TEXT, documents TEXT NOT NULL);
        CREATE TABLE doc_story (doc_id TEXT PRIMARY KEY, story_id TEXT NOT NULL);
        CREATE TABLE corpus_records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
"""


#: Named migrations, applied in order once each and recorded in `migrations`.
MIGRATIONS = (
    ("0001_documents", CREATE_DOCUMENTS),
    ("0002_errors", CREATE_ERRORS),
    ("0003_search", CREATE_SEARCH),
    ("0004_links", CREATE_LINKS),
    ("0005_event_views", "CREATE TABLE event_views (ref TEXT PRIMARY KEY, data TEXT NOT NULL)"),
)


class SQLiteStore(LinkTables):
    """The Store protocol over one SQLite file (or ":memory:")."""

    def __init__(self, path: str = "newstrace.db"):
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(path, f"not a usable newstrace database ({exc})", "give --db a new file name, or the path of a newstrace database") from exc

    # -- schema ---------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
        done = {row["name"] for row in self.db.execute("SELECT name FROM migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            # One script, one transaction: a migration and its record land together or not at all.
            # The INSERT fails (and rolls back) when another process applied it meanwhile.
            try:
                self.db.executescript(
                    f"BEGIN IMMEDIATE; {sql}; INSERT INTO migrations VALUES ('{name}', {time.time()}); COMMIT;"
                )
            except sqlite3.DatabaseError:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if name not in {row["name"] for row in self.db.execute("SELECT name FROM migrations")}:
                    raise

    def migrations(self) -> list[str]:
        return [row["name"] for row in self.db.execute("SELECT name FROM migrations ORDER BY name")]

    # -- writes ---------------------------------------------------------------

    def put_documents(self, docs: Iterable[Document]) -> PutReport:
        report = PutReport()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for doc in docs:
                self._put_one(doc, report)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return report

    def _put_one(self, doc: Document, report: PutReport) -> None:
        key = document_key(doc)
        data = json.dumps(_stored_fields(doc), ensure_ascii=False, sort_keys=True)
        extracted = int(bool(doc.sentences))
        row = self.db.execute("SELECT data, extracted FROM documents WHERE id = ?", (doc.id,)).fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO documents (id, source_key, path, position, url, outlet, title, published, text, extracted, data, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, key, doc.source.get("path"), doc.source.get("position"), doc.url, doc.outlet,
                 doc.title, doc.published, doc.text, extracted, data, time.time()),
            )
            report.added.append(doc.id)
            self._link_versions(doc.id, key, report)
        elif keeps_stored(row, data, extracted):
            report.unchanged.append(doc.id)
        else:
            self.db.execute("UPDATE documents SET data = ?, extracted = ? WHERE id = ?", (data, extracted, doc.id))
            report.updated.append(doc.id)

    def _link_versions(self, doc_id: str, key: str, report: PutReport) -> None:
        """Tie a new document to the other documents read from the same source."""
        others = self.db.execute("SELECT id FROM documents WHERE source_key = ? AND id != ?", (key, doc_id)).fetchall()
        for other in others:
            self.db.execute("INSERT OR IGNORE INTO versions VALUES (?, ?)", (doc_id, other["id"]))
            self.db.execute("INSERT OR IGNORE INTO versions VALUES (?, ?)", (other["id"], doc_id))
            report.versions.append((other["id"], doc_id))

    def put_errors(self, errors: Iterable[ReadError]) -> None:
        now = time.time()
        rows = [(e.source, e.position or "", e.reason, e.hint, now, now) for e in errors]
        if not rows:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                "INSERT INTO errors (path, position, reason, hint, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (path, position, reason) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen, hint = excluded.hint",
                rows,
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # -- reads ----------------------------------------------------------------

    def get_document(self, doc_id: str) -> Document | None:
        rows = self.db.execute(
            "SELECT id, data FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (doc_id, doc_id + "\uffff")
        ).fetchall()
        if len(rows) != 1 and not any(row["id"] == doc_id for row in rows):
            if len(rows) > 1:
                raise BadQuery(f"id prefix {doc_id!r} matches several documents", "give more characters of the id")
            return None
        row = next((r for r in rows if r["id"] == doc_id), rows[0])
        return self._document(row["id"], row["data"])

    def documents(self) -> Iterator[Document]:
        cursor = self.db.execute("SELECT id, data FROM documents ORDER BY seq")
        for row in cursor:
            yield self._document(row["id"], row["data"])

    def _document(self, doc_id: str, data: str) -> Document:
        """A stored document with what linking found filled in: versions, links, story, global ids, clusters."""
        doc = Document.from_dict({"id": doc_id, **json.loads(data)})
        doc.versions = sorted(self.version_ids(doc_id))
        doc.links = self.links_of(doc_id)
        doc.story = self.story_of(doc_id)
        global_ids = self.global_ids_of(doc_id)
        for entity in doc.entities:
            entity["global_id"] = global_ids.get(entity["id"])
        clusters = self.clusters_of(doc_id)
        for event in doc.events:
            event["cluster"] = clusters.get(event["id"])
        return doc

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, title, published, outlet, path, position, length(text) AS chars FROM documents ORDER BY seq LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [dict(row) for row in rows]

    def search(self, query: str, limit: int = 20) -> list[dict]:
        try:
            rows = self.db.execute(
                "SELECT d.id, d.title, d.published, d.path,"
                " snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snippet"
                " FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid"
                " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise BadQuery(
                f"malformed search query {query!r} ({exc})",
                'quote phrases with double quotes, and use AND, OR, NOT between words',
            ) from exc
        return [dict(row) for row in rows]

    def errors(self) -> Iterator[dict]:
        for row in self.db.execute("SELECT path, position, reason, hint, count, last_seen FROM errors ORDER BY seq"):
            yield dict(row)

    def stats(self) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "extracted": one("SELECT count(*) FROM documents WHERE extracted = 1"),
            "with_date": one("SELECT count(*) FROM documents WHERE published IS NOT NULL"),
            "sources": one("SELECT count(DISTINCT source_key) FROM documents"),
            "version_pairs": one("SELECT count(*) FROM versions") // 2,
            "errors": one("SELECT count(*) FROM errors"),
            "earliest": one("SELECT min(published) FROM documents"),
            "latest": one("SELECT max(published) FROM documents"),
            "characters": one("SELECT coalesce(sum(length(text)), 0) FROM documents"),
        }

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def document_key(doc: Document) -> str:
    """The document's source key (see model.document_key)."""
    return model.document_key(doc.url, doc.source.get("path") or "", doc.source.get("position"))


def _stored_fields(doc: Document) -> dict:
    """The document as stored: everything but the id (a column) and versions (a table)."""
    data = doc.to_dict()
    data.pop("id")
    data.pop("versions")
    return data
