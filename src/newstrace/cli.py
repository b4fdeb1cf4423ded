"""The command line: a few lines per command over the library (../shared/CONTRACT.md)."""
from __future__ import annotations

import json
import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from newstrace import export as exporter
from newstrace import query
from newstrace.errors import NewstraceError, UsageError
from newstrace.ingest import ingest as run_ingest
from newstrace.model import Document, ReadError
from newstrace.readers import expand_path
from newstrace.settings import DEFAULTS, Settings
from newstrace.store import open_store

app = typer.Typer(add_completion=False, no_args_is_help=True, help="newstrace: evidence-linked facts from news reports.")
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)
STATE = {"debug": False}

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file or postgresql:// URL [default: $NEWSTRACE_DB or newstrace.db]")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json")]


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="show tracebacks")] = False):
    STATE["debug"] = debug


def say_error(message: str) -> None:
    err.print(f"newstrace: {message}", markup=False)


@contextmanager
def _store(db: str | None):
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def _emit(data, format: str) -> None:
    if format == "json":
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
    elif isinstance(data, list):
        _table(data)
    else:
        for key, value in data.items():
            out.print(f"{key}: {value}", markup=False)


def _brief(row: dict) -> dict:
    """A list row narrow enough for a terminal: short id, date, title, where it came from."""
    title = row.get("title") or ""
    source = os.path.basename(row.get("path") or "") + (f":{row['position']}" if row.get("position") else "")
    return {"id": row["id"][:10], "published": row.get("published") or "", "title": title[:60] + ("…" if len(title) > 60 else ""), "source": source}


def _table(rows: list[dict]) -> None:
    if not rows:
        out.print("(nothing)")
        return
    table = Table(show_edge=False)
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    out.print(table)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="files, folders, globs, or - for standard input")],
    db: DbOpt = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="processes to use")] = DEFAULTS["workers"],
    no_extract: Annotated[bool, typer.Option("--no-extract", help="store cleaned text only, no layers")] = False,
    no_link: Annotated[bool, typer.Option("--no-link", help="skip linking the new documents (run `newstrace link` later)")] = False,
):
    """Read news files into the store and link the new ones. Example: newstrace ingest examples/"""
    missing = [p for p in paths if p != "-" and next(expand_path(p), None) is None]
    for path in missing:
        say_error(f"{path}: no such file or folder — check the path, or quote a glob so the shell does not expand it")
    present = [p for p in paths if p not in missing]
    settings = Settings.from_env(db=db, workers=workers)
    with _store(settings.db) as store, _progress() as advance:
        report = run_ingest(present, store, extract=not no_extract, workers=settings.workers, on_progress=advance, on_error=_ErrorPrinter(),
                            max_bytes=settings.max_document_bytes, link_after=not no_link, batch_size=settings.batch_size)
    _ingest_summary(report, settings.db)
    if missing:
        raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)


class _ErrorPrinter:
    """Print the first failures one line each, then only count them (all are stored)."""

    LIMIT = 20

    def __init__(self):
        self.seen = 0

    def __call__(self, error: ReadError) -> None:
        self.seen += 1
        if self.seen <= self.LIMIT:
            say_error(error.message())
        elif self.seen == self.LIMIT + 1:
            say_error("more failures — not printed here; `newstrace errors` lists them all")


