"""Linking across documents: global entities, copies and originals, stories,
event clusters and conflicting figures (../shared/DESIGN.md, "Linking").

`link(store)` links the documents not linked yet against everything
stored, through persistent indexes (MinHash LSH bands, entity blocking keys,
event blocking keys), so its cost grows with the new documents, not with all
pairs. Stories, event clusters and conflicts are then rebuilt from the
stored pairwise decisions, which is linear in the number of links.
`link(store, full=True)` clears the indexes and recomputes everything.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields

from newstrace.link import entities as global_entities
from newstrace.link import text as lt
from newstrace.link.copies import compare
from newstrace.link.corpus import rebuild_corpus
from newstrace.link.events import EventView, blocking_keys, compare_events, event_view
from newstrace.model import Document

#: Documents sharing at least this many entity blocking keys are compared even without shared shingles.
MIN_SHARED_ENTITY_KEYS = 2
#: Entity blocking keys per document: its most mentioned entities.
ENTITY_KEYS_PER_DOC = 8
#: At most this many candidates per document from each index, those sharing the most keys first,
#: so a corpus full of near-duplicates still costs a bounded number of comparisons per document.
MAX_CANDIDATES = 50
CACHE_SIZE = 256


@dataclass
class LinkReport:
    documents: int = 0
    pairs_compared: int = 0
    links: dict[str, int] = field(default_factory=dict)
    event_pairs: int = 0


def link(store, full: bool = False) -> LinkReport:
    """Link every document not linked yet (all of them with `full`); rebuild the corpus view."""
    if full:
        store.reset_links()
    report = LinkReport()
    cache = _DocumentCache(store)
    for doc_id in store.unlinked_ids():
        doc = cache.get(doc_id)
        with store.transaction():
            _link_document(store, doc, cache, report)
        report.documents += 1
    with store.transaction():
        rebuild_corpus(store)
    return report


def _link_document(store, doc: Document, cache: "_DocumentCache", report: LinkReport) -> None:
    global_ids = assign_global_ids(store, doc)
    text_hash, band_keys = text_keys(doc)
    entity_keys = entity_block_keys(doc.entities, global_ids)

    candidates = set(store.ids_with_hash(text_hash)[:MAX_CANDIDATES]) | set(store.version_ids(doc.id))
    candidates |= {other for other, _ in top_refs(store.refs_with_keys("lsh_bands", band_keys))}
    shared_entities = store.refs_with_keys("block_keys", entity_keys)
    candidates |= {other for other, count in top_refs(shared_entities) if count >= MIN_SHARED_ENTITY_KEYS}
    candidates.discard(doc.id)
    versions = set(store.version_ids(doc.id))
    for other_id in sorted(candidates):
        other = cache.get(other_id)
        if other is None:
            continue
        report.pairs_compared += 1
        decision = compare(doc, other, shared_entities=shared_entities.get(other_id, 0), same_source=other_id in versions)
        if decision:
            store.put_link(doc.id, other_id, decision.as_link(other_id))
            report.links[decision.kind] = report.links.get(decision.kind, 0) + 1

    store.add_keys("lsh_bands", doc.id, band_keys)
    store.add_keys("block_keys", doc.id, entity_keys)
    _link_events(store, doc, global_ids, report)
    store.mark_linked(doc.id, text_hash)


def text_keys(doc: Document) -> tuple[str, list[str]]:
    """The exact-text hash and the MinHash LSH band keys a document's text is indexed by."""
    band_keys = lt.band_keys(lt.shingles(doc.text), "s", *lt.SHINGLE_BANDS) + lt.band_keys(lt.content_stems(doc.text), "w", *lt.WORD_BANDS)
    return lt.normalised_hash(doc.text), band_keys


def top_refs(counts) -> list[tuple[str, int]]:
    """The refs sharing the most keys, ties broken by ref for determinism."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]


def assign_global_ids(store, doc: Document) -> dict[str, str]:
    """Give each entity of `doc` its global id, reusing the ids its keys already have.

    `store` needs only `global_for_keys` and `put_entity_global`: a store, or
    `link.entities.EntityIndex` where the keys are kept in memory.
    """
    global_ids = {}
    for entity in doc.entities:
        keys = global_entities.entity_keys(entity)
        known = store.global_for_keys(keys)
        short = global_entities.surname_key(entity)
        surnames = {short: set(store.global_for_keys([short]).values())} if short else {}
        global_id, keys = global_entities.resolve(entity, known, surnames)
        surname = global_entities.full_name_surname_key(entity)
        if surname:
            keys = keys + [surname] if not store.global_for_keys([surname]) else keys
        store.put_entity_global(doc.id, entity, global_id, keys)
        global_ids[entity["id"]] = global_id
    return global_ids


def block_entities(entities: list[dict]) -> list[str]:
    """Ids of the entities a document is blocked by: its most mentioned ones."""
    ranked = sorted(entities, key=lambda e: (-len(e.get("mentions") or []), e["id"]))
    return [e["id"] for e in ranked[:ENTITY_KEYS_PER_DOC]]


def entity_block_keys(entities: list[dict], global_ids: dict[str, str]) -> list[str]:
    """Blocking keys from the global ids of a document's most mentioned entities (repeats kept: they count twice)."""
    return [f"ent:{global_ids[e]}" for e in block_entities(entities) if e in global_ids]


def _link_events(store, doc: Document, global_ids: dict[str, str], report: LinkReport) -> None:
    """Compare each event of `doc` with the stored events that share a blocking key."""
    for event in doc.events:
        view = event_view(doc, event, global_ids)
        keys = blocking_keys(view)
        for ref, _ in top_refs(store.refs_with_keys("event_keys", keys)):
            other_doc_id = ref.split(":", 1)[0]
            data = store.event_view_data(ref)
            if other_doc_id == doc.id or data is None:
                continue
            linked = store.linked_pair(doc.id, other_doc_id) is not None
            decision = compare_events(view, view_from_json(data), docs_linked=linked)
            store.put_event_pair(view.ref, ref, decision.same, decision.slot, decision.reason)
            report.event_pairs += 1
        store.add_keys("event_keys", view.ref, keys or [f"self|{view.ref}"])
        store.put_event_view(view.ref, view_to_json(view))


def view_to_json(view: EventView) -> dict:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in asdict(view).items()}


def view_from_json(data: dict) -> EventView:
    """An EventView back from its stored form; set-valued fields become sets again."""
    known = {f.name: f for f in fields(EventView)}
    values = {}
    for name, value in data.items():
        if name in known:
            values[name] = set(value) if known[name].default_factory is set else value
    return EventView(**values)


class _DocumentCache:
    """The most recently used documents, so candidates met again are not re-read."""

    def __init__(self, store):
        self.store = store
        self.items: OrderedDict[str, Document | None] = OrderedDict()

    def get(self, doc_id: str) -> Document | None:
        if doc_id in self.items:
            self.items.move_to_end(doc_id)
            return self.items[doc_id]
        doc = self.store.get_document(doc_id)
        self.items[doc_id] = doc
        if len(self.items) > CACHE_SIZE:
            self.items.popitem(last=False)
        return doc
