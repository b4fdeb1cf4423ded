"""Ingest throughput (documents per second on one core) and peak memory on a 200 MB input.

    .venv/bin/python bench/ingest.py [--docs 300] [--big-mb 200] [--shared ../shared]

Text documents are made from the paragraphs of ../shared/seeds, shuffled
into distinct reports; HTML documents are real pages from
../shared/data/trafilatura-eval. Each run ingests into a fresh SQLite store
in a child process with one worker, so the rate is per core. Peak memory is
the child's maximum resident set size while it ingests a generated JSON
Lines file of about 200 MB (news-please-shaped lines). Ingest runs with
`--no-link`: what linking costs is measured by bench/link_scale.py.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSTRACE = str(Path(sys.executable).with_name("newstrace"))


def make_text_corpus(shared: Path, folder: Path, count: int) -> None:
    paragraphs = [p.strip() for f in sorted((shared / "seeds").glob("*.txt")) for p in f.read_text().split("\n\n") if len(p.strip()) > 80]
    rng = random.Random(7)
    for i in range(count):
        body = "\n\n".join(rng.sample(paragraphs, k=min(8, len(paragraphs))))
        (folder / f"{i:05d}.txt").write_text(f"date 2025-01-{1 + i % 28:02d}\n{body}\n", encoding="utf-8")


def make_html_corpus(shared: Path, folder: Path, count: int) -> None:
    pages = sorted((shared / "data" / "trafilatura-eval" / "pages").glob("*.gz"))[:count]
    for i, page in enumerate(pages):
        (folder / f"{i:05d}.html").write_bytes(gzip.decompress(page.read_bytes()))


def make_big_jsonl(path: Path, megabytes: int) -> int:
    paragraph = "The council met on Monday and agreed a plan for the harbour, officials said. " * 12
    lines = 0
    with open(path, "w", encoding="utf-8") as out:
        while out.tell() < megabytes * 1024 * 1024:
            out.write(json.dumps({"title": f"Report {lines}", "maintext": f"{lines} {paragraph}\n\n{paragraph}", "date_publish": "2024-05-01 10:00:00", "url": f"https://example.org/{lines}"}) + "\n")
            lines += 1
    return lines


def timed_ingest(folder: Path, db: Path, extract: bool) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one `newstrace ingest` child process."""
    command = [NEWSTRACE, "ingest", "--no-link", "--db", str(db), "--workers", "1", str(folder)] + ([] if extract else ["--no-extract"])
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not all children's
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            stderr.seek(0)
            sys.exit(f"ingest failed: {stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss


def startup_seconds(extract: bool) -> float:
    """Time to start the CLI and load what it needs, on an empty input, to subtract from the runs."""
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "one.txt"
        empty.write_text("One short report.")
        return timed_ingest(empty, Path(tmp) / "s.db", extract)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    shared = Path(args.shared)

    print(f"{'input':<10} {'mode':<12} {'docs':>6} {'seconds':>8} {'docs/s/core':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind, maker in (("text", make_text_corpus), ("html", make_html_corpus)):
            folder = tmp / kind
            folder.mkdir()
            maker(shared, folder, args.docs)
            count = len(list(folder.iterdir()))
            for extract in (False, True):
                startup = startup_seconds(extract)
                seconds, _ = timed_ingest(folder, tmp / f"{kind}-{extract}.db", extract)
                work = max(seconds - startup, 1e-9)
                mode = "full" if extract else "no-extract"
                print(f"{kind:<10} {mode:<12} {count:>6} {work:>8.1f} {count / work:>12.1f}   (start-up {startup:.1f}s excluded)")

        big = tmp / "big.jsonl"
        lines = make_big_jsonl(big, args.big_mb)
        seconds, peak_kib = timed_ingest(big, tmp / "big.db", extract=False)
        size_mb = big.stat().st_size / 1024 / 1024
        print(f"\npeak memory, {size_mb:.0f} MB JSON Lines ({lines} articles, --no-extract): {peak_kib / 1024:.0f} MiB RSS, {seconds:.0f}s, {lines / seconds:.0f} docs/s")
        huge = tmp / "huge.txt"
        with open(huge, "wb") as out:
            chunk = b"word " * 200_000
            while out.tell() < args.big_mb * 1024 * 1024:
                out.write(chunk)
        seconds, peak_kib = timed_ingest(huge, tmp / "huge.db", extract=False)
        print(f"peak memory, {args.big_mb} MB single text file (refused as over the one-article limit): {peak_kib / 1024:.0f} MiB RSS, {seconds:.1f}s")


if __name__ == "__main__":
    main()
