"""Extraction speed: the whole per-document pipeline against spaCy's small pipeline alone.

    .venv/bin/python bench/extract_speed.py [--docs 200] [--ops blis|numpy|both]

Texts are the paragraphs of ../shared/seeds and the texts of
../shared/data/real-news, shuffled into distinct reports. Both sides run on
one core over the same texts: spaCy alone is `nlp.pipe(texts)`; ours is
`process_batch` over plain-text records (cleaning, one parse, every layer).
The issue's target is a ratio of at least 0.6. `--ops numpy` runs thinc's
matrix products through numpy's BLAS (OpenBLAS) instead of blis.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]


def texts(shared: Path, count: int) -> list[str]:
    paragraphs = [p.strip() for f in sorted((shared / "seeds").glob("*.txt")) for p in f.read_text().split("\n\n") if len(p.strip()) > 80]
    for path in sorted((shared / "data" / "real-news" / "html" / "newspaper4k").glob("*.expected.txt")):
        paragraphs += [p.strip() for p in path.read_text().split("\n") if len(p.strip()) > 80]
    rng = random.Random(3)
    return ["\n\n".join(rng.sample(paragraphs, k=8)) for _ in range(count)]


def measure(ops: str, count: int, shared: Path) -> tuple[float, float, int]:
    from thinc.api import NumpyOps, set_current_ops

    from newstrace.model import Record
    from newstrace.nlp import load_nlp
    from newstrace.pipeline import process_batch

    os.environ["NEWSTRACE_BLIS"] = "1" if ops == "blis" else "0"
    if ops == "numpy":
        set_current_ops(NumpyOps(use_blis=False))
    corpus = texts(shared, count)
    words = sum(len(t.split()) for t in corpus)
    nlp = load_nlp()
    list(nlp.pipe(corpus[:5]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(corpus, batch_size=32):
        pass
    spacy_alone = time.perf_counter() - start
    records = [Record(source=f"bench/{i}.txt", body=t) for i, t in enumerate(corpus)]
    start = time.perf_counter()
    for _ in process_batch(records, batch_size=32):
        pass
    ours = time.perf_counter() - start
    return spacy_alone, ours, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--ops", choices=("blis", "numpy", "both"), default="both")
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        spacy_alone, ours, words = measure(args.ops, args.docs, Path(args.shared))
        print(spacy_alone, ours, words)
        return
    print(f"{'ops':<6} {'docs':>5} {'words':>7} {'spaCy docs/s':>13} {'newstrace docs/s':>17} {'ratio':>6}   (target ratio >= 0.6)")
    for ops in (("blis", "numpy") if args.ops == "both" else (args.ops,)):
        out = subprocess.run([sys.executable, __file__, "--child", "--ops", ops, "--docs", str(args.docs), "--shared", args.shared],
                             capture_output=True, text=True, check=True).stdout.split()
        spacy_alone, ours, words = float(out[0]), float(out[1]), int(out[2])
        print(f"{ops:<6} {args.docs:>5} {words:>7} {args.docs / spacy_alone:>13.1f} {args.docs / ours:>17.1f} {spacy_alone / ours:>6.2f}")


if __name__ == "__main__":
    main()
