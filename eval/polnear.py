"""Attributions on the PolNeAR dev split: source, cue and content F1.

    .venv/bin/python eval/polnear.py [--shared ../shared] [--limit N] [--errors FILE]

Reads ../shared/data/polnear/dev (84 articles, brat standoff; one annotator's
file per article, the first by name where several annotated it), runs the
newstrace pipeline stages on each raw text, and scores our attributions
against the gold relations, one role at a time (source, cue, content):

- exact: a predicted span equals a gold span of the same role, edges trimmed
  of spaces and punctuation (a discontinuous gold span is taken as its whole
  extent); one to one;
- overlap: the spans share a character; one to one;
- token: word tokens covered by the role in gold and in ours (PolNeAR is
  annotated token-wise, and its agreement is reported token-wise).

A relation counts for "source+content" when one predicted attribution
overlaps both the source and the content of one gold relation. Hedge-only
attributions, which name no source, count for cue and content only.

The PolNeAR README reports no extraction baseline on dev or test; the
published figures printed beside ours are the corpus's inter-annotator
agreement (Newell, Margolin & Ruths 2018, repository README), a ceiling
rather than a baseline.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from newstrace.model import Document
from newstrace.nlp import load_nlp
from newstrace.pipeline import run_stages

ROLES = ("source", "cue", "content")
PUBLISHED = [
    ("token-wise Krippendorff's alpha (annotators)", 75.4),
    ("attribution-wise agreement (annotators)", 92.3),
]
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_WORD = re.compile(r"\w+")


def read_ann(path: Path) -> list[dict]:
    """Gold relations: {role: (start, end)} with each span's whole extent."""
    spans, relations = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, middle, _ = line.split("\t", 2)
            kind, offsets = middle.split(" ", 1)
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[tid] = (kind, min(p[0] for p in pieces), max(p[1] for p in pieces))
        elif line.startswith("E"):
            args = line.split("\t")[1].split()
            rel = {}
            for arg in args[1:]:
                role, tid = arg.split(":")
                role = role.lower()
                if role in ROLES and tid in spans:
                    rel[role] = spans[tid][1:]
            relations.append(rel)
    return relations


def load_articles(folder: Path, limit: int | None) -> list[dict]:
    texts = sorted((folder / "text").glob("*.txt"))
    if limit:
        texts = texts[:limit]
    out = []
    for text_path in texts:
        anns = sorted((folder / "attributions").glob(text_path.stem + "_*.ann"))
        if anns:
            out.append({"name": text_path.stem, "text": text_path.read_text(encoding="utf-8"), "gold": read_ann(anns[0])})
    return out


def predict(articles: list[dict]) -> list[list[dict]]:
    """Our attributions for each article, as {role: (start, end)}."""
    nlp = load_nlp()
    docs = [Document(id=a["name"], source={"path": a["name"], "position": None}, text=a["text"]) for a in articles]
    out = []
    for doc, parse in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16)):
        run_stages(doc, parse)
        rels = []
        for att in doc.attributions:
            rel = {"cue": (att["cue"]["start"], att["cue"]["end"]), "content": (att["content"]["start"], att["content"]["end"])}
            if att["source"].get("start") is not None:
                rel["source"] = (att["source"]["start"], att["source"]["end"])
            rels.append(rel)
        out.append(rels)
    return out


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    piece = text[span[0]:span[1]]
    lead = len(piece) - len(piece.lstrip(" \n\t\"'“”‘’.,;:—–-()"))
    core = _EDGE.sub("", piece)
    start = span[0] + piece.find(core) if core else span[0] + lead
    return start, start + len(core)


def _matches(gold: list, pred: list, same) -> int:
    """Greedy one-to-one matches between span lists under `same`."""
    used, hits = set(), 0
    for p in pred:
        for k, g in enumerate(gold):
            if k not in used and same(p, g):
                used.add(k)
                hits += 1
                break
    return hits


def _tokens(text: str, spans: list) -> set[int]:
    out = set()
    for start, end in spans:
        out.update(m.start() for m in _WORD.finditer(text, start, end))
    return out


def score(articles: list[dict], predictions: list[list[dict]]) -> dict:
    counts = {f"{role}/{how}": [0, 0, 0] for role in ROLES for how in ("exact", "overlap", "token")}
    counts["source+content/overlap"] = [0, 0, 0]
    overlap = lambda a, b: a[0] < b[1] and b[0] < a[1]
    for art, pred in zip(articles, predictions):
        text = art["text"]
        for role in ROLES:
            g = [r[role] for r in art["gold"] if role in r]
            p = [r[role] for r in pred if role in r]
            exact = lambda a, b: _trim(text, a) == _trim(text, b)
            for how, hits in (("exact", _matches(g, p, exact)), ("overlap", _matches(g, p, overlap))):
                c = counts[f"{role}/{how}"]
                c[0] += hits
                c[1] += len(p)
                c[2] += len(g)
            gt, pt = _tokens(text, g), _tokens(text, p)
            c = counts[f"{role}/token"]
            c[0] += len(gt & pt)
            c[1] += len(pt)
            c[2] += len(gt)
        both = lambda a, b: all(r in a and r in b and overlap(a[r], b[r]) for r in ("source", "content"))
        gold_full = [r for r in art["gold"] if "source" in r and "content" in r]
        pred_full = [r for r in pred if "source" in r]
        c = counts["source+content/overlap"]
        c[0] += _matches(gold_full, pred_full, both)
        c[1] += len(pred_full)
        c[2] += len(gold_full)
    return counts


def prf(hits: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = hits / npred if npred else 0.0
    r = hits / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, help="score only the first N articles")
    args = parser.parse_args()
    folder = Path(args.shared) / "data" / "polnear" / "dev"
    if not folder.exists():
        print(f"polnear.py: {folder} not found — pass --shared", file=sys.stderr)
        return 2
    started = time.perf_counter()
    articles = load_articles(folder, args.limit)
    predictions = predict(articles)
    counts = score(articles, predictions)
    print(f"PolNeAR dev: {len(articles)} articles, {sum(len(a['gold']) for a in articles)} gold relations, "
          f"{sum(len(p) for p in predictions)} predicted, {time.perf_counter() - started:.0f}s")
    print(f"{'measure':28} {'P':>6} {'R':>6} {'F1':>6}")
    for key, (hits, npred, ngold) in counts.items():
        p, r, f = prf(hits, npred, ngold)
        print(f"{key:28} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}")
    print("\nPublished (PolNeAR README): no source/cue/content extraction baseline on dev or test.")
    for label, value in PUBLISHED:
        print(f"  {label:46} {value:5.1f}  (a ceiling, not a baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
