"""HTTP load: p50/p95 latency and errors for the document, search, story, entity and stats pages, with wrk.

    .venv/bin/python bench/http_load.py [--docs 10000] [--seconds 10] [--connections 8] [--threads 2] [--keep DIR]

The store is synthetic but shaped like the real thing: examples/ is ingested
with extraction once, then each of its reports is stored again and again with
a distinct filler paragraph appended (so ids, search hits and sizes vary and
the layers' offsets stay valid), without re-running extraction or linking.
examples/ itself is linked, so the story and entity pages load its stories
and entities (the variants belong to none: those pages do not grow with --docs).
The filler follows Zipf's law over a 5,000-word vocabulary in which the topic
words searched for sit at ranks 10 to 730, so a query matches from a few
percent to most of the reports, as in real news.
The server runs in a child process (uvicorn, as `newstrace serve --workers N`);
Debian's `wrk` loads it, cycling through many document ids and search words.
Goal: p95 under 100 ms and no errors (`--strict` exits 1 when it is not met).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 100
#: Topic words of the filler; they take ranks 10, 40, 70... of a Zipf vocabulary, so each is in a share of reports, not all.
WORDS = ("harbour council ministers strike flood storm ceasefire talks inspection grain police union officials "
         "villages power rates bank mediators shipping terminal workers anchor backlog rescue bridge river").split()
SYLLABLES = "ka lo ri me tan vos du pel sa ni gor ab ek un ir ost ven mil ca rot".split()
VOCABULARY = 5000
ZIPF_EXPONENT = 1.07
SEARCHES = ["Rotterdam", "strike", "union AND talks", '"shipping firms"', "flood OR storm", "ceasefire", "officials",
            "grain", "power", "harbour", "police NOT bank", "rescue"]

WRK_SCRIPT = """
paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, "seconds": %%f}\\n',
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, summary.duration / 1e6))
end
"""


def build_store(db: Path, count: int, base: str | None = None) -> list[str]:
    """Store `count` variants of extracted reports (examples/ ingested here, or those of the store `base`); returns their ids."""
    from newstrace.model import content_id
    from newstrace.store import open_store

    store = open_store(str(db))
    if base:
        source = open_store(base)
        bases = list(source.documents())
        source.close()
    else:
        from newstrace.ingest import ingest

        ingest([str(ROOT / "examples")], store)  # linked, so story and entity pages exist; the variants are not
        bases = list(store.documents())
    rng = random.Random(11)
    vocabulary, weights = zipf_vocabulary(rng)
    ids, batch = [], []
    for i in range(count):
        base = bases[i % len(bases)]
        filler = " ".join(rng.choices(vocabulary, cum_weights=weights, k=rng.randint(60, 200))).capitalize() + "."
        text = f"{base.text}\n\n{filler}"
        path = f"synthetic/{i:05d}.txt"
        url = f"{base.url}?copy={i}" if base.url else None  # a shared URL would make them versions of one source
        doc = replace(base, id=content_id(url or path, base.title, text, base.published), text=text, url=url,
                      source={"path": path, "position": None}, links=[], versions=[], story=None)
        ids.append(doc.id)
        batch.append(doc)
        if len(batch) == 500:
            store.put_documents(batch)
            batch = []
    if batch:
        store.put_documents(batch)
    store.close()
    return ids


def corpus_ids(db: Path) -> tuple[list[str], list[str]]:
    """The story ids and global entity ids of the store (those of the linked reports the variants copy)."""
    from newstrace.store import open_store

    with open_store(str(db)) as store:
        return [s["id"] for s in store.stories()], [e["global_id"] for e in store.global_entities()]


def zipf_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Made-up words plus the topic words, with cumulative Zipf weights (word frequencies as in real text)."""
    made_up = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(VOCABULARY * 2)} - set(WORDS))
    words = made_up[:VOCABULARY]
    rng.shuffle(words)
    for n, word in enumerate(WORDS):
        words.insert(10 + 30 * n, word)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += rank ** -ZIPF_EXPONENT
        cumulative.append(total)
    return words, cumulative


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    code = f"from newstrace.web import serve; serve({str(db)!r}, host='127.0.0.1', port={port}, workers={workers}, log_level='error')"
    child = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stats", timeout=5).read()
            return child
        except OSError:
            time.sleep(0.2)
    child.kill()
    raise SystemExit("the server did not start within 60 s")


def run_wrk(url: str, paths: list[str], folder: Path, args) -> dict:
    path_file = folder / f"paths-{abs(hash(tuple(paths[:3])))}.txt"
    path_file.write_text("\n".join(paths) + "\n")
    script = folder / "load.lua"
    script.write_text(WRK_SCRIPT % {"paths": str(path_file)})
    # warm up briefly so the first request's template compilation is not measured
    subprocess.run([args.wrk, "-t1", "-c1", "-d1s", "-s", str(script), url], capture_output=True, text=True)
    done = subprocess.run([args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s",
                           "-s", str(script), url], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(name: str, result: dict) -> bool:
    errors = sum(result["errors"].values())
    p50, p95, p99 = result["p50_us"] / 1000, result["p95_us"] / 1000, result["p99_us"] / 1000
    ok = p95 < GOAL_P95_MS and errors == 0
    print(f"{name:<16} {result['requests']:>7} req  {result['requests'] / result['seconds']:>7.0f} req/s  "
          f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  errors {errors}  {'OK' if ok else 'ABOVE GOAL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", help="build the store in this folder and keep it")
    parser.add_argument("--base", help="take the reports to vary from this store instead of ingesting examples/ (no spaCy needed)")
    parser.add_argument("--wrk", default="wrk", help="the wrk binary")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is not met")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="server worker processes (newstrace serve --workers)")
    args = parser.parse_args()
    if not shutil.which(args.wrk):
        print("skipped: wrk is not installed (apt-get install -y wrk)")
        return

    folder = Path(args.keep or tempfile.mkdtemp(prefix="newstrace-http-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "load.db"
    for leftover in folder.glob("load.db*"):
        leftover.unlink()
    started = time.perf_counter()
    ids = build_store(db, args.docs, args.base)
    print(f"store: {len(ids)} documents in {time.perf_counter() - started:.1f} s ({db})")

    port = free_port()
    server = start_server(db, port, args.workers)
    try:
        url = f"http://127.0.0.1:{port}"
        sample = random.Random(3).sample(ids, min(500, len(ids)))
        stories, entities = corpus_ids(db)
        print(f"wrk: {args.threads} threads, {args.connections} connections, {args.seconds} s per page, server: {args.workers} uvicorn worker(s)")
        results = {
            "document page": run_wrk(url, [f"/documents/{i}" for i in sample], folder, args),
            "search page": run_wrk(url, ["/search?q=" + urllib.request.quote(q) for q in SEARCHES], folder, args),
            "document API": run_wrk(url, [f"/api/v1/documents/{i}" for i in sample], folder, args),
            "search API": run_wrk(url, ["/api/v1/search?q=" + urllib.request.quote(q) for q in SEARCHES], folder, args),
            "stats page": run_wrk(url, ["/stats"], folder, args),
        }
        if stories:
            results["story page"] = run_wrk(url, [f"/stories/{i}" for i in stories], folder, args)
        if entities:
            results["entity page"] = run_wrk(url, [f"/entities/{i}" for i in entities[:500]], folder, args)
        passed = [report(name, result) for name, result in results.items()]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"goal: p95 < {GOAL_P95_MS} ms with no errors — {'met' if all(passed) else 'NOT met'}")
    sys.exit(0 if all(passed) or not args.strict else 1)


if __name__ == "__main__":
    main()
