"""Time expressions on the TempEval-3 training documents (TBAQ-cleaned), scored as Task A.

    .venv/bin/python eval/tempeval3.py [--shared ../shared] [--limit N] [--workers 2] [--errors FILE]

Reads every `.tml` file under ../shared/data/tempeval3/TBAQ-cleaned, strips the
tags inside <TEXT> to get the raw text, runs newstrace's times stage on it with
the document's DCT as the publication date, and scores the way the README of
that folder describes the official scorer: a relaxed match is any overlap
between a system and a gold timex (one to one), a strict match has the same
extent (after trimming spaces); value and type F1 = relaxed F1 x the share of
relaxed pairs whose attribute is exactly the gold one, micro-summed over the
documents. Published figures (TE3 platinum test set, UzZaman et al. 2013,
Table 3) are printed beside ours; note ours are on the training documents.
"""
from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

PUBLISHED = [  # run, relaxed F1, relaxed P, relaxed R, strict F1, value F1 (TE3 platinum)
    ("HeidelTime-t", 90.30, 93.08, 87.68, 81.34, 77.61),
    ("NavyTime-1,2", 90.32, 89.36, 91.30, 79.57, 70.97),
    ("SUTime", 90.32, 89.36, 91.30, 79.57, 67.38),
    ("ClearTK-1,2", 90.23, 93.75, 86.96, 82.71, 64.66),
]


def read_tml(path: Path) -> dict:
    """Raw <TEXT> content, the DCT, and the gold timexes with character offsets."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT").find("TIMEX3").get("value")[:10]
    parts: list[str] = []
    gold = []

    def walk(elem):
        if elem.tag == "TIMEX3":
            start = sum(map(len, parts))
            inner = "".join(elem.itertext())
            parts.append(inner)
            if inner.strip():
                gold.append({"start": start, "end": start + len(inner), "type": elem.get("type"), "value": elem.get("value"), "text": inner})
        else:
            parts.append(elem.text or "")
            for child in elem:
                walk(child)
                parts.append(child.tail or "")

    text_elem = root.find("TEXT")
    parts.append(text_elem.text or "")
    for child in text_elem:
        walk(child)
        parts.append(child.tail or "")
    return {"name": path.name, "text": "".join(parts), "dct": dct, "gold": gold}


def _run_chunk(docs: list[dict]) -> list[list[dict]]:
    from newstrace.extract.times import find_times
    from newstrace.nlp import load_nlp

    nlp = load_nlp()
    out = []
    for doc, parse in zip(docs, nlp.pipe((d["text"] for d in docs), batch_size=16)):
        out.append(find_times(doc["text"], doc["dct"], parse))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def score(docs: list[dict], system: list[list[dict]], errors=None) -> Counter:
    """Counts of gold, system, relaxed and strict matches, and value/type agreement."""
    c = Counter()
    for doc, found in zip(docs, system):
        text = doc["text"]
        c["gold"] += len(doc["gold"])
        c["system"] += len(found)
        used = set()
        for g in doc["gold"]:
            match = next((i for i, s in enumerate(found) if i not in used and s["start"] < g["end"] and g["start"] < s["end"]), None)
            if match is None:
                if errors is not None:
                    errors.append(f"MISS\t{doc['name']}\t{g['text']!r}\t{g['type']}\t{g['value']}\t{doc['dct']}")
                continue
            used.add(match)
            s = found[match]
            c["relaxed"] += 1
            c["strict"] += _strip(text, s["start"], s["end"]) == _strip(text, g["start"], g["end"])
            c["value"] += s["value"] == g["value"]
            c["type"] += s["type"] == g["type"]
            if errors is not None and s["value"] != g["value"]:
                errors.append(f"VALUE\t{doc['name']}\t{g['text']!r}|{text[s['start']:s['end']]!r}\tgold={g['value']}\tours={s['value']}\t{doc['dct']}\t{text[max(0, g['start'] - 60):g['end'] + 30]!r}")
        if errors is not None:
            for i, s in enumerate(found):
                if i not in used:
                    errors.append(f"EXTRA\t{doc['name']}\t{text[s['start']:s['end']]!r}\t{s['type']}\t{s['value']}\t{text[max(0, s['start'] - 50):s['end'] + 30]!r}")
    return c


def figures(c: Counter) -> dict[str, float]:
    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    p = c["relaxed"] / c["system"] if c["system"] else 0.0
    r = c["relaxed"] / c["gold"] if c["gold"] else 0.0
    relaxed = f1(p, r)
    strict = f1(c["strict"] / c["system"] if c["system"] else 0.0, c["strict"] / c["gold"] if c["gold"] else 0.0)
    value_acc = c["value"] / c["relaxed"] if c["relaxed"] else 0.0
    type_acc = c["type"] / c["relaxed"] if c["relaxed"] else 0.0
    return {"relaxed F1": relaxed, "relaxed P": p, "relaxed R": r, "strict F1": strict, "value F1": relaxed * value_acc, "type F1": relaxed * type_acc}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, help="score only the first N documents (sorted by path)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--errors", help="write misses, extras and wrong values to this file")
    args = parser.parse_args()
    folder = Path(args.shared) / "data" / "tempeval3" / "TBAQ-cleaned"
    paths = sorted(folder.glob("*/*.tml"))[: args.limit]
    if not paths:
        print(f"no .tml files under {folder}", file=sys.stderr)
        return 2
    docs = [read_tml(p) for p in paths]
    chunks = [docs[i :: args.workers] for i in range(args.workers)]
    with Pool(args.workers) as pool:
        results = pool.map(_run_chunk, chunks)
    system: list[list[dict]] = [None] * len(docs)  # type: ignore[list-item]
    for w, res in enumerate(results):
        for j, found in enumerate(res):
            system[w + j * args.workers] = found
    errors: list[str] | None = [] if args.errors else None
    counts = score(docs, system, errors)
    if errors is not None:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    ours = figures(counts)
    print(f"TempEval-3 Task A, {len(docs)} training documents, {counts['gold']} gold timexes, {counts['system']} found")
    print(f"{'run':<28}{'relaxed F1':>11}{'P':>8}{'R':>8}{'strict F1':>11}{'value F1':>10}{'type F1':>9}")
    print(f"{'newstrace (TE3 train)':<28}{100 * ours['relaxed F1']:>11.2f}{100 * ours['relaxed P']:>8.2f}{100 * ours['relaxed R']:>8.2f}{100 * ours['strict F1']:>11.2f}{100 * ours['value F1']:>10.2f}{100 * ours['type F1']:>9.2f}")
    for run, rf, rp, rr, sf, vf in PUBLISHED:
        print(f"{run + ' (TE3 test)':<28}{rf:>11.2f}{rp:>8.2f}{rr:>8.2f}{sf:>11.2f}{vf:>10.2f}{'n/a':>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
