"""Copy detection, per kind, on pairs built from development data.

    .venv/bin/python eval/copies.py [--shared ../shared] [--limit N] [--seed 7]

No published figure exists for this set: it is ours, built at run time from
../shared/data (nothing is copied into the repository). Each pair is given to
`newstrace.link.copies.compare` as two cleaned Documents
(`newstrace.clean.clean(Record(...))`); the ECB+ originals also get their
sentences and entities from the project's pipeline, so `same_story` can use
the shared entities, as `newstrace.link` does.

Kinds of pairs (expected decision in brackets):

- exact copies [exact_copy]: an ECB+ document (all its sentences, the URL
  line left out) re-published by another outlet, with spacing and
  punctuation changes, under another title;
- near copies [near_copy], each made from a real ECB+ document by one or two
  programmatic edits: dates changed (weekday, month, day and year words
  replaced), a paragraph dropped, a new headline and a dateline ("(Reuters)
  -") added to the lead, a boilerplate line appended;
- hand-written rewrites [rewrite]: 14 short ECB+ reports (their first
  sentences) that we rewrote by hand in other words, same order
  (`eval/data/rewrites/`, our own text; the originals are read from ../shared);
- MRPC rewrites [rewrite]: documents assembled from MRPC paraphrase pairs
  (label 1, training file): 4 to 6 pairs, side A takes the first sentences,
  side B their paraphrases, in the same order. These are paraphrases
  written by the original news outlets, not by us;
- hard non-rewrites [none or same_story]: the same assembly from MRPC pairs
  labelled 0 (related sentences that are not paraphrases);
- independent same-event reports [same_story or none, never a copy]: two
  different ECB+ documents of the same subtopic;
- other event, same topic [none or same_story]: two ECB+ documents of the
  two subtopics of one topic ("another earthquake").

ECB+ "independent" pairs are not all independent: some subtopics hold
versions of one wire story (18_1ecb and 18_16ecb are the same AP report,
edited), so a few copy links there are right; `--show` lists them.

Precision and recall are given per decision kind; for the two "independent"
kinds, the share flagged as a copy (should be 0) and the share linked as
same_story.
"""
from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from ecbplus import DEV_TOPICS, assign_global_ids, detokenise, entity_block, process_documents, read_document, validated_sentences

from newstrace.clean import clean
from newstrace.link import text as lt
from newstrace.link.copies import COPY_KINDS, THRESHOLDS, compare
from newstrace.model import Record

COPY = set(COPY_KINDS)
DATE_WORDS = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|(?:19|20)\d\d)\b")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December")
BOILERPLATE = "Copyright 2009 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."


def record(source: str, body: str, title: str | None = None, date: str | None = None) -> Record:
    return Record(source=source, body=body, title=title, date=date)


def changed_dates(text: str, rng: random.Random) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if word.isdigit():
            return str(int(word) + rng.choice((-1, 1)))
        pool = WEEKDAYS if word in WEEKDAYS else MONTHS
        return rng.choice([w for w in pool if w != word])
    return DATE_WORDS.sub(swap, text)


def dropped_paragraph(paragraphs: list[str], rng: random.Random) -> list[str]:
    if len(paragraphs) < 3:
        return paragraphs
    drop = rng.randrange(1, len(paragraphs))
    return paragraphs[:drop] + paragraphs[drop + 1:]


def near_copy_variants(name: str, paragraphs: list[str], rng: random.Random) -> list[tuple[str, Record]]:
    body = "\n\n".join(paragraphs)
    lead = ["(Reuters) - " + paragraphs[0]] + paragraphs[1:]
    return [
        ("dates changed", record(f"copy/{name}/dates", changed_dates(body, rng), "Report")),
        ("paragraph dropped", record(f"copy/{name}/drop", "\n\n".join(dropped_paragraph(paragraphs, rng)), "Report")),
        ("new headline + dateline", record(f"copy/{name}/headline", "\n\n".join(lead), "Breaking: a new headline for the same text")),
        ("exact_copy|boilerplate added (clean removes it)", record(f"copy/{name}/boiler", body + "\n\n" + BOILERPLATE, "Report")),
        ("dropped + dates", record(f"copy/{name}/both", changed_dates("\n\n".join(dropped_paragraph(paragraphs, rng)), rng), "Report")),
    ]


