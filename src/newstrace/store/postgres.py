"""The team store: PostgreSQL through psycopg 3, with the same interface and results as SQLiteStore.

Every text column uses the "C" collation, so ids, names and dates sort byte-wise
as in SQLite and both backends give identical exports. Search is a tsvector
column in the `newstrace_search` configuration: `simple` (no stemming, like
SQLite's unicode61) with accents folded by `unaccent` when the server has it.
Search queries use the same syntax on both backends (words, "phrases", word*,
AND, OR, NOT, parentheses); `parse_search` turns one into a tsquery expression
with bound values. Ranking and snippets are PostgreSQL's own (ts_rank_cd,
ts_headline), so they can differ from SQLite's bm25 and snippet().
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator

import psycopg
from psycopg.rows import dict_row

from newstrace.errors import BadQuery, StoreError
from newstrace.model import Document, ReadError
from newstrace.store.base import PutReport, keeps_stored
from newstrace.store.links import KEY_TABLES, MAX_DOCS_PER_KEY, link_from_row, ordered_pair
from newstrace.store.sqlite import _stored_fields, document_key

T = 'TEXT COLLATE "C"'
#: Held while migrating, so two processes opening a new database do not both migrate it.
MIGRATION_LOCK = 0x6E657773
SEARCH_CONFIG = "newstrace_search"
#: Documents fetched per round trip by the lazy `documents()`.
PAGE = 200

CREATE_DOCUMENTS = f"""
    CREATE TABLE documents (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id {T} NOT NULL UNIQUE,
        source_key {T} NOT NULL,
        path {T} NOT NULL,
        position {T},
        url {T},
        outlet {T},
        title {T},
        published {T},
        text {T} NOT NULL,
        extracted INTEGER NOT NULL DEFAULT 0,
        data JSON NOT NULL,
        ingested_at DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX documents_source_key ON documents(source_key);
    CREATE INDEX documents_published ON documents(published);
    CREATE TABLE versions (a {T} NOT NULL, b {T} NOT NULL, PRIMARY KEY (a, b));
"""

CREATE_ERRORS = f"""
    CREATE TABLE errors (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        path {T} NOT NULL,
        position {T} NOT NULL DEFAULT '',
        reason {T} NOT NULL,
        hint {T} NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        first_seen DOUBLE PRECISION NOT NULL,
        last_seen DOUBLE PRECISION NOT NULL,
        UNIQUE (path, position, reason)
    );
"""

# The search configuration is created just before this runs (see _create_search_config).
CREATE_SEARCH = f"""
    ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
        to_tsvector('{SEARCH_CONFIG}', coalesce(title, '') || ' ' || text)
    ) STORED;
    CREATE INDEX documents_search ON documents USING GIN (search);
