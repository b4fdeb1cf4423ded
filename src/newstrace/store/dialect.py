"""The two SQL dialects the one store is written over: SQLite and PostgreSQL.

A dialect says only what differs between the engines: the placeholder, column
types, JSON access, a string aggregate, bound lists (the expressions side by side
in EXPRESSIONS), full-text search, how to connect and how transactions and
migration locks are taken. Every query
(store/sql.py, store/links.py, store/reads.py) and the schema
(store/schema.py) are written once over these pieces; no SQL is rewritten.

Both engines take the same upsert (`INSERT ... ON CONFLICT (key) DO UPDATE SET
c = excluded.c`), so `Dialect.upsert` is written once here.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from newstrace.errors import StoreError
from newstrace.store.pg_search import SEARCH_CONFIG, SEARCH_TEXT, parse_search

#: Held while migrating a PostgreSQL database, so two processes opening a new one do not both migrate it.
MIGRATION_LOCK = 0x6E657773

#: The array `column`->name on PostgreSQL, or an empty array when it is missing or not an array.
PG_ARRAY_AT = "CASE WHEN json_typeof({column} -> '{name}') = 'array' THEN {column} -> '{name}' ELSE '[]'::json END"
#: Every expression whose form differs, as (SQLite, PostgreSQL) templates; see the Dialect methods of the same names.
#: PostgreSQL's JSON text is given the "C" collation, as every text column has.
EXPRESSIONS = {
    "json_text": ("json_extract({expr}, '$.{path}')", "(({expr} #>> '{{{keys}}}') COLLATE \"C\")"),
    "json_value": ("json_extract({expr}, '$.{path}')", "({expr} #> '{{{keys}}}')"),
    "json_elements": ("json_each({column}, '$.{name}') {alias}",
                      f"json_array_elements({PG_ARRAY_AT}) WITH ORDINALITY AS {{alias}}(value, key)"),
    "json_length": ("json_array_length({column})", "json_array_length({column}::json)"),
    "json_length_at": ("json_array_length({column}, '$.{name}')", f"json_array_length({PG_ARRAY_AT})"),
    "string_agg": ("group_concat(DISTINCT {expr})", "string_agg(DISTINCT {expr}, ',')"),
    "each": ("json_each(?) {alias}", "unnest(%s::text[]) AS {alias}(value)"),
}


class Dialect:
    """What differs between the engines; the defaults are what both accept."""

    name = label = ""
    #: Which of the EXPRESSIONS forms this engine takes.
    form = 0
    #: The placeholder for one bound value.
    p = "?"
    #: Column types: text, floating point, a JSON document, the ingest-order key.
    text = real = json = serial = ""
    #: Appended to the CREATE TABLE of tables that are only a primary key.
    key_table = ""
    #: Whether text may hold NUL characters.
    stores_nul = True
    #: Exceptions the driver raises for a failed statement.
    errors: tuple[type[BaseException], ...] = ()
    unusable_hint = ""

    # -- statements built once for both engines ---------------------------------

    def marks(self, n: int) -> str:
        return ", ".join([self.p] * n)

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str] = (), update: Sequence[str] = ()) -> str:
        """INSERT of one row; on a `key` conflict the `update` columns take the new values (none: the row is kept).

        An `update` entry with "=" in it is an assignment of its own, e.g. "count = errors.count + 1".
        """
        sets = ", ".join(c if "=" in c else f"{c} = excluded.{c}" for c in update)
        target = f" ({', '.join(key)})" if key else ""
        action = f"DO UPDATE SET {sets}" if update else "DO NOTHING"
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({self.marks(len(columns))}) ON CONFLICT{target} {action}"

    # -- connection and transactions ----------------------------------------------

    def connect(self, location: str):
        raise NotImplementedError

    def where(self, location: str) -> str:
        """The location as it may be shown to a user."""
        return location

    def unusable(self, location: str, exc: BaseException) -> StoreError:
        return StoreError(self.where(location), f"not a usable newstrace database ({first_line(exc)})", self.unusable_hint)

    def transaction(self, db):
        raise NotImplementedError

    @contextmanager
    def migrating(self, db) -> Iterator[None]:
        """A transaction that only one connection at a time holds to migrate."""
        with self.transaction(db):
            self.lock_migrations(db)
            yield

    def lock_migrations(self, db) -> None:
        """Nothing to do where the transaction itself excludes other writers."""

    def lock_source(self, db, key: str) -> None:
        """Make same-source inserts take turns (see SQLStore._put_one); nothing where writers take turns anyway."""

    def column_each(self, db, sql: str, rows: list[tuple]) -> Iterator[list]:
        """The first column of `sql`'s result, for `sql` run once per parameter tuple, in order."""
        raise NotImplementedError

    # -- expressions (EXPRESSIONS) -------------------------------------------------

    def _form(self, expression: str, **values) -> str:
        return EXPRESSIONS[expression][self.form].format(**values)

    def json_text(self, expr: str, path: str) -> str:
        """The text at `path` (dotted field names) inside the JSON `expr`."""
        return self._form("json_text", expr=expr, path=path, keys=path.replace(".", ","))

    def json_value(self, expr: str, path: str) -> str:
        """The JSON value at `path` inside the JSON `expr`, to `decode`."""
        return self._form("json_value", expr=expr, path=path, keys=path.replace(".", ","))

    def json_elements(self, column: str, name: str, alias: str = "r") -> str:
        """A FROM item: the elements of the array `column`.name as rows `alias`.value (JSON), `alias`.key (order)."""
        return self._form("json_elements", column=column, name=name, alias=alias)

    def json_length(self, column: str, name: str | None = None) -> str:
        """The length of the JSON array in `column` (a TEXT column), or of `column`.name (a JSON document)."""
        return self._form("json_length_at" if name else "json_length", column=column, name=name)

    def string_agg(self, expr: str) -> str:
        """An aggregate: the distinct values joined by commas."""
        return self._form("string_agg", expr=expr)

    def each(self, alias: str = "k") -> str:
        """A FROM item: the strings of one bound `array` as rows `alias`.value."""
        return self._form("each", alias=alias)

    def array(self, values: Iterable[str]):
        """A list of strings as one bound value, for `each`."""
        raise NotImplementedError

    def decode(self, value):
        """A value of a JSON column or expression as Python data (None stays None)."""
        raise NotImplementedError

    # -- full-text search -------------------------------------------------------------

    def search_schema(self) -> tuple:
        """The steps of the `0003_search` migration."""
        raise NotImplementedError

    def search_words_schema(self) -> tuple:
        """The steps of the `0006_search_words` migration: the engine splits words as SQLite's tokenizer does."""
        return ()

    def search(self, columns: str, query: str, marks: tuple[str, str, int], limit: int, offset: int) -> tuple[str, tuple]:
        """A search statement and its values: `columns` of `documents d` best match first, with `snippet`.

        `marks` is (start, stop, words): the hits are marked with start and stop in a snippet of about `words` words.
        The query syntax is SQLite FTS5's on both engines; ValueError or one of `errors` when it is malformed.
        """
        raise NotImplementedError

    def accent_folding(self, db) -> bool:
        """Whether search ignores accents."""
        return True


