"""Every run-time setting in one frozen object: where the store is, how many workers, the caps, the server.

The CLI and the web app build one `Settings` from their flags and the
environment and pass its values down; nothing else reads `os.environ` for
these. This table is the one place each setting is documented (the README
points here):

| field                | flag                        | environment                  | default          |
| -------------------- | --------------------------- | ---------------------------- | ---------------- |
| `db`                 | `--db`                      | `NEWSTRACE_DB`               | `newstrace.db`   |
| `workers`            | `ingest/serve --workers`    |                              | 1                |
| `max_document_bytes` |                             |                              | 20 MiB           |
| `TIME_CAP_SECONDS`   |                             |                              | 60 s             |
| `MAX_DOM_TAGS`       |                             |                              | 500,000          |
| `batch_size`         |                             |                              | 64               |
| `link_batch_size`    |                             |                              | 500              |
| `split_bytes`        | `spark --split-bytes`       |                              | 64 MiB           |
| `max_upload_bytes`   |                             | `NEWSTRACE_MAX_UPLOAD_BYTES` | 10 MiB           |
| `host`               | `serve --host`              |                              | `127.0.0.1`      |
| `port`               | `serve --port`              |                              | 8000             |
| `token`              |                             | `NEWSTRACE_TOKEN`            | none (read-only) |
| `allowed_hosts`      | `serve --allowed-host` (repeatable) | `NEWSTRACE_ALLOWED_HOSTS` (commas) | none |

- `db`: a SQLite file, `:memory:`, or a `postgresql://` URL (PostgreSQL).
- `workers`: processes that parse for `ingest`; HTTP worker processes for `serve`.
- `max_document_bytes`: the largest single document (file, JSON line, WARC or
  feed record) a reader takes; a larger one is a recorded error.
- `TIME_CAP_SECONDS`, `MAX_DOM_TAGS` (module constants, `newstrace.caps`): a
  document whose cleaning and extraction take longer, or an HTML page with more
  tags, is a recorded error naming its file and position, and the run goes on.
- `batch_size`: documents written per transaction by the ingest sink (`ingest`,
  uploads, `newstrace import`); a killed run keeps every batch it committed.
- `link_batch_size`: rows per transaction when `import` loads links made on Spark.
- `split_bytes`: a plain JSON Lines file larger than this is read by Spark as
  one task per range of this many bytes.
- `max_upload_bytes`: the largest upload `POST /api/v1/documents` takes (413 above it).
- `host`, `port`: where `serve` listens; 127.0.0.1 keeps it to this machine.
- `token`: uploads need `Authorization: Bearer <token>`; unset or empty, the
  server is read-only.
- `allowed_hosts`: names besides `host`, `localhost` and `127.0.0.1` that a
  request's Host header may give (others get a 400, against DNS rebinding):
  a name, `*.example.org` for its subdomains, or `*` for any.

A flag given wins over the environment, which wins over the default. One more
variable is read where the model loads (`nlp.load_nlp`), not here:
`NEWSTRACE_BLIS=1` keeps thinc's BLIS matrix ops (by default NumPy ops without BLIS).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from newstrace.errors import UsageError

DEFAULT_DB = "newstrace.db"
#: The largest single document a reader takes when called without a cap (the readers import it from here).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: The longest one document may take to clean and extract, in seconds (caps.time_cap); over it, a recorded error.
TIME_CAP_SECONDS = 60.0
#: The most tags an HTML page may hold before it is parsed (caps.check_dom_size); news pages hold a few thousand.
MAX_DOM_TAGS = 500_000
BATCH_SIZE = 64
LINK_BATCH_SIZE = 500
DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: The settings the environment can set: field -> variable.
ENVIRONMENT = {"db": "NEWSTRACE_DB", "token": "NEWSTRACE_TOKEN", "max_upload_bytes": "NEWSTRACE_MAX_UPLOAD_BYTES",
               "allowed_hosts": "NEWSTRACE_ALLOWED_HOSTS"}


@dataclass(frozen=True)
class Settings:
    """The settings of one run; see the module's table for what each field means."""

    db: str = DEFAULT_DB
    workers: int = 1
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    batch_size: int = BATCH_SIZE
    link_batch_size: int = LINK_BATCH_SIZE
    split_bytes: int = DEFAULT_SPLIT_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    allowed_hosts: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **flags) -> Settings:
        """Settings from flags (None: not given), else the environment, else the defaults (see `setting`)."""
        unknown = set(flags) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**{f.name: setting(f.name, flags.get(f.name), environ) for f in fields(cls)})

    def to_env(self) -> dict[str, str]:
        """The variables that give another process (a server worker) these settings through `from_env`."""
        return {"NEWSTRACE_DB": self.db, "NEWSTRACE_TOKEN": self.token or "",
                "NEWSTRACE_MAX_UPLOAD_BYTES": str(self.max_upload_bytes), "NEWSTRACE_ALLOWED_HOSTS": ",".join(self.allowed_hosts)}


def setting(name: str, flag=None, environ: Mapping[str, str] | None = None):
    """One setting: the flag if given, else its environment variable if set and not empty, else the default.

    An empty `--db` counts as not given; an empty token, given or from the
    environment, means no token.
    """
    value = flag
    variable = ENVIRONMENT.get(name)
    if value is None or (name == "db" and not value):
        value = (os.environ if environ is None else environ).get(variable) if variable else None
    if value is None or value == "":
        return None if name == "token" else DEFAULTS[name]
    if name == "max_upload_bytes":
        return _bytes(value, variable)
    if name == "allowed_hosts":
        return _hosts(value.split(",") if isinstance(value, str) else value)
    return value


#: A host as a Host header names it, without port: a name, `*.` and a domain, `*`, or an IPv6 address in brackets.
HOST = re.compile(r"\*|(\*\.)?[^\s/:*\[\]]+|\[[0-9a-f:.]+\]")


def _hosts(values) -> tuple[str, ...]:
    """Host names as TrustedHostMiddleware takes them; anything else (a port, a scheme) is a UsageError."""
    hosts = tuple(value.strip().lower() for value in values if value.strip())
    for host in hosts:
        if not HOST.fullmatch(host):
            raise UsageError(f"--allowed-host {host}", "not a host name",
                             "give a name as the Host header has it, without scheme or port: example.org, *.example.org or *")
    return hosts


def _bytes(value: int | str, variable: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UsageError(f"{variable}={value}", "not a positive number of bytes", f"set {variable} to e.g. {MAX_UPLOAD_BYTES}, or unset it")
    return number


DEFAULTS = {f.name: f.default for f in fields(Settings)}