"""

CREATE_LINKS = f"""
    CREATE TABLE link_state (doc_id {T} PRIMARY KEY, text_hash {T} NOT NULL, linked_at DOUBLE PRECISION NOT NULL);
    CREATE INDEX link_state_hash ON link_state(text_hash);
    CREATE TABLE lsh_bands (key {T} NOT NULL, doc_id {T} NOT NULL, PRIMARY KEY (key, doc_id));
    CREATE TABLE block_keys (key {T} NOT NULL, doc_id {T} NOT NULL, PRIMARY KEY (key, doc_id));
    CREATE TABLE links (
        a {T} NOT NULL, b {T} NOT NULL, kind {T} NOT NULL, score DOUBLE PRECISION NOT NULL,
        original {T}, evidence {T} NOT NULL, reason {T} NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX links_b ON links(b);
    CREATE TABLE entity_keys (key {T} PRIMARY KEY, global_id {T} NOT NULL);
    CREATE TABLE global_entities (global_id {T} PRIMARY KEY, name {T} NOT NULL, type {T} NOT NULL, aliases {T} NOT NULL);
    CREATE TABLE entity_globals (doc_id {T} NOT NULL, entity_id {T} NOT NULL, global_id {T} NOT NULL, PRIMARY KEY (doc_id, entity_id));
    CREATE INDEX entity_globals_global ON entity_globals(global_id);
    CREATE TABLE event_keys (key {T} NOT NULL, ref {T} NOT NULL, PRIMARY KEY (key, ref));
    CREATE TABLE event_pairs (a {T} NOT NULL, b {T} NOT NULL, same INTEGER NOT NULL, slot {T}, reason {T} NOT NULL, PRIMARY KEY (a, b));
    CREATE TABLE event_clusters (ref {T} PRIMARY KEY, cluster {T} NOT NULL);
    CREATE TABLE stories (id {T} PRIMARY KEY, label {T} NOT NULL, first_reported {T}, documents {T} NOT NULL);
    CREATE TABLE doc_story (doc_id {T} PRIMARY KEY, story_id {T} NOT NULL);
    CREATE TABLE corpus_records (kind {T} NOT NULL, id {T} NOT NULL, data {T} NOT NULL, PRIMARY KEY (kind, id));
"""

#: The same named migrations as SQLiteStore's, in PostgreSQL's dialect.
MIGRATIONS = (
    ("0001_documents", CREATE_DOCUMENTS),
    ("0002_errors", CREATE_ERRORS),
    ("0003_search", CREATE_SEARCH),
    ("0004_links", CREATE_LINKS),
    ("0005_event_views", f"CREATE TABLE event_views (ref {T} PRIMARY KEY, data {T} NOT NULL)"),
)

LINK_TABLES = ("link_state", "lsh_bands", "block_keys", "links", "entity_keys", "global_entities", "entity_globals",
               "event_keys", "event_views", "event_pairs", "event_clusters", "stories", "doc_story", "corpus_records")
#: What linking found about one document, in one round trip (see PostgresStore._document).
LINKED_FIELDS = (
    "SELECT (SELECT coalesce(json_agg(b), '[]') FROM versions WHERE a = %(id)s) AS versions,"
    " (SELECT story_id FROM doc_story WHERE doc_id = %(id)s) AS story,"
    " (SELECT coalesce(json_object_agg(entity_id, global_id), '{}') FROM entity_globals WHERE doc_id = %(id)s) AS global_ids,"
    " (SELECT coalesce(json_object_agg(ref, cluster), '{}') FROM event_clusters WHERE ref >= %(low)s AND ref < %(high)s) AS clusters"
)
LAYERS = ("entities", "times", "figures", "quotes", "attributions", "events")
SEARCH_HINT = "quote phrases with double quotes, and use AND, OR, NOT between words"
#: The one SQLite JSON form the query layer passes to `layer_rows` in `where`.
JSON_EXTRACT = re.compile(r"json_extract\(r\.value, '\$\.([\w.]+)'\)")


class PostgresStore:
    """The Store protocol (and the linking tables) over one PostgreSQL database."""

    def __init__(self, url: str):
        self.url = url
        where = url.rsplit("@", 1)[-1].split("?")[0]  # never the password
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(where, f"cannot connect to PostgreSQL ({_first_line(exc)})",
                             "check the URL, that the server runs and that the user may log in") from exc
        try:
            self._migrate()
        except psycopg.Error as exc:
            self.db.close()
            raise StoreError(where, f"not a usable newstrace database ({_first_line(exc)})",
                             "give --db an empty database the user may create tables in") from exc

    # -- schema ---------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply the missing migrations, all in one transaction under an advisory lock."""
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.db.execute(f"CREATE TABLE IF NOT EXISTS migrations (name {T} PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
            done = {row["name"] for row in self.db.execute("SELECT name FROM migrations")}
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                if name == "0003_search":
                    self._create_search_config()
                self.db.execute(sql)
                self.db.execute("INSERT INTO migrations VALUES (%s, %s)", (name, time.time()))

    def _create_search_config(self) -> None:
        """`simple` words, accents folded first when the unaccent extension can be had (else left as they are)."""
        self.db.execute(f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.simple)")
        try:
            with self.db.transaction():
                self.db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
                self.db.execute(f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}"
                                " ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple")
        except psycopg.Error:
            pass  # no unaccent on this server: search is accent-sensitive

    def migrations(self) -> list[str]:
        return [row["name"] for row in self.db.execute("SELECT name FROM migrations ORDER BY name")]

    def accent_folding(self) -> bool:
        """Whether search ignores accents (the server has the unaccent extension)."""
        sql = f"SELECT to_tsvector('{SEARCH_CONFIG}', 'é') = to_tsvector('{SEARCH_CONFIG}', 'e') AS folded"
        return self.db.execute(sql).fetchone()["folded"]

    def transaction(self):
        """A transaction; nested ones become savepoints."""
        return self.db.transaction()

    # -- writes ---------------------------------------------------------------

    def put_documents(self, docs: Iterable[Document]) -> PutReport:
        report = PutReport()
        with self.db.transaction():
            for doc in docs:
                self._put_one(doc, report)
        return report

    def _put_one(self, doc: Document, report: PutReport) -> None:
        if "\x00" in doc.text:
            raise StoreError(doc.id, "the text holds a NUL character, which PostgreSQL cannot store",
                             "remove NUL characters from the input, or use a SQLite store")
        key = document_key(doc)
        data = json.dumps(_stored_fields(doc), ensure_ascii=False, sort_keys=True)
        extracted = int(bool(doc.sentences))
        # Same-source inserts take turns, so concurrent ingests still tie every version to the others.
        self.db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))
        inserted = self.db.execute(
            "INSERT INTO documents (id, source_key, path, position, url, outlet, title, published, text, extracted, data, ingested_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING seq",
            (doc.id, key, doc.source.get("path"), doc.source.get("position"), doc.url, doc.outlet,
             doc.title, doc.published, doc.text, extracted, data, time.time()),
        ).fetchone()
        if inserted:
            report.added.append(doc.id)
            self._link_versions(doc.id, key, report)
            return
        row = self.db.execute("SELECT data::text AS data, extracted FROM documents WHERE id = %s", (doc.id,)).fetchone()
        if keeps_stored(row, data, extracted):
            report.unchanged.append(doc.id)
        else:
            self.db.execute("UPDATE documents SET data = %s, extracted = %s WHERE id = %s", (data, extracted, doc.id))
            report.updated.append(doc.id)

    def _link_versions(self, doc_id: str, key: str, report: PutReport) -> None:
        """Tie a new document to the other documents read from the same source."""
        others = self.db.execute("SELECT id FROM documents WHERE source_key = %s AND id != %s ORDER BY seq", (key, doc_id)).fetchall()
        pairs = [pair for other in others for pair in ((doc_id, other["id"]), (other["id"], doc_id))]
        self.db.cursor().executemany("INSERT INTO versions VALUES (%s, %s) ON CONFLICT DO NOTHING", pairs)
        report.versions += [(other["id"], doc_id) for other in others]

    def put_errors(self, errors: Iterable[ReadError]) -> None:
        now = time.time()
        rows = [(e.source, e.position or "", e.reason, e.hint, now, now) for e in errors]
        if not rows:
            return
        with self.db.transaction():
            self.db.cursor().executemany(
                "INSERT INTO errors (path, position, reason, hint, first_seen, last_seen) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (path, position, reason) DO UPDATE SET count = errors.count + 1,"
                " last_seen = excluded.last_seen, hint = excluded.hint",
                rows,
            )

    # -- reads ----------------------------------------------------------------

    def get_document(self, doc_id: str) -> Document | None:
        rows = self.db.execute("SELECT id, data FROM documents WHERE id LIKE %s ORDER BY id LIMIT 2",
                               (_like_prefix(doc_id),)).fetchall()
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
            rows = self.db.execute("SELECT seq, id, data FROM documents WHERE seq > %s ORDER BY seq LIMIT %s", (last, PAGE)).fetchall()
            for row in rows:
                yield self._document(row["id"], row["data"])
            if len(rows) < PAGE:
                return
            last = rows[-1]["seq"]

    def _document(self, doc_id: str, data: dict) -> Document:
        """A stored document with what linking found filled in: versions, links, story, global ids, clusters."""
        doc = Document.from_dict({"id": doc_id, **data})
        found = self.db.execute(LINKED_FIELDS, {"id": doc_id, "low": doc_id + ":", "high": doc_id + ";"}).fetchone()
        doc.versions = sorted(found["versions"])
        doc.links = self.links_of(doc_id)
        doc.story = found["story"]
        for entity in doc.entities:
            entity["global_id"] = found["global_ids"].get(entity["id"])
        clusters = {ref.split(":", 1)[1]: cluster for ref, cluster in found["clusters"].items()}
        for event in doc.events:
            event["cluster"] = clusters.get(event["id"])
        return doc

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[dict]:
        return self.db.execute(
            "SELECT id, title, published, outlet, path, position, length(text) AS chars FROM documents"
            " ORDER BY seq LIMIT %s OFFSET %s", (limit, offset)).fetchall()

    def search(self, query: str, limit: int = 20) -> list[dict]:
        try:
            return self._search("d.id, d.title, d.published, d.path", query, ("[", "]", 12), limit, 0)
        except (ValueError, psycopg.Error) as exc:
            raise BadQuery(f"malformed search query {query!r} ({_first_line(exc)})", SEARCH_HINT) from exc

    def search_rows(self, query: str, limit: int, offset: int = 0) -> list[dict]:
        """Full-text matches, best first; the snippet marks hits with \\x02 and \\x03."""
        return self._search("d.id, d.title, d.published, d.outlet, d.path, d.position", query, ("\x02", "\x03", 16), limit, offset)

    def _search(self, columns: str, query: str, marks: tuple[str, str, int], limit: int, offset: int) -> list[dict]:
        """Matches best first, with a snippet around the hits; raises ValueError for a malformed query."""
        tsquery, params = parse_search(query)
        start, stop, words = marks
        options = f'StartSel="{start}", StopSel="{stop}", MaxWords={words}, MinWords={max(words // 2, 1)}, MaxFragments=1, FragmentDelimiter=" … "'
        sql = (
            f"WITH q AS (SELECT {tsquery} AS q),"
            f" hits AS (SELECT d.seq, ts_rank_cd(d.search, q.q) AS rank FROM documents d, q WHERE d.search @@ q.q"
            f" ORDER BY rank DESC, d.seq LIMIT %s OFFSET %s)"
            f" SELECT {columns}, ts_headline('{SEARCH_CONFIG}', d.text, q.q, %s) AS snippet"
            f" FROM hits JOIN documents d ON d.seq = hits.seq, q ORDER BY hits.rank DESC, d.seq"
        )
        return self.db.execute(sql, (*params, limit, offset, options)).fetchall()

    def errors(self) -> Iterator[dict]:
        yield from self.db.execute("SELECT path, position, reason, hint, count, last_seen FROM errors ORDER BY seq").fetchall()

    def stats(self) -> dict:
        return self.db.execute(
            "SELECT (SELECT count(*) FROM documents) AS documents,"
            " (SELECT count(*) FROM documents WHERE extracted = 1) AS extracted,"
            " (SELECT count(*) FROM documents WHERE published IS NOT NULL) AS with_date,"
            " (SELECT count(DISTINCT source_key) FROM documents) AS sources,"
            " (SELECT count(*) FROM versions) / 2 AS version_pairs,"
            " (SELECT count(*) FROM errors) AS errors,"
            " (SELECT min(published) FROM documents) AS earliest,"
            " (SELECT max(published) FROM documents) AS latest,"
            " (SELECT coalesce(sum(length(text)), 0)::bigint FROM documents) AS characters"
        ).fetchone()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- linking state (the same methods as store/links.py) ------------------

    def unlinked_ids(self) -> list[str]:
        rows = self.db.execute("SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM link_state l WHERE l.doc_id = d.id) ORDER BY seq")
        return [row["id"] for row in rows]

    def mark_linked(self, doc_id: str, text_hash: str) -> None:
        self.db.execute("INSERT INTO link_state VALUES (%s, %s, %s) ON CONFLICT (doc_id) DO UPDATE"
                        " SET text_hash = excluded.text_hash, linked_at = excluded.linked_at", (doc_id, text_hash, time.time()))

    def linked_ids(self) -> Iterator[str]:
        yield from (r["doc_id"] for r in self.db.execute("SELECT doc_id FROM link_state").fetchall())

    def document_meta(self) -> Iterator[dict]:
        """id, published, title and ingest order of every document, for building stories."""
        yield from self.db.execute("SELECT id, published, title, seq FROM documents").fetchall()

    def ids_with_hash(self, text_hash: str) -> list[str]:
        return [r["doc_id"] for r in self.db.execute("SELECT doc_id FROM link_state WHERE text_hash = %s", (text_hash,))]

    def reset_links(self) -> None:
        with self.transaction():
            for table in LINK_TABLES:
                self.db.execute(f"DELETE FROM {table}")

    def version_ids(self, doc_id: str) -> list[str]:
        return [r["b"] for r in self.db.execute("SELECT b FROM versions WHERE a = %s", (doc_id,))]

    # -- keys -----------------------------------------------------------------

    def add_keys(self, table: str, ref: str, keys: Iterable[str]) -> None:
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        self.db.execute(f"INSERT INTO {table} (key, {column}) SELECT k, %s FROM unnest(%s::text[]) AS k ON CONFLICT DO NOTHING",
                        (ref, list(keys)))

    def refs_with_keys(self, table: str, keys: list[str]) -> Counter:
        """How many of `keys` each stored ref shares; keys held by too many refs are skipped."""
        assert table in KEY_TABLES
        column = "ref" if table == "event_keys" else "doc_id"
        rows = self.db.execute(
            f"SELECT k.key, t.{column} AS ref FROM unnest(%s::text[]) AS k(key)"
            f" CROSS JOIN LATERAL (SELECT {column} FROM {table} WHERE key = k.key LIMIT %s) t",
            (list(dict.fromkeys(keys)), MAX_DOCS_PER_KEY + 1))
        by_key: dict[str, list[str]] = {}
        for row in rows:
            by_key.setdefault(row["key"], []).append(row["ref"])
        found: Counter = Counter()
        for key in keys:  # a key given twice counts twice, as in SQLite
            refs = by_key.get(key, [])
            if len(refs) <= MAX_DOCS_PER_KEY:
                found.update(refs)
        return found

    # -- links ----------------------------------------------------------------

    def put_link(self, a: str, b: str, link: dict) -> None:
        a, b, evidence = ordered_pair(a, b, link["evidence"])
        self.db.execute(
            "INSERT INTO links VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (a, b) DO UPDATE SET kind = excluded.kind,"
            " score = excluded.score, original = excluded.original, evidence = excluded.evidence, reason = excluded.reason",
            (a, b, link["kind"], link["score"], link["original"], json.dumps(evidence), link["reason"]),
        )

    def links_of(self, doc_id: str) -> list[dict]:
        """Links of one document, each seen from its side (evidence `a` is this document)."""
        rows = self.db.execute("SELECT * FROM links WHERE a = %s OR b = %s ORDER BY kind, a, b", (doc_id, doc_id))
        return [link_from_row(row, doc_id) for row in rows]

    def all_links(self) -> Iterator[tuple[str, str, str]]:
        yield from ((r["a"], r["b"], r["kind"]) for r in self.db.execute("SELECT a, b, kind FROM links").fetchall())

    def linked_pair(self, a: str, b: str) -> str | None:
        a, b = sorted((a, b))
        row = self.db.execute("SELECT kind FROM links WHERE a = %s AND b = %s", (a, b)).fetchone()
        return row["kind"] if row else None

    # -- global entities ------------------------------------------------------

    def global_for_keys(self, keys: list[str]) -> dict[str, str]:
        rows = self.db.execute("SELECT key, global_id FROM entity_keys WHERE key = ANY(%s::text[])", (list(keys),))
        found = {row["key"]: row["global_id"] for row in rows}
        return {key: found[key] for key in keys if key in found}

    def put_entity_global(self, doc_id: str, entity: dict, global_id: str, keys: list[str]) -> None:
        self.db.execute("INSERT INTO entity_keys SELECT k, %s FROM unnest(%s::text[]) AS k ON CONFLICT DO NOTHING", (global_id, keys))
        self.db.execute("INSERT INTO entity_globals VALUES (%s, %s, %s) ON CONFLICT (doc_id, entity_id) DO UPDATE"
                        " SET global_id = excluded.global_id", (doc_id, entity["id"], global_id))
        row = self.db.execute("SELECT name, aliases FROM global_entities WHERE global_id = %s", (global_id,)).fetchone()
        names = [entity["name"], *entity.get("aliases", [])]
        if row is None:
            self.db.execute("INSERT INTO global_entities VALUES (%s, %s, %s, %s)",
                            (global_id, entity["name"], entity["type"], json.dumps(names[1:], ensure_ascii=False)))
            return
        aliases = json.loads(row["aliases"])
        added = [n for n in names if n != row["name"] and n not in aliases]
        if added:
            self.db.execute("UPDATE global_entities SET aliases = %s WHERE global_id = %s",
                            (json.dumps(aliases + added, ensure_ascii=False), global_id))

    def global_ids_of(self, doc_id: str) -> dict[str, str]:
        rows = self.db.execute("SELECT entity_id, global_id FROM entity_globals WHERE doc_id = %s", (doc_id,))
        return {r["entity_id"]: r["global_id"] for r in rows}

    def global_entities(self) -> Iterator[dict]:
        rows = self.db.execute(
            "SELECT g.global_id, g.name, g.type, g.aliases, string_agg(DISTINCT e.doc_id, ',') AS docs"
            " FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id"
            " GROUP BY g.global_id ORDER BY g.global_id"
        ).fetchall()
        for row in rows:
            yield {"global_id": row["global_id"], "name": row["name"], "type": row["type"],
                   "aliases": json.loads(row["aliases"]), "documents": sorted(row["docs"].split(","))}

    # -- events ---------------------------------------------------------------

    def put_event_view(self, ref: str, data: dict) -> None:
        self.db.execute("INSERT INTO event_views VALUES (%s, %s) ON CONFLICT (ref) DO UPDATE SET data = excluded.data",
                        (ref, json.dumps(data, ensure_ascii=False)))

    def event_view_data(self, ref: str) -> dict | None:
        row = self.db.execute("SELECT data FROM event_views WHERE ref = %s", (ref,)).fetchone()
        return json.loads(row["data"]) if row else None

    def put_event_pair(self, a: str, b: str, same: bool, slot: str, reason: str) -> None:
        a, b = sorted((a, b))
        self.db.execute("INSERT INTO event_pairs VALUES (%s, %s, %s, %s, %s) ON CONFLICT (a, b) DO UPDATE"
                        " SET same = excluded.same, slot = excluded.slot, reason = excluded.reason", (a, b, int(same), slot, reason))

    def event_pairs(self, same: bool | None = None) -> Iterator[dict]:
        sql = "SELECT * FROM event_pairs" + ("" if same is None else " WHERE same = %s")
        yield from self.db.execute(sql, () if same is None else (int(same),)).fetchall()

    def all_event_refs(self) -> Iterator[str]:
        yield from (r["ref"] for r in self.db.execute("SELECT DISTINCT ref FROM event_keys ORDER BY ref").fetchall())

    def replace_event_clusters(self, clusters: dict[str, str]) -> None:
        self.db.execute("DELETE FROM event_clusters")
        self.db.cursor().executemany("INSERT INTO event_clusters VALUES (%s, %s)", sorted(clusters.items()))

    def clusters_of(self, doc_id: str) -> dict[str, str]:
        rows = self.db.execute("SELECT ref, cluster FROM event_clusters WHERE ref >= %s AND ref < %s", (doc_id + ":", doc_id + ";"))
        return {r["ref"].split(":", 1)[1]: r["cluster"] for r in rows}

    # -- stories and corpus records -------------------------------------------

    def replace_stories(self, stories: list[dict]) -> None:
        self.db.execute("DELETE FROM stories")
        self.db.execute("DELETE FROM doc_story")
        cursor = self.db.cursor()
        cursor.executemany("INSERT INTO stories VALUES (%s, %s, %s, %s)",
                           [(s["id"], s["label"], s["first_reported"], json.dumps(s["documents"])) for s in stories])
        cursor.executemany("INSERT INTO doc_story VALUES (%s, %s)", [(d, s["id"]) for s in stories for d in s["documents"]])

    def story_of(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM doc_story WHERE doc_id = %s", (doc_id,)).fetchone()
        return row["story_id"] if row else None

    def stories(self) -> Iterator[dict]:
        for row in self.db.execute("SELECT * FROM stories ORDER BY id").fetchall():
            yield _story(row)

    def replace_corpus_records(self, kind: str, records: list[dict]) -> None:
        self.db.execute("DELETE FROM corpus_records WHERE kind = %s", (kind,))
        self.db.cursor().executemany("INSERT INTO corpus_records VALUES (%s, %s, %s)",
                                     [(kind, r["id"], json.dumps(r, ensure_ascii=False)) for r in records])

    def corpus_records(self, kind: str) -> list[dict]:
        rows = self.db.execute("SELECT data FROM corpus_records WHERE kind = %s ORDER BY id", (kind,))
        return [json.loads(r["data"]) for r in rows]

    # -- reads for the query layer (web pages and API) ------------------------

    def document_rows(self, limit: int, offset: int = 0) -> list[dict]:
        """Summary rows in ingest order, one page."""
        return self.db.execute(
            "SELECT id, title, published, outlet, url, path, position, length(text) AS chars FROM documents"
            " ORDER BY seq LIMIT %s OFFSET %s", (limit, offset)).fetchall()

    def document_summaries(self, ids: list[str]) -> dict[str, dict]:
        """Summary rows (id, title, published, outlet, url, path, position) of these documents, by id."""
        rows = self.db.execute("SELECT id, title, published, outlet, url, path, position, seq FROM documents"
                               " WHERE id = ANY(%s::text[])", (list(ids),))
        return {row["id"]: row for row in rows}

    def story_record(self, story_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = %s", (story_id,)).fetchone()
        return _story(row) if row else None

    def story_rows(self, limit: int, offset: int = 0, min_documents: int = 1) -> list[dict]:
        """Stories, the most reported first, with their size."""
        return self.db.execute(
            "SELECT s.id, s.label, s.first_reported, json_array_length(s.documents::json) AS size, d.published"
            " FROM stories s LEFT JOIN documents d ON d.id = s.first_reported"
            " WHERE json_array_length(s.documents::json) >= %s ORDER BY size DESC, s.id LIMIT %s OFFSET %s",
            (min_documents, limit, offset)).fetchall()

    def global_entity(self, global_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM global_entities WHERE global_id = %s", (global_id,)).fetchone()
        if row is None:
            return None
        return {"global_id": row["global_id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"])}

    def entity_rows(self, limit: int, offset: int = 0, type: str | None = None) -> list[dict]:
        """Global entities, those in most documents first."""
        rows = self.db.execute(
            "SELECT g.global_id, g.name, g.type, g.aliases, count(DISTINCT e.doc_id) AS documents"
            " FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id"
            " WHERE (%s::text IS NULL OR g.type = %s) GROUP BY g.global_id ORDER BY documents DESC, g.name, g.global_id"
            " LIMIT %s OFFSET %s", (type, type, limit, offset))
        return [{**row, "aliases": json.loads(row["aliases"])} for row in rows]

    def entity_occurrences(self, global_id: str, limit: int, offset: int = 0) -> list[tuple[str, str]]:
        """(document id, entity id) pairs of one global entity, in ingest order."""
        rows = self.db.execute(
            "SELECT e.doc_id, e.entity_id FROM entity_globals e JOIN documents d ON d.id = e.doc_id"
            " WHERE e.global_id = %s ORDER BY d.seq, e.entity_id LIMIT %s OFFSET %s", (global_id, limit, offset))
        return [(row["doc_id"], row["entity_id"]) for row in rows]

    def global_names(self, global_ids: list[str]) -> dict[str, str]:
        rows = self.db.execute("SELECT global_id, name FROM global_entities WHERE global_id = ANY(%s::text[])", (list(global_ids),))
        return {row["global_id"]: row["name"] for row in rows}

    def link_rows(self, limit: int, offset: int = 0, kind: str | None = None) -> list[dict]:
        """Links between documents, strongest first, without their evidence."""
        return self.db.execute(
            "SELECT a, b, kind, score, original, reason, json_array_length(evidence::json) AS passages FROM links"
            " WHERE (%s::text IS NULL OR kind = %s) ORDER BY score DESC, a, b LIMIT %s OFFSET %s",
            (kind, kind, limit, offset)).fetchall()

    def layer_rows(self, layer: str, limit: int, offset: int = 0, where: str = "", params: tuple = ()) -> list[dict]:
        """Records of one layer across documents as (doc id, title, published, record), in date order.

        `where` is the SQLite condition the query layer builds, `AND json_extract(r.value, '$.field') = ?`;
        it is rewritten to PostgreSQL's JSON operators here.
        """
        assert layer in LAYERS
        order = "coalesce(r.value ->> 'date', d.published, '9999') COLLATE \"C\"" if layer == "events" else "d.seq"
        rows = self.db.execute(
            f"SELECT d.id, d.title, d.published, d.outlet, r.value AS record"
            f" FROM documents d, json_array_elements({_json_array('d.data', layer)}) WITH ORDINALITY AS r(value, key)"
            f" WHERE true {_postgres_where(where)} ORDER BY {order}, d.seq, r.key LIMIT %s OFFSET %s", (*params, limit, offset))
        return [{"doc": row["id"], "title": row["title"], "published": row["published"], "outlet": row["outlet"],
                 "record": row["record"]} for row in rows]

    def event_date_counts(self, type: str | None = None) -> list[dict]:
        """How many events fall on each date (TIMEX3 value, day or coarser), by type."""
        return self.db.execute(
            "SELECT substr(r.value ->> 'date', 1, 10) COLLATE \"C\" AS date, (r.value ->> 'type') COLLATE \"C\" AS type, count(*) AS n"
            f" FROM documents d, json_array_elements({_json_array('d.data', 'events')}) AS r(value)"
            " WHERE r.value ->> 'date' IS NOT NULL AND (%s::text IS NULL OR r.value ->> 'type' = %s)"
            " GROUP BY 1, 2 ORDER BY 1, 2", (type, type)).fetchall()

    def attribution_sources(self) -> Iterator[dict]:
        """Every attribution's source, kind and via chain with the document's outlet, lazily."""
        rows = self.db.execute(
            "SELECT d.id, coalesce(d.outlet, d.path) AS outlet, r.value #>> '{source,text}' AS source,"
            " r.value ->> 'source_kind' AS kind, r.value -> 'via' AS via"
            f" FROM documents d, json_array_elements({_json_array('d.data', 'attributions')}) WITH ORDINALITY AS r(value, key)"
            " ORDER BY d.seq, r.key").fetchall()
        for row in rows:
            yield {"doc": row["id"], "outlet": row["outlet"], "source": row["source"], "kind": row["kind"], "via": row["via"] or []}

    def layer_counts(self) -> dict[str, int]:
        """Records per layer over the whole corpus."""
        sql = ", ".join(f"coalesce(sum(json_array_length({_json_array('data', name)})), 0)::bigint AS {name}" for name in LAYERS)
        return self.db.execute(f"SELECT {sql} FROM documents").fetchone()

    def corpus_counts(self) -> dict[str, object]:
        """Sizes of what linking built: links by kind, entities by type, stories, clusters, conflicts."""
        one = lambda sql: self.db.execute(sql).fetchone()["n"]  # noqa: E731
        return {
            "links": {r["kind"]: r["n"] for r in self.db.execute("SELECT kind, count(*) AS n FROM links GROUP BY kind ORDER BY kind")},
            "entities": {r["type"]: r["n"] for r in self.db.execute("SELECT type, count(*) AS n FROM global_entities GROUP BY type ORDER BY type")},
            "stories": one("SELECT count(*) AS n FROM stories"),
            "stories_with_several_reports": one("SELECT count(*) AS n FROM stories WHERE json_array_length(documents::json) > 1"),
            "event_clusters": one("SELECT count(*) AS n FROM corpus_records WHERE kind = 'event_clusters'"),
            "conflicts": one("SELECT count(*) AS n FROM corpus_records WHERE kind = 'conflicts'"),
            "outlets": one("SELECT count(DISTINCT outlet) AS n FROM documents WHERE outlet IS NOT NULL"),
        }

    def corpus_record_rows(self, kind: str, limit: int, offset: int = 0) -> list[dict]:
        rows = self.db.execute("SELECT data FROM corpus_records WHERE kind = %s ORDER BY id LIMIT %s OFFSET %s", (kind, limit, offset))
        return [json.loads(r["data"]) for r in rows]


# -- search syntax --------------------------------------------------------------

SEARCH_TOKEN = re.compile(r'\s*(?:(")|(\()|(\))|([^\s"()]+))')
OPERATORS = ("AND", "OR", "NOT")
COLUMN_FILTER = re.compile(r"^[A-Za-z_]\w*:")


def parse_search(query: str) -> tuple[str, list[str]]:
    """A search query as a tsquery SQL expression and its bound values; ValueError when malformed.

    The syntax is SQLite FTS5's, which both backends accept: words, "phrases",
    prefix*, AND, OR, NOT (binding tightest) and parentheses; words side by side mean AND.
    A `column:` filter is not supported and is an error.
    """
    parser = _SearchParser(_tokens(query))
    sql = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()[1]!r}")
    return sql, parser.params


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: phrase, word, op, open, close."""
    tokens, at = [], 0
    while at < len(query):
        match = SEARCH_TOKEN.match(query, at)
        if match is None:  # only trailing spaces are left
            break
        quote, opening, closing, word = match.groups()
        at = match.end()
        if quote:
            end = query.find('"', at)
            if end < 0:
                raise ValueError("unterminated string")
            tokens.append(("phrase", query[at:end]))
            at = end + 1
        elif opening or closing:
            tokens.append(("open" if opening else "close", opening or closing))
        elif word in OPERATORS:
            tokens.append(("op", word))
        elif COLUMN_FILTER.match(word):
            raise ValueError(f"column filters like {word!r} are not supported")
        else:
            tokens.append(("word", word))
    return tokens


class _SearchParser:
    """Recursive descent over FTS5's grammar: or := and (OR and)*; and := not (AND? not)*; not := term (NOT term)*."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.at, self.params = tokens, 0, []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("the query ends too early")
        self.at += 1
        return token

    def expression(self) -> str:
        parts = [self.conjunction()]
        while self.peek() == ("op", "OR"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"

    def conjunction(self) -> str:
        parts = [self.negation()]
        while (token := self.peek()) is not None and token != ("op", "OR") and token[0] != "close":
            if token == ("op", "AND"):
                self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"

    def negation(self) -> str:
        sql = self.term()
        while self.peek() == ("op", "NOT"):
            self.take()
            sql = f"({sql} && !!{self.term()})"
        return sql

    def term(self) -> str:
        kind, text = self.take()
        if kind == "open":
            sql = self.expression()
            if self.take()[0] != "close":
                raise ValueError("unbalanced parenthesis")
            return sql
        if kind in ("op", "close"):
            raise ValueError(f"syntax error near {text!r}")
        if kind == "word" and text.endswith("*") and text.rstrip("*"):
            self.params.append(text.rstrip("*"))
            return f"to_tsquery('{SEARCH_CONFIG}', quote_literal(%s) || ':*')"
        self.params.append(text)
        return f"phraseto_tsquery('{SEARCH_CONFIG}', %s)"


# -- helpers --------------------------------------------------------------------

def _json_array(column: str, name: str) -> str:
    """The array `column->name`, or an empty array when it is missing or not an array."""
    return f"CASE WHEN json_typeof({column} -> '{name}') = 'array' THEN {column} -> '{name}' ELSE '[]'::json END"


def _postgres_where(where: str) -> str:
    """The query layer's SQLite JSON condition in PostgreSQL's syntax, with %s placeholders."""
    where = JSON_EXTRACT.sub(lambda m: "(r.value #>> '{" + m.group(1).replace(".", ",") + "}')", where)
    if "json_" in where or "'$" in where:
        raise ValueError(f"unsupported layer filter {where!r}")
    return where.replace("?", "%s")


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _story(row: dict) -> dict:
    return {"id": row["id"], "label": row["label"], "documents": json.loads(row["documents"]), "first_reported": row["first_reported"]}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
