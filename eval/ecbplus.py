"""Cross-document event coreference and document clustering on the ECB+ dev topics.

    .venv/bin/python eval/ecbplus.py [--shared ../shared] [--topics 2,5] [--text validated|full|both] [--docs-linked story|pair]

Protocol (../shared/data/ecbplus/README.md, "Cybulska setup", dev topics only):

- Each document's text is built from its tokens, one sentence a paragraph:
  only the validated sentences (`--text validated`) or all of them, the URL
  line of the ECB+ documents left out
  (`--text full`), or both settings in turn (default). It is cleaned
  with `newstrace.clean.clean` (title given, so no line is taken away),
  parsed once with the project's model and run through every stage, as
  `newstrace.pipeline.process_batch` does (the parse is kept here for lemmas).
- Gold event mentions are the ACTION_* / NEG_ACTION_* mentions inside
  validated sentences; gold clusters come from the cross-document `note`,
  else the within-document chain, else a singleton. Singletons stay in key
  and response (Barhom et al. 2019). Scores: MUC, B-cubed, CEAF-e and CoNLL F1
  (their mean), implemented below; CEAF-e's alignment uses
  scipy.optimize.linear_sum_assignment.
- (a) Gold mentions: each mention becomes an `EventView` (trigger lemma from
  the parse; type, date, place and participants from the events layer where
  one of our events sits on the mention, else from the sentence's times and
  entities), and mentions of one topic are clustered by `compare_events`
  decisions (connected components). `docs_linked` comes from (c): the two
  reports are in one story (default) or directly linked (`--docs-linked pair`). The
  same-head-lemma baseline within gold subtopics is scored as a check.
- (b) End to end: our own event mentions from the events layer, inside the
  validated sentences, clustered the same way; a predicted mention stands
  for the gold mention its trigger overlaps (else it is a mention of its own).
- (c) Documents of a topic are clustered into subtopics by `compare` (any
  decision links two documents; connected components); ARI against the gold
  subtopics, pooled over topics (and the mean per topic).
"""
from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from newstrace.clean import clean
from newstrace.extract.entities.names import fold
from newstrace.link import entities as global_entities
from newstrace.link.copies import compare
from newstrace.link.events import EventView, compare_events, trigger_key
from newstrace.model import Record
from newstrace.nlp import load_nlp
from newstrace.pipeline import run_stages

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "!", "?", "%", ")", "]", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'"})
NO_SPACE_AFTER = frozenset({"(", "[", "$", "``"})
ENTITY_KEYS_PER_DOC = 8  # as newstrace.link: the most mentioned entities of each document
PUBLISHED = (
    "Published (ECB+ TEST topics 36-45; ours is on the DEV topics, so compare with care):",
    "  gold mentions: Barhom et al. 2019 79.5, Cattan et al. 81.0, Yu et al. 2022 84.4, Held et al. 2021 85.7 CoNLL F1",
    "  same-lemma baseline: 77.0 CoNLL F1 (brief, unverified); Barhom 'Cluster+Lemma' B3 F1 77.8 (verified)",
    "  end to end, predicted mentions: Cattan et al. 2021 about 64 CoNLL F1 (unverified)",
)


# -- reading ECB+ --------------------------------------------------------------

@dataclass
class Mention:
    doc: str
    sentence: int
    tokens: list[int]
    chain: str
    start: int = -1
    end: int = -1


@dataclass
class EcbDoc:
    name: str
    topic: int
    subtopic: str
    sentences: dict[int, list[tuple[int, str]]]  # sentence -> [(t_id, word)]
    mentions: list[Mention] = field(default_factory=list)


