"""The schema, once for both engines: tables, indexes and the named migrations.

A migration is a name and its steps, each a statement or a callable given
the connection. They are applied in order, once each, and recorded in the
`migrations` table (see SQLStore._migrate). The names are those of the first
stores: a store made by any earlier version opens and gets only what it lacks.
Types, the key-only table option and full-text search come from the dialect.
"""
from __future__ import annotations

from newstrace.model import LAYERS
from newstrace.store.dialect import Dialect

#: One row a document of what /stats adds up: whether it is the first of its source, its characters,
#: whether it is extracted and dated, the size of each layer. Kept by every write of a document
#: (SQLStore._put_one), so /stats adds up one narrow table and never reads the documents' text or JSON.
COUNT_COLUMNS = ("doc_id", "first_of_source", "chars", "extracted", "dated", *LAYERS)

#: Every table linking fills; `reset_links` empties them.
LINK_TABLES = ("link_state", "lsh_bands", "block_keys", "links", "entity_keys", "global_entities", "entity_globals",
               "event_keys", "event_views", "event_pairs", "event_clusters", "stories", "doc_story", "corpus_records")


def migrations_table(d: Dialect) -> str:
    return f"CREATE TABLE IF NOT EXISTS migrations (name {d.text} PRIMARY KEY, applied_at {d.real} NOT NULL)"


def migrations(d: Dialect) -> tuple[tuple[str, tuple], ...]:
    """The named migrations in the order they apply."""
    t, real = d.text, d.real
    documents = (
        f"CREATE TABLE documents (seq {d.serial}, id {t} NOT NULL UNIQUE, source_key {t} NOT NULL, path {t} NOT NULL,"
        f" position {t}, url {t}, outlet {t}, title {t}, published {t}, text {t} NOT NULL,"
        f" extracted INTEGER NOT NULL DEFAULT 0, data {d.json} NOT NULL, ingested_at {real} NOT NULL)",
        "CREATE INDEX documents_source_key ON documents(source_key)",
        "CREATE INDEX documents_published ON documents(published)",
        f"CREATE TABLE versions (a {t} NOT NULL, b {t} NOT NULL, PRIMARY KEY (a, b))",
    )
    errors = (
        f"CREATE TABLE errors (seq {d.serial}, path {t} NOT NULL, position {t} NOT NULL DEFAULT '',"
        f" reason {t} NOT NULL, hint {t} NOT NULL, count INTEGER NOT NULL DEFAULT 1,"
        f" first_seen {real} NOT NULL, last_seen {real} NOT NULL, UNIQUE (path, position, reason))",
    )
    links = (
        f"CREATE TABLE link_state (doc_id {t} PRIMARY KEY, text_hash {t} NOT NULL, linked_at {real} NOT NULL)",
        "CREATE INDEX link_state_hash ON link_state(text_hash)",
        f"CREATE TABLE lsh_bands (key {t} NOT NULL, doc_id {t} NOT NULL, PRIMARY KEY (key, doc_id)){d.key_table}",
        f"CREATE TABLE block_keys (key {t} NOT NULL, doc_id {t} NOT NULL, PRIMARY KEY (key, doc_id)){d.key_table}",
        f"CREATE TABLE links (a {t} NOT NULL, b {t} NOT NULL, kind {t} NOT NULL, score {real} NOT NULL,"
        f" original {t}, evidence {t} NOT NULL, reason {t} NOT NULL, PRIMARY KEY (a, b))",
        "CREATE INDEX links_b ON links(b)",
        f"CREATE TABLE entity_keys (key {t} PRIMARY KEY, global_id {t} NOT NULL)",
        f"CREATE TABLE global_entities (global_id {t} PRIMARY KEY, name {t} NOT NULL, type {t} NOT NULL, aliases {t} NOT NULL)",
        f"CREATE TABLE entity_globals (doc_id {t} NOT NULL, entity_id {t} NOT NULL, global_id {t} NOT NULL,"
        " PRIMARY KEY (doc_id, entity_id))",
        "CREATE INDEX entity_globals_global ON entity_globals(global_id)",
        f"CREATE TABLE event_keys (key {t} NOT NULL, ref {t} NOT NULL, PRIMARY KEY (key, ref)){d.key_table}",
        f"CREATE TABLE event_pairs (a {t} NOT NULL, b {t} NOT NULL, same INTEGER NOT NULL, slot {t}, reason {t} NOT NULL,"
        " PRIMARY KEY (a, b))",
        f"CREATE TABLE event_clusters (ref {t} PRIMARY KEY, cluster {t} NOT NULL)",
        f"CREATE TABLE stories (id {t} PRIMARY KEY, label {t} NOT NULL, first_reported {t}, documents {t} NOT NULL)",
        f"CREATE TABLE doc_story (doc_id {t} PRIMARY KEY, story_id {t} NOT NULL)",
        f"CREATE TABLE corpus_records (kind {t} NOT NULL, id {t} NOT NULL, data {t} NOT NULL, PRIMARY KEY (kind, id))",
    )
    return (
        ("0001_documents", documents),
        ("0002_errors", errors),
        ("0003_search", d.search_schema()),
        ("0004_links", links),
        ("0005_event_views", (f"CREATE TABLE event_views (ref {t} PRIMARY KEY, data {t} NOT NULL)",)),
        ("0006_search_words", d.search_words_schema()),
        ("0007_document_counts", _document_counts(d)),
        ("0008_link_provenance", link_provenance(d)),
    )


def _document_counts(d: Dialect) -> tuple:
    """The `document_counts` table, filled from the documents already stored, and an index for counting outlets."""
    first = "CASE WHEN EXISTS (SELECT 1 FROM documents o WHERE o.source_key = d.source_key AND o.seq < d.seq) THEN 0 ELSE 1 END"
    layers = ", ".join(f"coalesce({d.json_length('d.data', name)}, 0)" for name in LAYERS)
    return (
        f"CREATE TABLE document_counts (doc_id {d.text} PRIMARY KEY, {', '.join(f'{c} INTEGER NOT NULL' for c in COUNT_COLUMNS[1:])})",
        f"INSERT INTO document_counts ({', '.join(COUNT_COLUMNS)}) SELECT d.id, {first}, length(d.text), d.extracted,"
        f" CASE WHEN d.published IS NULL THEN 0 ELSE 1 END, {layers} FROM documents d",
        "CREATE INDEX documents_outlet ON documents(outlet)",
    )


def link_provenance(d: Dialect) -> tuple[str, ...]:
    """Issue 17: entity keys lose their type, a global entity's type is voted, stories count their origins.

    The old typed keys would give a known name a second global id, so every
    linking table is emptied; the documents stay, and the next `ingest` or
    `link` links them all again under the new keys (as `link --full` would).
    """
    return (f"ALTER TABLE global_entities ADD COLUMN votes {d.text} NOT NULL DEFAULT '{{}}'",
            f"ALTER TABLE stories ADD COLUMN origins {d.text} NOT NULL DEFAULT '[]'",
            *(f"DELETE FROM {table}" for table in LINK_TABLES))
