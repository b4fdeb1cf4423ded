"""The eval gate: five evals on small fixed subsets, each figure beside its floor; exit 1 when one drops below.

    .venv/bin/python eval/quick.py [--shared ../shared] [--workers 2] [--only NAME,...] [--record]

Runs, in one process (the spaCy model loaded once), the scoring code of

- eval/body_extraction.py on its first SUBSETS["body_extraction"] pages (our column only),
- eval/tempeval3.py on its first SUBSETS["tempeval3"] documents (sorted by path),
- eval/polnear.py on its first SUBSETS["polnear"] dev articles,
- eval/plover.py on an evenly spaced sample of SUBSETS["plover"] records (its --limit),
  "report (headline + lead)" protocol,
- eval/copies.py with --limit SUBSETS["copies"] (seed 7),

so each figure here is what that script prints with the same --limit. The floors
are in eval/floors.json (how they were set: its "_how"). Every figure is a
fraction in [0, 1]; the subsets are fixed and the code deterministic, so a figure
moves only when the code (or the model, or the data) does.

--record measures and rewrites eval/floors.json: "measured" = today's figure,
"floor" = measured - MARGIN, rounded down to 0.001. Do that only when a change
is meant to move a figure, and say why in the commit.

Exit status: 0 when every figure is at or above its floor, 1 when one is below,
2 when the data is missing.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the eval scripts import each other by name (copies imports ecbplus)

FLOORS = HERE / "floors.json"
#: Subset sizes: the --limit each eval runs with. Changing one invalidates its floors (run --record).
SUBSETS = {"body_extraction": 150, "tempeval3": 60, "polnear": 20, "plover": 300, "copies": 30}
#: How far under today's figure a floor sits.
MARGIN = 0.015


def _body_page(job: tuple[dict, Path]) -> tuple[int, int, int, int]:
    import body_extraction as be
    from newstrace.clean import clean_page
    from newstrace.html import extract_html
    from newstrace.model import Record

    item, path = job
    html = be.decode_file(gzip.decompress(path.read_bytes()))
    try:
        text = clean_page(Record(source="page", body=html, kind="html"), extract_html(html)).text
    except Exception:  # scored as a miss, as body_extraction.py does
        text = None
    return be.count(item, text)


def body_extraction(shared: Path, workers: int) -> dict[str, float]:
    import body_extraction as be

    folder = shared / "data" / "trafilatura-eval"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    jobs = [(item, folder / item["page"]) for item in list(gold.values())[: SUBSETS["body_extraction"]]]
    totals = be.Counts()
    with Pool(workers) as pool:
        for counts in pool.imap(_body_page, jobs, chunksize=4):
            totals.add(counts)
    scores = totals.scores()
    return {"precision": scores["precision"], "recall": scores["recall"], "f1": scores["f1"]}


def tempeval3(shared: Path, workers: int) -> dict[str, float]:
    import tempeval3 as te

    paths = sorted((shared / "data" / "tempeval3" / "TBAQ-cleaned").glob("*/*.tml"))[: SUBSETS["tempeval3"]]
    docs = [te.read_tml(p) for p in paths]
    chunks = [docs[i::workers] for i in range(workers)]
    with Pool(workers) as pool:
        results = pool.map(te._run_chunk, chunks)
    system = [None] * len(docs)
    for w, found in enumerate(results):
        for j, times in enumerate(found):
            system[w + j * workers] = times
    figures = te.figures(te.score(docs, system))
    return {"relaxed F1": figures["relaxed F1"], "strict F1": figures["strict F1"], "value F1": figures["value F1"], "type F1": figures["type F1"]}


def polnear(shared: Path, workers: int) -> dict[str, float]:
    import polnear as pn

    articles = pn.load_articles(shared / "data" / "polnear" / "dev", SUBSETS["polnear"])
    counts = pn.score(articles, pn.predict(articles))
    return {f"{key} F1": pn.prf(*counts[key])[2] for key in ("source/overlap", "cue/overlap", "content/overlap", "content/token", "source+content/overlap")}


def plover(shared: Path, workers: int) -> dict[str, float]:
    import plover as pl

    records = pl.read_records(shared / "data" / "plover" / "records.jsonl", "all", SUBSETS["plover"])
    predicted = pl.predict([pl.report_text(r, 2, True) for r in records], 1)
    scores = pl.score(records, predicted)
    return {"micro F1": scores["f1"], "macro F1": scores["macro"]}


def copies(shared: Path, workers: int) -> dict[str, float]:
    import random

    import copies as cp

    results = []
    for expected, a, b, shared_entities in cp.build_pairs(shared, random.Random(7), SUBSETS["copies"]):
        decision = cp.compare(a, b, shared_entities=shared_entities)
        results.append((expected.split("|")[0], decision.kind if decision else "none"))
    out = {}
    for kind in ("exact_copy", "near_copy", "rewrite", "same_story"):  # as copies.report
        tp = sum(1 for e, g in results if g == kind and e == kind)
        predicted, actual = sum(1 for _, g in results if g == kind), sum(1 for e, _ in results if e == kind)
        p, r = tp / predicted if predicted else 0.0, tp / actual if actual else 0.0
        out[f"{kind} F1"] = 2 * p * r / (p + r) if p + r else 0.0
    is_copy = [(e in cp.COPY, g in cp.COPY) for e, g in results]
    tp = sum(1 for e, g in is_copy if e and g)
    out["any copy precision"] = tp / max(1, sum(g for _, g in is_copy))
    out["any copy recall"] = tp / max(1, sum(e for e, _ in is_copy))
    return out


EVALS = {"body_extraction": body_extraction, "tempeval3": tempeval3, "polnear": polnear, "plover": plover, "copies": copies}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="comma-separated evals to run (default: all): " + ",".join(EVALS))
    parser.add_argument("--record", action="store_true", help="rewrite eval/floors.json from this run (measured - MARGIN)")
    args = parser.parse_args(argv)
    if not (args.shared / "data").is_dir():
        print(f"quick.py: {args.shared / 'data'} not found - pass --shared", file=sys.stderr)
        return 2
    names = args.only.split(",") if args.only else list(EVALS)
    config = json.loads(FLOORS.read_text(encoding="utf-8"))
    floors = config["floors"]
    started = time.perf_counter()
    below, measured = [], {}
    print(f"{'eval':16} {'figure':28} {'ours':>7} {'floor':>7} {'set at':>7}")
    for name in names:
        t0 = time.perf_counter()
        measured[name] = EVALS[name](args.shared, args.workers)
        for figure, value in measured[name].items():
            entry = floors.get(name, {}).get(figure)
            if entry is None:
                verdict, floor, at = "no floor", "", ""
            else:
                floor, at = f"{entry['floor']:.3f}", f"{entry['measured']:.3f}"
                verdict = "ok" if value >= entry["floor"] else "BELOW FLOOR"
                if value < entry["floor"]:
                    below.append(f"{name} {figure} {value:.3f} < {entry['floor']:.3f}")
            print(f"{name:16} {figure:28} {value:7.3f} {floor:>7} {at:>7}  {verdict}")
        print(f"{'':16} ({SUBSETS[name]} items, {time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"eval-quick: {time.perf_counter() - started:.0f} s")
    if args.record:
        for name, figures in measured.items():
            floors[name] = {figure: {"measured": round(value, 4), "floor": math.floor((value - MARGIN) * 1000) / 1000}
                            for figure, value in figures.items()}
        config["subsets"] = SUBSETS
        FLOORS.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        print(f"recorded {FLOORS}")
        return 0
    if config.get("subsets") != SUBSETS:
        print(f"eval-quick: SUBSETS {SUBSETS} differ from those the floors were set on {config.get('subsets')}: run --record")
        return 1
    missing = [f"{n} {f}" for n in names for f in measured[n] if f not in floors.get(n, {})]
    if missing:
        print("eval-quick: figures without a floor: " + "; ".join(missing) + " (run --record)")
        return 1
    if below:
        print("eval-quick: BELOW FLOOR: " + "; ".join(below))
        return 1
    print("eval-quick: every figure at or above its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
