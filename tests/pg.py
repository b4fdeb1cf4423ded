"""Store fixtures over both backends: SQLite in tmp_path, and a throwaway PostgreSQL server.

The server is started once per test session (initdb and pg_ctl in a temporary
folder, as the `postgres` user when running as root, on 127.0.0.1 and a free
port), with one test database that is migrated once and emptied before each
test. NEWSTRACE_TEST_PG=postgresql://user@host:port/db points the tests at a
server of your own instead (the user must be allowed to create databases).
Without the server binaries or psycopg the PostgreSQL tests are skipped, with
the reason, unless NEWSTRACE_REQUIRE_PG is set (as in CI): then they fail.

Use: `from pg import postgres_server, postgres_database, postgres_url, store_url, store  # noqa: F401`.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user() -> list[str]:
    """initdb refuses to run as root: run the server as `postgres` through runuser then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _skip_reason() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    if server_binaries() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root without runuser to start PostgreSQL as another user"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server"
    return None


@pytest.fixture(scope="session")
def postgres_server():
    """A base postgresql:// URL (no database name) of a server that lives for the whole session."""
    if os.environ.get("NEWSTRACE_TEST_PG"):
        yield os.environ["NEWSTRACE_TEST_PG"].rstrip("/").rsplit("/", 1)[0]
        return
    reason = _skip_reason()
    if reason and os.environ.get("NEWSTRACE_REQUIRE_PG"):
        pytest.fail(f"NEWSTRACE_REQUIRE_PG is set but {reason}")
    if reason:
        pytest.skip(reason)
    bin_dir, run_as = server_binaries(), _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="newstrace-pg-"))
    if run_as:
        shutil.chown(folder, "postgres")
    data, log, port = folder / "data", folder / "server.log", _free_port()
    options = f"{SERVER_OPTIONS} -c port={port} -c unix_socket_directories={folder}"
    for step in ([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"],
                 [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]):
        done = subprocess.run([*run_as, *step], capture_output=True, text=True)
        if done.returncode != 0:
            log_text = log.read_text() if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            pytest.fail(f"PostgreSQL did not start ({Path(step[0]).name} failed): {done.stderr}\n{log_text}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_database(postgres_server):
    """A database on the session's server, migrated once and dropped at the end."""
    import psycopg

    from newstrace.store import PostgresStore

    name = f"newstrace_test_{os.getpid()}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    PostgresStore(f"{postgres_server}/{name}").close()
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url(postgres_database):
    """The session's test database, emptied (all but the migrations): faster than a new database each test."""
    import psycopg

    with psycopg.connect(postgres_database, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND tablename != 'migrations'")]
        conn.execute("; ".join(f"DELETE FROM {table}" for table in tables))  # TRUNCATE is slower on tiny tables
    return postgres_database


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """The location of a new, empty store on each backend: a SQLite path, then a postgresql:// URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url):
    from newstrace.store import open_store

    with open_store(store_url) as opened:
        yield opened
