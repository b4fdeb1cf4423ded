"""Quote speakers measured on PolNeAR dev (direct quotes inside hand-annotated attributions).

    .venv/bin/python eval/quotes_polnear.py [--shared ../shared] [--limit N]

For every top-level quote we find that lies inside a gold Content span:
speaker correct when our speaker span (or the pronoun it resolved) overlaps
the gold Source span; for gold attributions with no source, correct when
our speaker is null. Also: how many gold contents holding a quotation mark
we cover, and how many of our quotes fall in no gold content.
"""
import argparse, re, sys
from pathlib import Path
from collections import Counter
from newstrace.model import Document
from newstrace.nlp import load_nlp
from newstrace.extract.entities import add_entities
from newstrace.extract.quotes import add_quotes

def spans(field):
    return [tuple(map(int, p.split())) for p in field.split(";")]

def load_ann(path):
    T, E = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, _ = line.split("\t", 2)
            kind, rest = info.split(" ", 1)
            T[tid] = (kind, spans(rest))
        elif line.startswith("E"):
            eid, info = line.split("\t", 1)
            args = dict(a.split(":") for a in info.split())
            E.append({k.rstrip("0123456789") if k.startswith("Content") else k: T.get(v) for k, v in args.items()})
    return E

def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=0, help="print N wrong cases")
    args = ap.parse_args()
    root = Path(args.shared) / "data" / "polnear" / "dev"
    nlp = load_nlp()
    c = Counter(); wrong = []
    files = sorted((root / "attributions").glob("*.ann"))
    seen = set()
    for ann in files:
        art = ann.stem.rsplit("_", 1)[0]
        if art in seen: continue
        seen.add(art)
        if args.limit and len(seen) > args.limit: break
        text = (root / "text" / f"{art}.txt").read_text(encoding="utf-8")
        doc = Document(id=art, source={"path": art}, text=text)
        parse = nlp(text)
        doc.sentences = [[s.start_char, s.end_char] for s in parse.sents]
        add_entities(doc, parse); add_quotes(doc, parse)
        atts = load_ann(ann)
        contents = [(a, sp) for a in atts if a.get("Content") for sp in a["Content"][1]]
        for a, sp in contents:
            if re.search(r"[“”\"]", text[sp[0]:sp[1]]):
                c["gold_quoted_contents"] += 1
                if any(overlap((q["start"], q["end"]), sp) for q in doc.quotes):
                    c["gold_quoted_contents_covered"] += 1
        for q in doc.quotes:
            if q["nested_in"]: continue
            c["our_quotes"] += 1
            hit = [a for a, sp in contents if sp[0] <= q["start"] and q["end"] <= sp[1]] or \
                  [a for a, sp in contents if overlap((q["start"], q["end"]), sp)]
            if not hit:
                c["our_quotes_outside_gold"] += 1; continue
            a = hit[0]; sp = q["speaker"]
            gold = a.get("Source")
            if gold is None:
                c["gold_no_source"] += 1
                c["gold_no_source_we_null"] += sp is None
                continue
            c["gold_source"] += 1
            if sp is None:
                c["we_null"] += 1; ok = False
            else:
                ours = [(sp["start"], sp["end"])] + ([(sp["pronoun"]["start"], sp["pronoun"]["end"])] if sp.get("pronoun") else [])
                ok = any(overlap(o, g) for o in ours for g in gold[1])
            c["speaker_correct"] += ok
            if not ok and len(wrong) < args.show:
                wrong.append((text[max(0,q["start"]-120):q["start"]].replace("\n","/"), q["text"][:40], sp and sp["text"], " | ".join(text[g0:g1] for g0, g1 in gold[1])))
    n = c["gold_source"]
    print(f"articles {len(seen) if not args.limit else min(len(seen), args.limit)}")
    for k, v in sorted(c.items()): print(f"  {k}: {v}")
    if n:
        answered = n - c["we_null"]
        print(f"speaker accuracy (gold has a source): {c['speaker_correct']/n:.3f}; precision when we name one: {c['speaker_correct']/max(answered,1):.3f}")
    if c["gold_quoted_contents"]:
        print(f"gold quoted contents covered by a quote: {c['gold_quoted_contents_covered']/c['gold_quoted_contents']:.3f}")
    print("published: PolNeAR reports no quote-speaker figure; Newell et al. 2018 give source F1 for full attribution extraction.")
    for w in wrong: print("WRONG", w)

main()