def exact_copy_variant(name: str, paragraphs: list[str]) -> Record:
    body = "\n\n".join(" ".join(p.replace(" ,", ",").split()).upper() if i == 0 else p for i, p in enumerate(paragraphs))
    return record(f"exact/{name}", body, "Another outlet's title")


def mrpc_pairs(path: Path) -> dict[int, list[tuple[str, str]]]:
    out = defaultdict(list)
    with path.open(encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5:
                out[int(cols[0])].append((cols[3], cols[4]))
    return out


def assembled(pairs: list[tuple[str, str]], rng: random.Random, count: int, label: str) -> list[tuple[Record, Record]]:
    out = []
    for k in range(count):
        chosen = rng.sample(pairs, rng.randint(4, 6))
        a = "\n\n".join(p[0] for p in chosen)
        b = "\n\n".join(p[1] for p in chosen)
        out.append((record(f"mrpc/{label}{k}/a", a, "A"), record(f"mrpc/{label}{k}/b", b, "B")))
    return out


REWRITES = Path(__file__).resolve().parent / "data" / "rewrites"


def hand_rewrites(folder: Path, validated: dict[str, set[int]]) -> list[tuple[Record, Record]]:
    """(ECB+ original sentences, our hand-written rewrite) for each file of eval/data/rewrites."""
    out = []
    for path in sorted(REWRITES.glob("*.txt")):
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        fields = dict(line.split(": ", 1) for line in head.splitlines() if not line.startswith("#"))
        name, wanted = fields["source"], [int(n) for n in fields["sentences"].split(",")]
        ecb = read_document(folder / name.split("_")[0] / f"{name}.xml", validated.get(name, set()))
        original = "\n\n".join(detokenise(ecb.sentences[n], 0)[0] for n in wanted)
        out.append((record(f"ecbplus/{name}", original, "Original"), record(f"rewrites/{path.name}", body.strip(), "Rewrite")))
    return out


def build_pairs(shared: Path, rng: random.Random, limit: int | None) -> list[tuple[str, object, object, int]]:
    """(expected kind, doc a, doc b, shared entities) for every pair of the set."""
    folder = shared / "data" / "ecbplus"
    validated = validated_sentences(folder / "ECBplus_coreference_sentences.csv")
    ecb_docs = [read_document(p, validated.get(p.name.removesuffix(".xml"), set()))
                for t in DEV_TOPICS for p in sorted((folder / str(t)).glob("*.xml"))]
    if limit:
        ecb_docs = ecb_docs[::max(1, len(ecb_docs) // limit)]
    processed = process_documents(ecb_docs, validated, only_validated=False, n_process=1)
    assign_global_ids(processed)
    blocks = {p.ecb.name: entity_block(p) for p in processed}
    pairs = []
    for item in processed:
        paragraphs = item.doc.text.split("\n\n")
        if len(paragraphs) < 3:
            continue
        shared_self = len(blocks[item.ecb.name])
        pairs.append(("exact_copy", item.doc, clean(exact_copy_variant(item.ecb.name, paragraphs)), shared_self))
        for edit, rec in near_copy_variants(item.ecb.name, paragraphs, rng):
            copy = clean(rec)
            if lt.normalised_hash(copy.text) == lt.normalised_hash(item.doc.text) and "|" not in edit:
                continue  # the edit found nothing to change (no date words)
            pairs.append((edit if "|" in edit else f"near_copy|{edit}", item.doc, copy, shared_self))
    mrpc = mrpc_pairs(shared / "data" / "mrpc" / "msr_paraphrase_train.txt")
    count = 40 if not limit else max(5, limit // 4)
    for a, b in hand_rewrites(folder, validated):
        pairs.append(("rewrite|hand-written, of ECB+ texts", clean(a), clean(b), 0))
    for a, b in assembled(mrpc[1], rng, count, "para"):
        pairs.append(("rewrite|MRPC paraphrases assembled", clean(a), clean(b), 0))
    for a, b in assembled(mrpc[0], rng, count, "nonpara"):
        pairs.append(("none|MRPC non-paraphrases", clean(a), clean(b), 0))
    by_subtopic = defaultdict(list)
    for item in processed:
        by_subtopic[(item.ecb.topic, item.ecb.subtopic)].append(item)
    for (topic, subtopic), items in sorted(by_subtopic.items()):
        for a, b in itertools.combinations(items, 2):
            pairs.append(("same_story|independent, same event", a.doc, b.doc, len(blocks[a.ecb.name] & blocks[b.ecb.name])))
        if subtopic == "ecb":
            for a, b in itertools.product(items, by_subtopic.get((topic, "ecbplus"), [])):
                pairs.append(("none|other event, same topic", a.doc, b.doc, len(blocks[a.ecb.name] & blocks[b.ecb.name])))
    return pairs


def report(results: list[tuple[str, str]]) -> None:
    """Per expected group: counts of decisions; then precision/recall per decision kind."""
    groups = defaultdict(Counter)
    for expected, got in results:
        groups[expected][got] += 1
    print(f"{'pairs (expected)':<44}{'n':>6}  decisions")
    for expected, counts in sorted(groups.items()):
        total = sum(counts.values())
        shown = ", ".join(f"{k} {v}" for k, v in counts.most_common())
        extra = ""
        if expected.split("|")[0] in ("none", "same_story"):
            flagged = sum(v for k, v in counts.items() if k in COPY)
            extra = f"   flagged as a copy: {flagged / total:.1%}"
        print(f"{expected:<44}{total:>6}  {shown}{extra}")
    print()
    print(f"{'kind':<14}{'precision':>10}{'recall':>8}{'F1':>7}  (expected kind = first part of the group name)")
    for kind in ("exact_copy", "near_copy", "rewrite", "same_story"):
        tp = sum(1 for e, g in results if g == kind and e.split("|")[0] == kind)
        predicted = sum(1 for _, g in results if g == kind)
        actual = sum(1 for e, _ in results if e.split("|")[0] == kind)
        p, r = tp / predicted if predicted else 0.0, tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:<14}{p:>10.1%}{r:>8.1%}{f:>7.1%}  ({tp}/{predicted} predicted, {tp}/{actual} expected)")
    copies_true = [(e.split("|")[0] in COPY, g in COPY) for e, g in results]
    tp = sum(1 for e, g in copies_true if e and g)
    print(f"{'any copy':<14}{tp / max(1, sum(g for _, g in copies_true)):>10.1%}{tp / max(1, sum(e for e, _ in copies_true)):>8.1%}"
          "  (copy of any kind vs independent)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--limit", type=int, default=None, help="use about this many ECB+ documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print the independent pairs flagged as copies")
    args = parser.parse_args(argv)
    started = time.time()
    pairs = build_pairs(args.shared, random.Random(args.seed), args.limit)
    results = []
    for expected, a, b, shared_entities in pairs:
        decision = compare(a, b, shared_entities=shared_entities)
        results.append((expected, decision.kind if decision else "none"))
        if args.show and expected.split("|")[0] in ("same_story", "none") and decision and decision.kind in COPY:
            print(f"--- {expected}: {decision.kind} {decision.score} {a.source['path']} ~ {b.source['path']}\n  {decision.reason}")
    print(f"Copy detection on {len(pairs)} pairs built from ECB+ dev documents and MRPC training pairs (no published figure).")
    print(f"THRESHOLDS = {THRESHOLDS}")
    print()
    report(results)
    print(f"done in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