@contextmanager
def _progress():
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    columns = (SpinnerColumn(), TextColumn("ingesting"), BarColumn(), TextColumn("{task.completed} documents"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("ingest", total=None)
        yield lambda n: progress.advance(task, n)


def _ingest_summary(report, db: str) -> None:
    table = Table(title=f"ingested into {db}", show_edge=False)
    for column in ("documents read", "new", "unchanged", "updated", "new versions", "failed"):
        table.add_column(column, justify="right")
    stored = report.stored
    table.add_row(*map(str, (report.read, len(stored.added), len(stored.unchanged), len(stored.updated), len(stored.versions), report.failed)))
    err.print(table)
    if report.linked is not None:
        err.print(_link_line(report.linked), markup=False)
    if report.failed:
        err.print(f"{report.failed} input(s) failed; `newstrace errors --db {db}` lists them.", markup=False)


@app.command(name="link")
def link_command(db: DbOpt = None):
    """Recompute every link, story, event cluster and conflict. Example: newstrace link"""
    from newstrace.link import link

    with _store(db) as store:
        report = link(store, full=True)
    err.print(_link_line(report), markup=False)


def _link_line(report) -> str:
    return f"linked {report.documents} new documents: {report.pairs_compared} pairs compared, {_kinds(report.links)}, {report.event_pairs} event pairs"


def _kinds(links: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in sorted(links.items())) or "no new links"


@app.command()
def spark(
    paths: Annotated[list[str], typer.Argument(help="files, folders or globs; on a cluster, paths every executor can open")],
    out: Annotated[str, typer.Option("--out", help="folder for the Parquet tables (documents by month, errors), or a postgresql:// store")],
    master: Annotated[str, typer.Option("--master", help="Spark master URL")] = "local[*]",
    no_extract: Annotated[bool, typer.Option("--no-extract", help="store cleaned text only, no layers")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="replace what --out (or --stage) holds")] = False,
    split_bytes: Annotated[int, typer.Option("--split-bytes", min=1, help="read plain JSON Lines files larger than this as one task per range of this many bytes")] = DEFAULTS["split_bytes"],
    stage: Annotated[Optional[str], typer.Option("--stage", help="with --out postgresql://: folder for the Parquet before import [default: a temporary one]")] = None,
    keep_stage: Annotated[bool, typer.Option("--keep-stage", help="with --out postgresql://: keep the staged Parquet")] = False,
    no_link: Annotated[bool, typer.Option("--no-link", help="do not link on Spark (`newstrace import` then links on this machine)")] = False,
    json_out: Annotated[Optional[str], typer.Option("--json", help="also write the same JSON as `newstrace export` to this file")] = None,
):
    """Run the pipeline on Apache Spark into Parquet or a PostgreSQL store. Example: newstrace spark data/ --out run1"""
    from newstrace import spark as on_spark

    if (stage or keep_stage) and not on_spark.is_store_url(out):
        raise UsageError("--stage", "only used with --out postgresql://", "leave --stage and --keep-stage out when --out is a folder")
    if json_out and on_spark.is_store_url(out):
        raise UsageError("--json", "only used with --out DIR", "run `newstrace export --db URL` on the store instead")
    settings = Settings.from_env(split_bytes=split_bytes)
    options = {"extract": not no_extract, "overwrite": overwrite, "split_bytes": settings.split_bytes, "max_bytes": settings.max_document_bytes}
    if on_spark.is_store_url(out):
        report, imported = on_spark.run_spark_into_store(paths, out, master=master, stage=stage, keep_stage=keep_stage, link_after=not no_link, **options)
    else:
        session = on_spark.spark_session(master)
        report, imported = on_spark.run_spark(paths, out, session, link=not no_link, **options), None
        if json_out:
            on_spark.export_json(out, json_out, session)
    written = f"written to {report.out}" if imported is None else f"staged in {report.out}" + ("" if keep_stage else " (removed after import)")
    err.print(f"{report.documents} documents and {report.errors} failures from {report.files} files ({report.tasks} tasks) in {report.seconds:.0f}s, {written}", markup=False)
    if report.linked and imported is None:
        linked = report.linked
        err.print(f"linked on Spark: {linked['pairs_compared']} pairs compared, {_kinds(linked['links'])}, {linked['event_pairs']} event pairs, "
                  f"{linked['stories']} stories; `newstrace import {report.out}` loads them", markup=False)
    if imported is not None:
        _import_summary(imported, on_spark.store_target(out))
    if report.errors:
        raise typer.Exit(1)


@app.command("import")
def import_(
    out_dir: Annotated[str, typer.Argument(help="the --out folder of a `newstrace spark` run")],
    db: DbOpt = None,
    no_link: Annotated[bool, typer.Option("--no-link", help="skip linking (run `newstrace link` later)")] = False,
):
    """Load a `newstrace spark` output into the store, then link it. Example: newstrace import run1 --db news.db"""
    from newstrace import spark as on_spark

    settings = Settings.from_env(db=db)
    with _store(settings.db) as store:
        report = on_spark.import_dir(out_dir, store, on_spark.spark_session("local[*]"), link_after=not no_link,
                                     batch_size=settings.batch_size, link_batch_size=settings.link_batch_size)
    _import_summary(report, on_spark.store_target(settings.db))


def _import_summary(report, target: str) -> None:
    err.print(f"imported {report.documents} documents ({len(report.added)} new) and {report.errors} failures into {target}", markup=False)
    if report.linked is not None:
        err.print(_link_line(report.linked), markup=False)


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="one file, or - for standard input")],
    format: FormatOpt = "json",
    no_extract: Annotated[bool, typer.Option("--no-extract", help="clean only, no layers")] = False,
):
    """Process one file and print its document, without a store. Example: newstrace extract report.txt"""
    from newstrace.pipeline import process_batch
    from newstrace.readers import read_paths

    if path != "-" and next(expand_path(path), None) is None:
        raise UsageError(path, "no such file or folder", "check the path")
    results = list(process_batch(read_paths([path]), extract=not no_extract))
    docs = [r.to_dict() for r in results if isinstance(r, Document)]
    for problem in (r for r in results if isinstance(r, ReadError)):
        say_error(problem.message())
    if docs:
        _emit(docs[0] if len(docs) == 1 else docs, "json" if format == "json" else "text")
    if len(docs) < len(results):
        raise typer.Exit(1)


