"""Publication dates on htmldate's evaluation set, beside htmldate itself.

    .venv/bin/python eval/publication_dates.py [--shared ../shared] [--limit N] [--workers 2] [--show-misses]

Scores the day newstrace gives a page (`extract_html(...).published`, what
the pipeline stores) and htmldate's `find_date(..., original_date=True)` in
fast and extensive mode on the same pages, as htmldate's benchmark does
(tests/evaluation.py, tests/comparison.py): a page is a TP when the day
equals the gold day, a FP when another day is given, a FN when none is.
A gold NaN (null here) can only be a FN (no day) or a FP (any day). No URL
is passed, as in the benchmark. The last column is the published figure
(htmldate 1.10.0 on the full 1000 URLs), which this 480-page subset cannot
reproduce exactly.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import htmldate
from htmldate import find_date
from htmldate.utils import decode_file

from newstrace.html import extract_html

PUBLISHED = {
    "label": "htmldate 1.10.0, published (1000 URLs)",
    "htmldate fast": {"precision": 0.924, "recall": 0.927, "accuracy": 0.861, "f1": 0.925},
    "htmldate extensive": {"precision": 0.908, "recall": 0.993, "accuracy": 0.903, "f1": 0.949},
}
COLUMNS = ("ours", "htmldate fast", "htmldate extensive")


def outcome(result: str | None, gold: str | None) -> str:
    """TP, FP or FN for one page, as htmldate's evaluate_result with a NaN gold."""
    if result is None:
        return "FN"
    return "TP" if gold is not None and result == gold else "FP"


def scores(counts: dict[str, int]) -> dict[str, float]:
    tp, fp, fn = counts["TP"], counts["FP"], counts["FN"]
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": tp / (tp + fp + fn) if tp + fp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def _safe(fn, *args, **kwargs) -> str | None:
    try:
        return fn(*args, **kwargs)
    except Exception:  # a crash is no date, as in the benchmark's runners
        return None


def dates(raw: bytes) -> dict[str, str | None]:
    """Each column's day for one page's raw bytes."""
    html = decode_file(raw)
    page = _safe(extract_html, html)
    return {
        "ours": page.published if page else None,
        "htmldate fast": _safe(find_date, html, original_date=True, extensive_search=False),
        "htmldate extensive": _safe(find_date, html, original_date=True, extensive_search=True),
    }


def score_page(job: tuple[str, dict, Path]) -> tuple[str, str | None, dict[str, str | None]]:
    name, item, path = job
    return name, item.get("date"), dates(gzip.decompress(path.read_bytes()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, help="score only the first N pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show-misses", action="store_true", help="list the pages where ours is not a TP")
    args = parser.parse_args()
    folder = Path(args.shared) / "data" / "htmldate-eval"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    jobs = [(name, item, folder / item["page"]) for name, item in list(gold.items())[: args.limit]]

    started = time.perf_counter()
    counts = {column: {"TP": 0, "FP": 0, "FN": 0} for column in COLUMNS}
    misses = []
    with Pool(args.workers) as pool:
        for name, gold_day, found in pool.imap(score_page, jobs, chunksize=4):
            for column in COLUMNS:
                counts[column][outcome(found[column], gold_day)] += 1
            if outcome(found["ours"], gold_day) != "TP":
                misses.append((name, gold_day, found))
    elapsed = time.perf_counter() - started

    print(f"htmldate-eval: {len(jobs)} pages, {elapsed:.0f} s on {args.workers} workers; htmldate {htmldate.__version__} run here")
    print(f"{'':10} {'ours':>7} {'fast':>7} {'extensive':>10} {'published fast':>15} {'published ext.':>15}")
    table = {column: scores(counts[column]) for column in COLUMNS}
    for metric in ("precision", "recall", "accuracy", "f1"):
        print(
            f"{metric:10} {table['ours'][metric]:7.3f} {table['htmldate fast'][metric]:7.3f} {table['htmldate extensive'][metric]:10.3f}"
            f" {PUBLISHED['htmldate fast'][metric]:15.3f} {PUBLISHED['htmldate extensive'][metric]:15.3f}"
        )
    for column in COLUMNS:
        c = counts[column]
        print(f"  {column}: TP {c['TP']} FP {c['FP']} FN {c['FN']}")
    print(f"published: {PUBLISHED['label']}; this subset's figures are not directly comparable")
    if args.show_misses:
        for name, gold_day, found in misses:
            print(f"  {name}: gold {gold_day} ours {found['ours']} extensive {found['htmldate extensive']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
