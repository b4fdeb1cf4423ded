"""Open a store from a `--db` value: a SQLite file path (default) or a postgresql:// URL."""
from __future__ import annotations

import os

from newstrace.errors import UsageError
from newstrace.settings import DEFAULT_DB, setting
from newstrace.store.base import PutReport, Store
from newstrace.store.sql import PostgresStore, SQLiteStore, document_key


def resolve_db(db: str | None) -> str:
    """The store location: `--db`, else $NEWSTRACE_DB, else newstrace.db here (`Settings.db`)."""
    return setting("db", db)


def open_store(db: str | None = None) -> Store:
    location = resolve_db(db)
    if location.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg  # noqa: F401 - needed only for PostgreSQL
        except ImportError as exc:
            raise UsageError(location.rsplit("@", 1)[-1], f"PostgreSQL needs psycopg ({exc})", 'pip install "psycopg[binary]"') from exc
        return PostgresStore(location)
    if location != ":memory:":
        parent = os.path.dirname(os.path.abspath(location))
        if not os.path.isdir(parent):
            raise UsageError(location, "the folder for the database does not exist", "create the folder or give --db another path")
    return SQLiteStore(location)


__all__ = ["open_store", "resolve_db", "Store", "PutReport", "SQLiteStore", "PostgresStore", "document_key", "DEFAULT_DB"]
