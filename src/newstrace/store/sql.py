"""The one store: documents, versions, errors and search, written once over a dialect.

`SQLiteStore` (a file, the embedded default) and `PostgresStore` (teams) are
this class with the SQLite or PostgreSQL dialect (store/dialect.py). The
linking tables (store/links.py) and the reads of the query layer
(store/reads.py) are mixed in, written over the same dialect.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator

from newstrace import model
from newstrace.errors import BadQuery, StoreError
from newstrace.model import LAYERS, Document, ReadError
from newstrace.store.base import PutReport, keeps_stored
from newstrace.store.dialect import Dialect, Postgres, SQLite, first_line
from newstrace.store.links import LinkTables
from newstrace.store.reads import QueryReads
from newstrace.store.schema import COUNT_COLUMNS, migrations, migrations_table
from newstrace.store.search_syntax import fts_query

#: Documents fetched per round trip by the lazy `documents()`.
PAGE = 200
DOCUMENT_COLUMNS = ("id", "source_key", "path", "position", "url", "outlet", "title", "published", "text", "extracted",
                    "data", "ingested_at")
SEARCH_HINT = ("type words as they are written, or use the FTS5 syntax: \"a phrase\", AND, OR, NOT, (...), prefix*"
               " (see Search syntax in the README)")


class SQLStore(QueryReads, LinkTables):
    """The Store protocol (and the linking tables) over one database of the dialect `d`."""

    def __init__(self, dialect: Dialect, location: str):
        self.d = dialect
        self.db = dialect.connect(location)
        try:
            self._migrate()
        except dialect.errors as exc:
            self.db.close()
            raise dialect.unusable(location, exc) from exc

    # -- schema ---------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply the missing migrations in one transaction that one connection at a time may hold."""
        if self._applied() >= {name for name, _ in migrations(self.d)}:
            return
        with self.d.migrating(self.db):
            self.db.execute(migrations_table(self.d))
            done = self._applied()  # another process may have migrated while this one waited
            for name, steps in migrations(self.d):
                if name in done:
                    continue
                for step in steps:
                    if callable(step):
                        step(self.db)
                    else:
                        self.db.execute(step)
                self.db.execute(f"INSERT INTO migrations VALUES ({self.d.marks(2)})", (name, time.time()))

    def _applied(self) -> set[str]:
        """The names of the migrations applied (none when there is no `migrations` table yet)."""
        try:
            return {row["name"] for row in self.db.execute("SELECT name FROM migrations")}
        except self.d.errors:
            return set()

    def migrations(self) -> list[str]:
        return [row["name"] for row in self.db.execute("SELECT name FROM migrations ORDER BY name")]

    def accent_folding(self) -> bool:
        """Whether search ignores accents (on PostgreSQL: the server has the unaccent extension)."""
        return self.d.accent_folding(self.db)

    def transaction(self):
        """A transaction around several writes: all of them land, or none."""
        return self.d.transaction(self.db)

    # -- writes ---------------------------------------------------------------

    def put_documents(self, docs: Iterable[Document]) -> PutReport:
        report = PutReport()
        with self.transaction():
            for doc in docs:
                self._put_one(doc, report)
        return report

    def _put_one(self, doc: Document, report: PutReport) -> None:
        if not self.d.stores_nul and "\x00" in doc.text:
            raise StoreError(doc.id, f"the text holds a NUL character, which {self.d.label} cannot store",
                             "remove NUL characters from the input, or use a SQLite store")
        key = document_key(doc)
        data = json.dumps(_stored_fields(doc), ensure_ascii=False, sort_keys=True)
        extracted = int(bool(doc.sentences))
        self.d.lock_source(self.db, key)
        inserted = self.db.execute(
            self.d.upsert("documents", DOCUMENT_COLUMNS, key=("id",)) + " RETURNING seq",
            (doc.id, key, doc.source.get("path"), doc.source.get("position"), doc.url, doc.outlet,
             doc.title, doc.published, doc.text, extracted, data, time.time()),
        ).fetchall()
        if inserted:
            report.added.append(doc.id)
            first = self._link_versions(doc.id, key, report)
            self.db.execute(f"INSERT INTO document_counts ({', '.join(COUNT_COLUMNS)}) VALUES ({self.d.marks(len(COUNT_COLUMNS))})",
                            (doc.id, int(first), len(doc.text), extracted, int(doc.published is not None), *_layer_sizes(doc)))
            return
        p = self.d.p
        row = self.db.execute(f"SELECT CAST(data AS TEXT) AS data, extracted FROM documents WHERE id = {p}", (doc.id,)).fetchone()
        if keeps_stored(row, data, extracted):
            report.unchanged.append(doc.id)
        else:
            self.db.execute(f"UPDATE documents SET data = {p}, extracted = {p} WHERE id = {p}", (data, extracted, doc.id))
            self.db.execute(f"UPDATE document_counts SET extracted = {p}, {', '.join(f'{name} = {p}' for name in LAYERS)}"
                            f" WHERE doc_id = {p}", (extracted, *_layer_sizes(doc), doc.id))
            report.updated.append(doc.id)

    def _link_versions(self, doc_id: str, key: str, report: PutReport) -> bool:
        """Tie a new document to the other documents read from the same source, oldest first; True when there are none."""
        p = self.d.p
        others = [row["id"] for row in self.db.execute(
            f"SELECT id FROM documents WHERE source_key = {p} AND id != {p} ORDER BY seq", (key, doc_id))]
        pairs = [pair for other in others for pair in ((doc_id, other), (other, doc_id))]
        self.db.cursor().executemany(self.d.upsert("versions", ("a", "b")), pairs)
        report.versions += [(other, doc_id) for other in others]
        return not others

    def put_errors(self, errors: Iterable[ReadError]) -> None:
        now = time.time()
        rows = [(e.source, e.position or "", e.reason, e.hint, now, now) for e in errors]
        if not rows:
            return
        upsert = self.d.upsert("errors", ("path", "position", "reason", "hint", "first_seen", "last_seen"),
                               key=("path", "position", "reason"), update=("count = errors.count + 1", "last_seen", "hint"))
        with self.transaction():
            self.db.cursor().executemany(upsert, rows)

    # -- reads ----------------------------------------------------------------

    def get_document(self, doc_id: str) -> Document | None:
        p = self.d.p
        rows = self.db.execute(f"SELECT id, data FROM documents WHERE id >= {p} AND id < {p} ORDER BY id LIMIT 2",
                               (doc_id, doc_id + "\uffff")).fetchall()
        if len(rows) != 1 and not any(row["id"] == doc_id for row in rows):
            if len(rows) > 1:
                raise BadQuery(f"id prefix {doc_id!r} matches several documents", "give more characters of the id")
            return None
        row = next((r for r in rows if r["id"] == doc_id), rows[0])
        return self._document(row["id"], row["data"])

    def documents(self) -> Iterator[Document]:
        """Every document in ingest order, a page at a time (no transaction held open between pages)."""
        last = 0
        while True:
            rows = self.db.execute(f"SELECT seq, id, data FROM documents WHERE seq > {self.d.p} ORDER BY seq LIMIT {PAGE}",
                                   (last,)).fetchall()
            for row in rows:
                yield self._document(row["id"], row["data"])
            if len(rows) < PAGE:
                return
            last = rows[-1]["seq"]

    def _document(self, doc_id: str, data) -> Document:
        """A stored document with what linking found filled in: versions, links, story, global ids, clusters."""
        doc = Document.from_dict({"id": doc_id, **self.d.decode(data)})
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
            "SELECT id, title, published, outlet, path, position, length(text) AS chars FROM documents"
            f" ORDER BY seq LIMIT {self.d.p} OFFSET {self.d.p}", (limit, offset))
        return [dict(row) for row in rows]

    def search(self, query: str, limit: int = 20, syntax: str = "auto") -> list[dict]:
        """Matches, best first, for `query` read as words or FTS5 syntax (see store/search_syntax.py); BadQuery when malformed."""
        return self.search_rows(query, limit, 0, syntax, columns="d.id, d.title, d.published, d.path", marks=("[", "]", 12))

    def search_rows(self, query: str, limit: int, offset: int = 0, syntax: str = "auto",
                    columns: str = "d.id, d.title, d.published, d.outlet, d.path, d.position",
                    marks: tuple[str, str, int] = ("\x02", "\x03", 16)) -> list[dict]:
        """Full-text matches, best first; the snippet marks hits with `marks` (by default \\x02 and \\x03); BadQuery when malformed."""
        try:
            sql, params = self.d.search(columns, fts_query(query, syntax), marks, limit, offset)
            return [dict(row) for row in self.db.execute(sql, params).fetchall()]
        except (ValueError, *self.d.errors) as exc:
            raise BadQuery(f"malformed search query {query!r} ({first_line(exc)})", SEARCH_HINT) from exc

    def errors(self) -> Iterator[dict]:
        for row in self.db.execute("SELECT path, position, reason, hint, count, last_seen FROM errors ORDER BY seq").fetchall():
            yield dict(row)

    def stats(self, layers: bool = False) -> dict:
        """Counts for `newstrace stats`, with the records per layer under "layers" when asked; one pass over `document_counts`."""
        sizes = ", ".join(f"coalesce(sum(c.{name}), 0) AS {name}" for name in LAYERS)
        row = dict(self.db.execute(
            "SELECT count(*) AS documents, coalesce(sum(c.extracted), 0) AS extracted, coalesce(sum(c.dated), 0) AS with_date,"
            " coalesce(sum(c.first_of_source), 0) AS sources,"
            " (SELECT count(*) FROM versions) / 2 AS version_pairs,"
            " (SELECT count(*) FROM errors) AS errors,"
            " (SELECT min(published) FROM documents) AS earliest,"
            " (SELECT max(published) FROM documents) AS latest,"
            f" coalesce(sum(c.chars), 0) AS characters, {sizes} FROM document_counts c"
        ).fetchone())
        counts = {name: row.pop(name) for name in LAYERS}
        return {**row, "layers": counts} if layers else row

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SQLiteStore(SQLStore):
    """The store in one SQLite file (or ":memory:")."""

    def __init__(self, path: str = "newstrace.db"):
        self.path = path
        super().__init__(SQLite(), path)


class PostgresStore(SQLStore):
    """The store in one PostgreSQL database, by postgresql:// URL (needs psycopg)."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(Postgres(), url)


def document_key(doc: Document) -> str:
    """The document's source key (see model.document_key)."""
    return model.document_key(doc.url, doc.source.get("path") or "", doc.source.get("position"))


def _layer_sizes(doc: Document) -> list[int]:
    """The number of records in each layer, in LAYERS order."""
    return [len(getattr(doc, layer) or []) for layer in LAYERS]


def _stored_fields(doc: Document) -> dict:
    """The document as stored: everything but the id (a column) and versions (a table)."""
    data = doc.to_dict()
    data.pop("id")
    data.pop("versions")
    return data