@app.command()
def export(
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json or jsonl")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="file to write [default: standard output]")] = None,
):
    """Write the store as the contract's JSON. Example: newstrace export --format json -o corpus.json"""
    if format not in ("json", "jsonl"):
        raise UsageError(None, f"unknown export format {format!r}", "use --format json or --format jsonl")
    with _store(db) as store:
        stream = open(output, "w", encoding="utf-8") if output else sys.stdout
        corpus = open(f"{output}.corpus.jsonl", "w", encoding="utf-8") if output and format == "jsonl" else None
        try:
            count = exporter.write_json(store, stream) if format == "json" else exporter.write_jsonl(store, stream, corpus)
        finally:
            for handle in (stream, corpus):
                if handle not in (None, sys.stdout):
                    handle.close()
    if output:
        err.print(f"wrote {count} documents to {output}", markup=False)


@app.command(name="list")
def list_documents(
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    format: FormatOpt = "text",
):
    """List stored documents. Example: newstrace list --limit 20"""
    with _store(db) as store:
        rows = query.document_list(store, limit=limit, offset=offset)
    if format != "json":
        rows = [_brief(row) for row in rows]
    _emit(rows, format)


@app.command()
def show(doc_id: str, db: DbOpt = None, format: FormatOpt = "text"):
    """Show one document and its layers. Example: newstrace show 3f2a9c"""
    with _store(db) as store:
        doc = query.document(store, doc_id)
    if format == "json":
        _emit(doc, "json")
        return
    for key in ("id", "title", "title_flags", "published", "outlet", "url", "source", "versions"):
        out.print(f"{key}: {doc[key]}", markup=False)
    out.print("layers: " + ", ".join(f"{name} {len(doc[name])}" for name in ("sentences", "entities", "times", "figures", "quotes", "attributions", "events")), markup=False)
    out.print(f"boilerplate: {len(doc['boilerplate'])} blocks", markup=False)
    out.print("", doc["text"], markup=False)


@app.command()
def search(query_text: Annotated[str, typer.Argument(metavar="QUERY")], db: DbOpt = None, limit: int = 20, format: FormatOpt = "text",
           syntax: Annotated[str, typer.Option(help="auto: words unless the query has AND/OR/NOT, ( ), \" or word*; words; fts")] = "auto"):
    """Full-text search: words as typed (covid-19, U.S.), or FTS5 syntax. Example: newstrace search 'Hamas AND Istanbul'"""
    with _store(db) as store:
        rows = query.search(store, query_text, limit=limit, syntax=syntax)
    if format != "json":
        rows = [{**_brief(row), "snippet": " ".join(row["snippet"].split())} for row in rows]
    _emit(rows, format)


@app.command()
def errors(db: DbOpt = None, format: FormatOpt = "text"):
    """List the recorded failures. Example: newstrace errors"""
    with _store(db) as store:
        rows = query.errors(store)
    if format == "json":
        _emit(rows, "json")
        return
    for row in rows:
        where = f"{row['path']}:{row['position']}" if row["position"] else row["path"]
        times = f" (x{row['count']})" if row["count"] > 1 else ""
        out.print(f"{where}: {row['reason']} — {row['hint']}{times}", markup=False)
    if not rows:
        out.print("no errors recorded")


@app.command()
def stats(db: DbOpt = None, format: FormatOpt = "text"):
    """Corpus statistics. Example: newstrace stats"""
    with _store(db) as store:
        _emit(query.stats(store), format)


@app.command(name="serve")
def serve_command(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="address to listen on; 127.0.0.1 keeps it to this machine")] = DEFAULTS["host"],
    port: Annotated[int, typer.Option(help="TCP port")] = DEFAULTS["port"],
    workers: Annotated[int, typer.Option(min=1, help="worker processes; more serve searches in parallel")] = DEFAULTS["workers"],
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        help="a name the Host header may give besides --host, localhost and 127.0.0.1 (repeatable; *.example.org, *)")] = None,
):
    """Serve the web UI and its JSON API (/api/v1). Uploads need $NEWSTRACE_TOKEN. Example: newstrace serve --db demo.db"""
    from newstrace.web import serve

    settings = Settings.from_env(db=db, host=host, port=port, workers=workers, allowed_hosts=allowed_host or None)
    mode = "uploads need the token" if settings.token else "read-only (set NEWSTRACE_TOKEN to allow uploads)"
    err.print(f"serving {settings.db} at http://{settings.host}:{settings.port}/ — {mode}; Ctrl-C stops", markup=False)
    serve(settings=settings)


def main() -> None:
    """Entry point: run the app; turn library errors into one line and an exit code."""
    debug = "--debug" in sys.argv[1:]
    try:
        code = app(standalone_mode=False)
    except NewstraceError as exc:
        say_error(str(exc))
        if debug:
            traceback.print_exc()
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        say_error("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        say_error("interrupted — what was committed is kept; run the same command again to finish")
        sys.exit(130)
    except Exception as exc:  # click's usage errors (typer may vendor click), then anything unexpected
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        say_error(f"internal error ({type(exc).__name__}: {exc}) — rerun with --debug and report it")
        if debug:
            traceback.print_exc()
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