class SQLite(Dialect):
    """The embedded engine: one file, WAL mode, FTS5 search."""

    name, label, form = "sqlite", "SQLite", 0
    p = "?"
    text, real, json = "TEXT", "REAL", "TEXT"
    serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
    key_table = " WITHOUT ROWID"
    errors = (sqlite3.DatabaseError,)
    unusable_hint = "give --db a new file name, or the path of a newstrace database"

    def connect(self, location: str):
        try:
            db = sqlite3.connect(location, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise self.unusable(location, exc) from exc
        return db

    @contextmanager
    def transaction(self, db) -> Iterator[None]:
        """BEGIN IMMEDIATE: the write lock is taken at once, so writers take turns instead of failing later."""
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def column_each(self, db, sql: str, rows: list[tuple]) -> Iterator[list]:
        for params in rows:
            yield [row[0] for row in db.execute(sql, params)]

    def decode(self, value):
        return None if value is None else json.loads(value)

    def array(self, values: Iterable[str]):
        return json.dumps(list(values), ensure_ascii=False)

    def search_schema(self) -> tuple:
        return (
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            " title, text, content='documents', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')",
            "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN"
            " INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END",
            "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN"
            " INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text); END",
        )

    def search(self, columns: str, query: str, marks: tuple[str, str, int], limit: int, offset: int) -> tuple[str, tuple]:
        """FTS5 MATCH, ranked by bm25, with FTS5's snippet()."""
        start, stop, words = marks
        return (f"SELECT {columns}, snippet(documents_fts, 1, ?, ?, ' … ', ?) AS snippet"
                " FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid"
                " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?", (start, stop, words, query, limit, offset))


class Postgres(Dialect):
    """The team engine, through psycopg 3 (imported only when a PostgreSQL store is opened).

    Every text column uses the "C" collation, so ids, names and dates sort
    byte-wise as in SQLite and both engines give identical exports. Search is a
    tsvector column in the `newstrace_search` configuration: `simple` (no
    stemming, like SQLite's unicode61) with accents folded by `unaccent` when
    the server has it, over the text with ASCII punctuation made spaces, so
    that words split as unicode61 splits them (see pg_search.py). Ranking and snippets are PostgreSQL's own (ts_rank_cd,
    ts_headline), so they can differ from SQLite's bm25 and snippet().
    """

    name, label, form = "postgresql", "PostgreSQL", 1
    p = "%s"
    text, real, json = 'TEXT COLLATE "C"', "DOUBLE PRECISION", "JSON"
    serial = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    stores_nul = False
    unusable_hint = "give --db an empty database the user may create tables in"

    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        self.errors = (psycopg.Error,)

    def connect(self, location: str):
        from psycopg.rows import dict_row

        try:
            return self.psycopg.connect(location, autocommit=True, row_factory=dict_row)
        except self.psycopg.Error as exc:
            raise StoreError(self.where(location), f"cannot connect to PostgreSQL ({first_line(exc)})",
                             "check the URL, that the server runs and that the user may log in") from exc

    def where(self, location: str) -> str:
        return location.rsplit("@", 1)[-1].split("?")[0]  # never the password

    def transaction(self, db):
        """A transaction; nested ones become savepoints."""
        return db.transaction()

    def lock_migrations(self, db) -> None:
        db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))

    def lock_source(self, db, key: str) -> None:
        """Same-source inserts take turns, so concurrent ingests still tie every version to the others."""
        db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))

    def column_each(self, db, sql: str, rows: list[tuple]) -> Iterator[list]:
        """One pipelined round trip for all the parameter tuples."""
        if not rows:
            return
        cursor = db.cursor()
        cursor.executemany(sql, rows, returning=True)
        while True:
            yield [next(iter(row.values())) for row in cursor.fetchall()]
            if not cursor.nextset():
                return

    def decode(self, value):
        return value  # psycopg parses json values

    def array(self, values: Iterable[str]):
        return list(values)

    def search_schema(self) -> tuple:
        return (
            self._create_search_config,
            f"ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            f" to_tsvector('{SEARCH_CONFIG}', coalesce(title, '') || ' ' || text)) STORED",
            "CREATE INDEX documents_search ON documents USING GIN (search)",
        )

    def search_words_schema(self) -> tuple:
        """The tsvector made again from the text with punctuation made spaces (pg_search.SEARCH_TEXT)."""
        return (
            "ALTER TABLE documents DROP COLUMN search",
            f"ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('{SEARCH_CONFIG}', {SEARCH_TEXT})) STORED",
            "CREATE INDEX documents_search ON documents USING GIN (search)",
        )

    def _create_search_config(self, db) -> None:
        """`simple` words, accents folded first when the unaccent extension can be had (else left as they are)."""
        db.execute(f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = pg_catalog.simple)")
        try:
            with db.transaction():
                db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
                db.execute(f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}"
                           " ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple")
        except self.psycopg.Error:
            pass  # no unaccent on this server: search is accent-sensitive

    def search(self, columns: str, query: str, marks: tuple[str, str, int], limit: int, offset: int) -> tuple[str, tuple]:
        """The FTS5 query as a tsquery (see pg_search.py), ranked by ts_rank_cd, with ts_headline's snippet."""

        tsquery, params = parse_search(query)
        start, stop, words = marks
        options = (f'StartSel="{start}", StopSel="{stop}", MaxWords={words}, MinWords={max(words // 2, 1)},'
                   ' MaxFragments=1, FragmentDelimiter=" … "')
        return (f"WITH q AS (SELECT {tsquery} AS q),"
                f" hits AS (SELECT d.seq, ts_rank_cd(d.search, q.q) AS rank FROM documents d, q WHERE d.search @@ q.q"
                f" ORDER BY rank DESC, d.seq LIMIT %s OFFSET %s)"
                f" SELECT {columns}, ts_headline('{SEARCH_CONFIG}', d.text, q.q, %s) AS snippet"
                f" FROM hits JOIN documents d ON d.seq = hits.seq, q ORDER BY hits.rank DESC, d.seq",
                (*params, limit, offset, options))

    def accent_folding(self, db) -> bool:
        sql = f"SELECT to_tsvector('{SEARCH_CONFIG}', 'é') = to_tsvector('{SEARCH_CONFIG}', 'e') AS folded"
        return db.execute(sql).fetchone()["folded"]


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