def validated_sentences(path: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return out


def read_document(path: Path, validated: set[int]) -> EcbDoc:
    root = ET.parse(path).getroot()
    name = path.name.removesuffix(".xml")
    sentences: dict[int, list[tuple[int, str]]] = defaultdict(list)
    sentence_of = {}
    for token in root.iter("token"):
        t_id, sent = int(token.get("t_id")), int(token.get("sentence"))
        sentences[sent].append((t_id, " ".join((token.text or "").split())))
        sentence_of[t_id] = sent
    anchors = {}
    for markable in root.find("Markables"):
        if markable.tag.startswith(("ACTION_", "NEG_ACTION_")):
            tokens = [int(a.get("t_id")) for a in markable.findall("token_anchor")]
            if tokens:
                anchors[markable.get("m_id")] = sorted(tokens)
    chains = {}
    for relation in root.find("Relations"):
        if relation.tag == "CROSS_DOC_COREF":
            for source in relation.findall("source"):
                chains[source.get("m_id")] = relation.get("note")
    for relation in root.find("Relations"):
        if relation.tag == "INTRA_DOC_COREF":
            for source in relation.findall("source"):
                chains.setdefault(source.get("m_id"), f"{name}:intra{relation.get('r_id')}")
    mentions = []
    for m_id, tokens in anchors.items():
        sent = sentence_of[tokens[0]]
        if sent in validated:
            mentions.append(Mention(name, sent, tokens, chains.get(m_id, f"{name}:m{m_id}")))
    topic, rest = name.split("_", 1)
    return EcbDoc(name, int(topic), "ecbplus" if rest.endswith("ecbplus") else "ecb", dict(sentences), mentions)


def detokenise(words: list[tuple[int, str]], offset: int) -> tuple[str, dict[int, tuple[int, int]]]:
    """A sentence's text and each token's character span (offset added)."""
    out, spans, pos, glue = [], {}, offset, True
    for t_id, word in words:
        if not word:
            spans[t_id] = (pos, pos)
            continue
        if not glue and word not in NO_SPACE_BEFORE:
            out.append(" ")
            pos += 1
        spans[t_id] = (pos, pos + len(word))
        out.append(word)
        pos += len(word)
        glue = word in NO_SPACE_AFTER
    return "".join(out), spans


def build_text(doc: EcbDoc, validated: set[int], only_validated: bool) -> tuple[str, dict[int, tuple[int, int]], list[tuple[int, int, int]]]:
    """Document text (one sentence a paragraph), token spans, and (sentence, start, end) of each sentence."""
    parts, spans, sentence_spans, pos = [], {}, [], 0
    for sent in sorted(doc.sentences):
        if only_validated and sent not in validated or doc.subtopic == "ecbplus" and sent == 0:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        text, token_spans = detokenise(doc.sentences[sent], pos)
        parts.append(text)
        spans.update(token_spans)
        sentence_spans.append((sent, pos, pos + len(text)))
        pos += len(text)
    return "".join(parts), spans, sentence_spans


# -- coreference scores ----------------------------------------------------------

def muc(key: list[set], response: list[set]) -> tuple[float, float, float]:
    def recall(k, r):
        where = {m: i for i, c in enumerate(r) for m in c}
        num = den = 0
        for cluster in k:
            parts = {where.get(m, ("alone", m)) for m in cluster}
            num += len(cluster) - len(parts)
            den += len(cluster) - 1
        return num / den if den else 0.0
    return _prf(recall(key, response), recall(response, key))


def b_cubed(key: list[set], response: list[set]) -> tuple[float, float, float]:
    def recall(k, r):
        where = {m: i for i, c in enumerate(r) for m in c}
        total = sum(len(c) for c in k)
        num = 0.0
        for cluster in k:
            counts = Counter(where[m] for m in cluster if m in where)
            num += sum(n * n for n in counts.values()) / len(cluster)
        return num / total if total else 0.0
    return _prf(recall(key, response), recall(response, key))


def ceaf_e(key: list[set], response: list[set]) -> tuple[float, float, float]:
    if not key or not response:
        return 0.0, 0.0, 0.0
    where = {m: j for j, c in enumerate(response) for m in c}
    sim = np.zeros((len(key), len(response)))
    for i, cluster in enumerate(key):
        for j, n in Counter(where[m] for m in cluster if m in where).items():
            sim[i, j] = 2 * n / (len(cluster) + len(response[j]))
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = sim[rows, cols].sum()
    return _prf(float(total) / len(key), float(total) / len(response))


def _prf(recall: float, precision: float) -> tuple[float, float, float]:
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return recall, precision, f1


def conll(key: list[set], response: list[set]) -> dict[str, tuple[float, float, float]]:
    scores = {"MUC": muc(key, response), "B3": b_cubed(key, response), "CEAF-e": ceaf_e(key, response)}
    scores["CoNLL"] = (0.0, 0.0, sum(s[2] for s in scores.values()) / 3)
    return scores


def adjusted_rand_index(gold: list, predicted: list) -> float:
    """ARI of two labelings of the same items (Hubert & Arabie 1985)."""
    comb = lambda n: n * (n - 1) / 2  # noqa: E731
    pairs = Counter(zip(gold, predicted))
    index = sum(comb(n) for n in pairs.values())
    sum_gold = sum(comb(n) for n in Counter(gold).values())
    sum_pred = sum(comb(n) for n in Counter(predicted).values())
    expected = sum_gold * sum_pred / comb(len(gold)) if len(gold) > 1 else 0.0
    maximum = (sum_gold + sum_pred) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def check_scorers() -> None:
    """The worked example of Bagga & Baldwin / Luo: key {1-5}{6,7}{8-12}, response {1-5}{6-12}."""
    key, response = [{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 10, 11, 12}], [{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11, 12}]
    expected = {"MUC": (1.0, 0.9), "B3": (1.0, 16 / 21), "CEAF-e": (11 / 18, 11 / 12)}
    for name, (r, p, _) in conll(key, response).items():
        if name in expected:
            assert abs(r - expected[name][0]) < 1e-9 and abs(p - expected[name][1]) < 1e-9, name
    assert abs(adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 8 / 33) < 1e-9


def clusters_of(labels: dict) -> list[set]:
    groups = defaultdict(set)
    for item, label in labels.items():
        groups[label].add(item)
    return list(groups.values())


def components(items: list, linked) -> dict:
    """Connected components of `items` under the pair predicate `linked(a, b)`."""
    parent = {x: x for x in items}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in itertools.combinations(items, 2):
        if find(a) != find(b) and linked(a, b):
            parent[find(a)] = find(b)
    return {x: find(x) for x in items}


# -- our pipeline on ECB+ --------------------------------------------------------

@dataclass
class Processed:
    ecb: EcbDoc
    doc: object  # newstrace Document
    parse: object
    token_spans: dict[int, tuple[int, int]]
    global_ids: dict[str, str]


def process_documents(ecb_docs: list[EcbDoc], validated: dict[str, set[int]], only_validated: bool, n_process: int) -> list[Processed]:
    built = []
    for ecb in ecb_docs:
        text, token_spans, _ = build_text(ecb, validated.get(ecb.name, set()), only_validated)
        doc = clean(Record(source=f"ecbplus/{ecb.name}.xml", body=text, title=ecb.name), remove_furniture=False)
        if doc.text != text:
            raise SystemExit(f"cleaning changed the text of {ecb.name}; offsets would not hold")
        for mention in ecb.mentions:
            if mention.tokens[0] in token_spans:
                mention.start, mention.end = token_spans[mention.tokens[0]][0], token_spans[mention.tokens[-1]][1]
        built.append((doc, ecb, token_spans))
    nlp = load_nlp()
    out = []
    for parse, (doc, ecb, token_spans) in nlp.pipe(((d.text, (d, e, s)) for d, e, s in built), as_tuples=True, n_process=n_process, batch_size=16):
        run_stages(doc, parse)
        out.append(Processed(ecb, doc, parse, token_spans, {}))
    return out


def assign_global_ids(processed: list[Processed]) -> None:
    """Global ids as newstrace.link gives them: keys shared across the corpus meet."""
    known: dict[str, str] = {}
    for item in processed:
        for entity in item.doc.entities:
            global_id, keys = global_entities.resolve(entity, known, {})
            for key in keys:
                known.setdefault(key, global_id)
            item.global_ids[entity["id"]] = global_id


def entity_block(item: Processed) -> set[str]:
    ranked = sorted(item.doc.entities, key=lambda e: (-len(e.get("mentions") or []), e["id"]))
    return {item.global_ids[e["id"]] for e in ranked[:ENTITY_KEYS_PER_DOC]}


def document_links(topic_docs: list[Processed]) -> dict[tuple[str, str], str]:
    """`compare` on every document pair of a topic (as blocking would, at this size): pair -> kind."""
    blocks = {item.ecb.name: entity_block(item) for item in topic_docs}
    links = {}
    for a, b in itertools.combinations(topic_docs, 2):
        decision = compare(a.doc, b.doc, shared_entities=len(blocks[a.ecb.name] & blocks[b.ecb.name]))
        if decision:
            links[(a.ecb.name, b.ecb.name)] = links[(b.ecb.name, a.ecb.name)] = decision.kind
    return links


def sentence_context(item: Processed, start: int, end: int) -> tuple[str | None, set[str], set[str]]:
    """Date, place keys and participant keys from the sentence around [start, end)."""
    sentence = next(((s, e) for s, e in item.doc.sentences if s <= start < e), (start, end))
    dates = [t for t in item.doc.times if sentence[0] <= t["start"] < sentence[1] and t.get("type") == "DATE"
             and (t.get("value") or "")[:4].isdigit()]
    date = min(dates, key=lambda t: abs(t["start"] - start))["value"] if dates else None
    place, participants = set(), set()
    for entity in item.doc.entities:
        if any(sentence[0] <= m["start"] < sentence[1] for m in entity.get("mentions") or []):
            key = item.global_ids[entity["id"]]
            if entity["type"] in PLACE_TYPES:
                place.add(key)
            if entity["type"] in PARTICIPANT_TYPES:
                participants.add(key)
    return date, place, participants


def view_for_span(item: Processed, ref: str, start: int, end: int, event: dict | None) -> EventView:
    span = item.parse.char_span(start, end, alignment_mode="expand")
    lemma = span.root.lemma_.lower() if span is not None and len(span) else item.doc.text[start:end].lower()
    date, place, participants = sentence_context(item, start, end)
    event_type = ""
    if event:
        event_type = event.get("type") or ""
        date = event.get("date") or date
        if event.get("place") and event["place"].get("entity") in item.global_ids:
            place = {item.global_ids[event["place"]["entity"]]}
        actors = {item.global_ids[r["entity"]] for r in (event.get("actors") or []) + (event.get("targets") or [])
                  if r.get("entity") in item.global_ids}
        participants |= actors
    return EventView(ref=ref, doc=item.doc.id, type=event_type, date=date, place=place, participants=participants,
                     trigger=item.doc.text[start:end], lemma=lemma, published=item.doc.published)


def overlapping_event(item: Processed, start: int, end: int) -> dict | None:
    return next((e for e in item.doc.events if e["trigger"]["start"] < end and start < e["trigger"]["end"]), None)


def gold_views(item: Processed) -> list[tuple[str, EventView]]:
    out = []
    for mention in item.ecb.mentions:
        ref = f"{item.ecb.name}:{mention.tokens[0]}"
        out.append((ref, view_for_span(item, ref, mention.start, mention.end, overlapping_event(item, mention.start, mention.end))))
    return out


def predicted_views(item: Processed, validated: set[int]) -> list[tuple[str, EventView]]:
    """Our events inside validated sentences; a ref is the gold mention's ref when the trigger overlaps one."""
    validated_spans = [(item.token_spans[toks[0][0]][0], item.token_spans[toks[-1][0]][1])
                       for sent, toks in item.ecb.sentences.items() if sent in validated and toks and toks[0][0] in item.token_spans]
    out, used = [], set()
    for event in item.doc.events:
        start, end = event["trigger"]["start"], event["trigger"]["end"]
        if not any(s <= start < e for s, e in validated_spans):
            continue
        gold = next((m for m in item.ecb.mentions if m.start < end and start < m.end and m.tokens[0] not in used), None)
        if gold:
            used.add(gold.tokens[0])
            ref = f"{item.ecb.name}:{gold.tokens[0]}"
        else:
            ref = f"{item.ecb.name}:ours:{event['id']}"
        out.append((ref, view_for_span(item, ref, start, end, event)))
    return out


def cluster_views(views: list[tuple[str, EventView]], doc_links: dict) -> dict[str, str]:
    by_ref = dict(views)

    def same(a: str, b: str) -> bool:
        va, vb = by_ref[a], by_ref[b]
        linked = va.doc == vb.doc or (a.split(":")[0], b.split(":")[0]) in doc_links
        return compare_events(va, vb, docs_linked=linked).same

    return components(sorted(by_ref), same)


def gold_key(processed: list[Processed]) -> dict[str, str]:
    return {f"{p.ecb.name}:{m.tokens[0]}": m.chain for p in processed for m in p.ecb.mentions}


def lemma_baseline(processed: list[Processed]) -> dict[str, str]:
    """Same head lemma within the gold subtopic."""
    out = {}
    for item in processed:
        for ref, view in gold_views(item):
            out[ref] = f"{item.ecb.topic}:{item.ecb.subtopic}:{view.lemma}"
    return out


def print_scores(label: str, scores: dict) -> None:
    parts = [f"{name} R {r:.1%} P {p:.1%} F1 {f:.1%}" for name, (r, p, f) in scores.items() if name != "CoNLL"]
    print(f"{label:<46} CoNLL F1 {scores['CoNLL'][2] * 100:5.1f}   " + " | ".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--topics", default=",".join(map(str, DEV_TOPICS)))
    parser.add_argument("--text", choices=("validated", "full", "both"), default="both")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--docs-linked", choices=("pair", "story"), default="story",
                        help="docs_linked for compare_events: a direct link between the two reports, or the same story")
    args = parser.parse_args(argv)
    check_scorers()
    print("\n".join(PUBLISHED))
    for text in ("validated", "full") if args.text == "both" else (args.text,):
        print()
        evaluate(args, text)
    return 0


def evaluate(args, text_setting: str) -> None:
    folder = args.shared / "data" / "ecbplus"
    validated = validated_sentences(folder / "ECBplus_coreference_sentences.csv")
    topics = [int(t) for t in args.topics.split(",")]
    started = time.time()
    ecb_docs = [read_document(p, validated.get(p.name.removesuffix(".xml"), set()))
                for t in topics for p in sorted((folder / str(t)).glob("*.xml"))]
    processed = process_documents(ecb_docs, validated, text_setting == "validated", args.n_process)
    assign_global_ids(processed)
    key_labels = gold_key(processed)
    print(f"ECB+ dev topics {topics}: {len(processed)} documents, {len(key_labels)} gold event mentions, "
          f"{len(set(key_labels.values()))} gold clusters; text = {text_setting} sentences; docs_linked = {args.docs_linked}; parsed in {time.time() - started:.0f}s")

    by_topic = defaultdict(list)
    for item in processed:
        by_topic[item.ecb.topic].append(item)
    oracle_response, gold_response, e2e_response, doc_gold, doc_pred, topic_ari, kinds = {}, {}, {}, [], [], [], Counter()
    for topic, items in sorted(by_topic.items()):
        links = document_links(items)
        kinds.update(kind for (a, b), kind in links.items() if a < b)
        labels = components([i.ecb.name for i in items], lambda a, b: (a, b) in links)
        doc_gold += [f"{topic}:{i.ecb.subtopic}" for i in items]
        doc_pred += [f"{topic}:{labels[i.ecb.name]}" for i in items]
        topic_ari.append(adjusted_rand_index([i.ecb.subtopic for i in items], [labels[i.ecb.name] for i in items]))
        if args.docs_linked == "story":  # linked = in the same story (a connected component of links)
            links = {(a, b): "story" for a in labels for b in labels if a != b and labels[a] == labels[b]}
        gold_response.update(cluster_views([v for i in items for v in gold_views(i)], links))
        same_subtopic = {(a.ecb.name, b.ecb.name): "gold" for a in items for b in items if a.ecb.subtopic == b.ecb.subtopic}
        oracle_response.update(cluster_views([v for i in items for v in gold_views(i)], same_subtopic))
        e2e_response.update(cluster_views([v for i in items for v in predicted_views(i, validated.get(i.ecb.name, set()))], links))

    key = clusters_of(key_labels)
    print_scores("(a) same-lemma baseline, gold subtopics", conll(key, clusters_of(lemma_baseline(processed))))
    print_scores("(a) gold mentions, compare_events in topic", conll(key, clusters_of(gold_response)))
    print_scores("    the same, docs_linked = gold subtopic", conll(key, clusters_of(oracle_response)))
    print_scores("    all singletons (reference)", conll(key, [{m} for m in key_labels]))
    found = sum(1 for ref in e2e_response if ref in key_labels)
    print_scores("(b) end to end, our events layer", conll(key, clusters_of(e2e_response)))
    print(f"    our mentions in validated sentences: {len(e2e_response)}, matching a gold mention: {found} "
          f"(mention recall {found / len(key_labels):.1%}, precision {found / max(1, len(e2e_response)):.1%})")
    print(f"(c) document clustering into subtopics: ARI pooled {adjusted_rand_index(doc_gold, doc_pred):.3f}, "
          f"mean per topic {sum(topic_ari) / len(topic_ari):.3f}; {len(set(doc_pred))} clusters for {len(set(doc_gold))} subtopics; "
          f"links {dict(kinds)}")
    print(f"done in {time.time() - started:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
