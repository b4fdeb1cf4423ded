"""Main-text extraction on trafilatura's evaluation set, beside trafilatura itself.

    .venv/bin/python eval/body_extraction.py [--shared ../shared] [--limit N] [--workers 2]
                                             [--show-cleaning] [--str-check]

Scores the body newstrace keeps (`clean_page(...).text`) and trafilatura's
own `extract` on the same pages, as trafilatura's benchmark does
(tests/eval_common.py): each "with" segment found in the whitespace-
normalised output is a TP, each one missing a FN, each "without" segment
found a FP; an exception or a None output misses every "with" segment.
Counts are summed over pages. A third column gives the published figure
(trafilatura 2.2.0 "standard", the full 990-page set), which this subset of
833 pages cannot reproduce exactly. A fourth, "before cleaning", is our
extraction without the furniture rules, so their effect shows. The rules
were written while reading this set's "without" segments, so their gain
here is in-sample. With --str-check the script also counts the pages where
trafilatura's output differs when it gets the page as a str decoded by
`decode_file` (what newstrace's reader passes) instead of the raw bytes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

from newstrace.clean import clean_page
from newstrace.html import EXTRACT_OPTIONS, extract_html
from newstrace.model import Record

PUBLISHED = {"label": "trafilatura 2.2.0 standard, published (990 pages)", "precision": 0.906, "recall": 0.943, "accuracy": 0.923, "f1": 0.924}
WHITESPACE = re.compile(r"\s+")
COLUMNS = ("ours", "trafilatura", "before cleaning")


def norm(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: tuple[int, int, int, int]) -> None:
        self.tp += other[0]
        self.fp += other[1]
        self.fn += other[2]
        self.tn += other[3]

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        accuracy = (self.tp + self.tn) / total if total else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        return {"precision": precision, "recall": recall, "accuracy": accuracy, "f1": f1}


def count(item: dict, output: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as tests/eval_common.py's count_item."""
    if isinstance(output, str):
        text = norm(output)
        tp = sum(norm(w) in text for w in item["with"])
        fp = sum(norm(w) in text for w in item["without"])
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def outputs(raw: bytes, str_check: bool = False) -> dict[str, str | None]:
    """Each column's output for one page's raw bytes; None where it raised."""
    result: dict[str, str | None] = {}
    try:
        result["trafilatura"] = trafilatura.extract(raw, **EXTRACT_OPTIONS)
    except Exception:
        result["trafilatura"] = None
    html = decode_file(raw)
    if str_check:
        try:
            result["trafilatura on str"] = trafilatura.extract(html, **EXTRACT_OPTIONS)
        except Exception:
            result["trafilatura on str"] = None
    try:
        record = Record(source="page", body=html, kind="html")
        page = extract_html(html)
        result["ours"] = clean_page(record, page).text
        result["before cleaning"] = clean_page(record, page, remove_furniture=False).text
    except Exception as exc:  # scored as a miss, as the benchmark scores a crash
        result["ours"] = result["before cleaning"] = None
        result["error"] = f"{type(exc).__name__}: {exc}"
    return result


def score_page(job: tuple[str, dict, Path, bool]) -> tuple[str, dict[str, tuple[int, int, int, int]], dict[str, str | None]]:
    name, item, path, str_check = job
    raw = gzip.decompress(path.read_bytes())
    out = outputs(raw, str_check)
    return name, {column: count(item, out[column]) for column in COLUMNS}, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, help="score only the first N pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--str-check", action="store_true", help="also run trafilatura on the decoded str and count pages where it differs")
    parser.add_argument("--show-cleaning", action="store_true", help="list pages where cleaning changed a segment's outcome")
    args = parser.parse_args()
    folder = Path(args.shared) / "data" / "trafilatura-eval"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    jobs = [(name, item, folder / item["page"], args.str_check) for name, item in list(gold.items())[: args.limit]]

    started = time.perf_counter()
    totals = {column: Counts() for column in COLUMNS}
    changed, errors, str_differs = [], [], []
    with Pool(args.workers) as pool:
        for name, counts, out in pool.imap(score_page, jobs, chunksize=4):
            for column in COLUMNS:
                totals[column].add(counts[column])
            if args.str_check and out["trafilatura on str"] != out["trafilatura"]:
                str_differs.append(name)
            if out.get("error"):
                errors.append((name, out["error"]))
            if counts["ours"] != counts["before cleaning"]:
                changed.append((name, counts["before cleaning"], counts["ours"]))
    elapsed = time.perf_counter() - started

    segments_with = sum(len(job[1]["with"]) for job in jobs)
    segments_without = sum(len(job[1]["without"]) for job in jobs)
    print(f"trafilatura-eval: {len(jobs)} pages, {segments_with} text and {segments_without} boilerplate segments, {elapsed:.0f} s on {args.workers} workers")
    print(f"trafilatura {trafilatura.__version__} run here with {EXTRACT_OPTIONS}")
    header = f"{'':10} {'ours':>9} {'trafilatura':>12} {'published':>10} {'before cleaning':>16}"
    print(header)
    for metric in ("precision", "recall", "accuracy", "f1"):
        row = [totals[c].scores()[metric] for c in ("ours", "trafilatura")]
        print(f"{metric:10} {row[0]:9.3f} {row[1]:12.3f} {PUBLISHED[metric]:10.3f} {totals['before cleaning'].scores()[metric]:16.3f}")
    for column in COLUMNS:
        t = totals[column]
        print(f"  {column}: TP {t.tp} FP {t.fp} FN {t.fn} TN {t.tn}")
    print(f"published: {PUBLISHED['label']}; this subset's figures are not directly comparable")
    if args.str_check:
        print(f"trafilatura's output on the page decoded to str (as our reader passes it) differs from its output on the bytes on {len(str_differs)} pages")
    print(f"our errors: {len(errors)}" + "".join(f"\n  {name}: {error}" for name, error in errors[:10]))
    print(f"cleaning changed the outcome on {len(changed)} pages (before -> after as tp, fp, fn, tn)")
    if args.show_cleaning:
        for name, before, after in changed:
            print(f"  {name}: {before} -> {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
