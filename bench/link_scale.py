"""Linking cost at 10k and 100k documents: time and peak memory.

    .venv/bin/python bench/link_scale.py [--sizes 10000 100000]

Documents are synthetic (labelled as such): stories of 1 to 8 reports over
a 5,000-word vocabulary, each story naming 4 people or organisations drawn
from a pool that grows with the corpus (2 names per document), with exact copies, near copies (a sentence
changed), independent reports of the same story (shared entities and some
wording) and events with dates and participants, plus unrelated filler.
Each size runs in a fresh child process and store: first the documents are
stored, then `link(store)` links them all through the persistent indexes.
Peak memory is that child's maximum resident set size.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VOCABULARY = 5000
#: Distinct names per document in the corpus: the pool grows with the corpus, as the set of
#: people and organisations in real news does, so that a bigger corpus is not denser in name clashes.
NAMES_PER_DOCUMENT = 2
SENTENCES_PER_DOC = 12
WORDS_PER_SENTENCE = 16


def synthetic_documents(count: int, seed: int = 11):
    from newstrace.model import Document, content_id

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(VOCABULARY)]
    name_pool = max(20_000, NAMES_PER_DOCUMENT * count)
    made = 0
    story = 0
    while made < count:
        story += 1
        names = [f"Name{rng.randrange(name_pool)}" for _ in range(4)]
        base = [_sentence(rng, vocab, names) for _ in range(SENTENCES_PER_DOC)]
        day = f"2024-{1 + story % 12:02d}-{1 + story % 28:02d}"
        for report in range(rng.randint(1, 8)):
            if made >= count:
                break
            kind = rng.random()
            if report == 0 or kind < 0.2:
                sentences = list(base)  # exact copy of the story's first report
            elif kind < 0.4:
                sentences = list(base)
                sentences[rng.randrange(len(sentences))] = _sentence(rng, vocab, names)  # near copy
            else:
                sentences = [_sentence(rng, vocab, names) for _ in range(SENTENCES_PER_DOC)]  # independent report
            text = " ".join(sentences)
            doc = Document(id=content_id(f"synthetic/{made}", None, text, day), source={"path": f"synthetic/{made}.txt", "position": None},
                           text=text, published=day)
            doc.entities = _entities(doc, names)
            doc.events = _events(doc, names, day)
            made += 1
            yield doc


def _sentence(rng, vocab, names) -> str:
    words = [rng.choice(vocab) for _ in range(WORDS_PER_SENTENCE)]
    words[rng.randrange(len(words))] = rng.choice(names)
    return "S" + " ".join(words) + "."


def _entities(doc, names) -> list[dict]:
    entities = []
    for k, name in enumerate(names, 1):
        mentions = []
        start = doc.text.find(name)
        while start >= 0:
            mentions.append(doc.span(start, start + len(name)))
            start = doc.text.find(name, start + 1)
        if mentions:
            entities.append({"id": f"e{k}", "type": "PERSON" if k % 2 else "ORG", "name": name, "aliases": [], "mentions": mentions, "global_id": None})
    return entities


def _events(doc, names, day) -> list[dict]:
    if len(doc.entities) < 2:
        return []
    a, b = doc.entities[:2]
    trigger = a["mentions"][0]
    return [{"id": "v1", "type": "CONSULT", "mode": None, "trigger": trigger, "sentence": trigger,
             "actors": [{"text": a["name"], "entity": a["id"]}], "targets": [{"text": b["name"], "entity": b["id"]}],
             "place": None, "date": day, "time": None, "attributed_to": None, "hedged": False, "cluster": None}]


def run_one(size: int) -> None:
    """In a child: store `size` documents, link them, print one line of figures."""
    from newstrace.link import link
    from newstrace.store import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(os.path.join(tmp, "s.db")) as store:
        batch = []
        start = time.perf_counter()
        for doc in synthetic_documents(size):
            batch.append(doc)
            if len(batch) == 1000:
                store.put_documents(batch)
                batch = []
        if batch:
            store.put_documents(batch)
        stored = time.perf_counter() - start
        start = time.perf_counter()
        report = link(store)
        linking = time.perf_counter() - start
        links = sum(report.links.values())
        print(f"{size}\t{stored:.1f}\t{linking:.1f}\t{report.pairs_compared}\t{links}\t{report.event_pairs}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child)
        return
    print(f"{'documents':>10} {'store s':>8} {'link s':>8} {'ms/doc':>7} {'pairs':>9} {'links':>8} {'event pairs':>11} {'peak MiB':>9}")
    for size in args.sizes:
        child = subprocess.Popen([sys.executable, __file__, "--child", str(size)], stdout=subprocess.PIPE, text=True)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not out.strip():
            sys.exit(f"run at {size} documents failed")
        n, stored, linking, pairs, links, event_pairs = out.split()
        print(f"{int(n):>10} {float(stored):>8.1f} {float(linking):>8.1f} {1000 * float(linking) / int(n):>7.2f} {int(pairs):>9} {int(links):>8} {int(event_pairs):>11} {usage.ru_maxrss / 1024:>9.0f}")
    print("Synthetic documents; linking cost per document should stay flat as the corpus grows (blocking, never all pairs).")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
