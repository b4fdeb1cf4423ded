"""Linking over a store: copies and originals, stories, global ids, event clusters, conflicts, incremental runs."""
from __future__ import annotations

import pytest

from newstrace import query
from newstrace.clean import clean
from newstrace.link import link
from newstrace.model import Record
from newstrace.store import SQLiteStore

REPORT = (
    "Union leaders met the owners of the three largest shipping firms in Rotterdam on Monday to end the strike.\n\n"
    "The talks lasted more than six hours and were the first since the strike began on March 2.\n\n"
    "At least 4,000 workers have stayed away from the terminals, and nearly 120 ships wait at anchor.\n\n"
    "The firms offered a four percent rise over two years, which the union called too little for the risks."
)
OTHER = (
    "A storm left about 60,000 homes without power in Brittany overnight, the grid operator said on Saturday.\n\n"
    "Winds of up to 150 km/h were recorded on the coast, and several roads were closed by fallen trees.\n\n"
    "Repairs could take until Monday, the operator said, as crews worked through the night."
)


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(str(tmp_path / "link.db")) as db:
        yield db


def doc(text: str, path: str, date: str | None = None, title: str | None = None, entities=(), events=(), figures=()):
    d = clean(Record(source=path, body=text, date=date, title=title))
    d.entities = [dict(e) for e in entities]
    d.events = [dict(e) for e in events]
    d.figures = [dict(f) for f in figures]
    return d


def entity(eid: str, name: str, type_: str = "ORG") -> dict:
    return {"id": eid, "type": type_, "name": name, "aliases": [], "mentions": [], "global_id": None}


def links_between(store, a, b) -> list[dict]:
    return [l for l in store.get_document(a.id).links if l["other"] == b.id]


def test_exact_copy_is_linked_with_the_earlier_report_as_original(store):
    first, copy = doc(REPORT, "a.txt", "2026-03-11"), doc(REPORT, "b.txt", "2026-03-12")
    store.put_documents([first, copy])
    link(store)
    [found] = links_between(store, copy, first)
    assert found["kind"] == "exact_copy" and found["original"] == first.id
    assert first.id in found["reason"] and found["evidence"]


def test_near_copy_with_a_changed_date_and_new_headline(store):
    edited = REPORT.replace("March 2", "March 3")
    first = doc(REPORT, "a.txt", "2026-03-11", title="Talks resume")
    copy = doc(edited, "b.txt", "2026-03-11", title="Revised: Dockers back at the table")
    store.put_documents([first, copy])
    link(store)
    [found] = links_between(store, first, copy)
    assert found["kind"] == "near_copy" and found["original"] == first.id
    assert "revised" in found["reason"]


def test_a_copy_that_only_strips_page_furniture_leaves_the_original_unknown(store):
    page = doc(REPORT + "\n\nShare this article\n\nRead more", "page.txt", "2026-03-11")
    stripped = doc(REPORT, "stripped.txt", "2026-03-11")
    store.put_documents([stripped, page])
    link(store)
    [found] = links_between(store, page, stripped)
    assert found["kind"] == "exact_copy" and found["original"] is None
    assert "unknown" in found["reason"] and "tells nothing" in found["reason"]


def test_an_updated_copy_names_the_unmarked_report_the_original(store):
    first = doc(REPORT, "a.txt", "2026-03-11", title="Talks resume")
    update = doc(REPORT + "\n\nThe union will vote on Friday.", "b.txt", "2026-03-11", title="UPDATE: Talks resume")
    store.put_documents([update, first])
    link(store)
    [found] = links_between(store, update, first)
    assert found["kind"] == "near_copy" and found["original"] == first.id and "'updated'" in found["reason"]


def test_unrelated_reports_are_not_linked(store):
    a, b = doc(REPORT, "a.txt", "2026-03-11"), doc(OTHER, "b.txt", "2026-03-11")
    store.put_documents([a, b])
    link(store)
    assert links_between(store, a, b) == []
    stories = list(store.stories())
    assert len(stories) == 2 and all(len(s["documents"]) == 1 for s in stories)


def test_copies_share_a_story_whose_first_report_is_the_earliest(store):
    first, copy = doc(REPORT, "a.txt", "2026-03-11", title="Talks resume"), doc(REPORT, "b.txt", "2026-03-12")
    store.put_documents([copy, first])
    link(store)
    [story] = [s for s in store.stories() if len(s["documents"]) == 2]
    assert story["first_reported"] == first.id and story["label"] == "Talks resume"
    assert store.get_document(copy.id).story == story["id"]


def test_new_ingest_links_only_new_documents_and_keeps_old_links(store):
    first = doc(REPORT, "a.txt", "2026-03-11")
    store.put_documents([first])
    assert link(store).documents == 1
    copy = doc(REPORT, "b.txt", "2026-03-12")
    store.put_documents([copy])
    report = link(store)
    assert report.documents == 1 and report.links == {"exact_copy": 1}
    assert link(store).documents == 0


def test_edited_file_is_a_version_link(store):
    old = doc(REPORT, "same.txt", "2026-03-11")
    new = doc(REPORT + "\n\nThe union will vote on Friday.", "same.txt", "2026-03-11")
    store.put_documents([old])
    store.put_documents([new])
    link(store)
    [found] = links_between(store, new, old)
    assert found["kind"] == "version"


def test_global_ids_fold_spellings_and_stay_stable(store):
    a = doc(REPORT, "a.txt", entities=[entity("e1", "Recep Tayyip Erdoğan", "PERSON"), entity("e2", "Hamas")])
    b = doc(OTHER, "b.txt", entities=[entity("e1", "Recep Tayyip Erdogan", "PERSON"), entity("e2", "Hamas")])
    store.put_documents([a, b])
    link(store)
    ids_a = {e["name"]: e["global_id"] for e in store.get_document(a.id).entities}
    ids_b = {e["name"]: e["global_id"] for e in store.get_document(b.id).entities}
    assert ids_a["Recep Tayyip Erdoğan"] == ids_b["Recep Tayyip Erdogan"]
    assert ids_a["Hamas"] == ids_b["Hamas"]
    link(store, full=True)
    again = {e["name"]: e["global_id"] for e in store.get_document(a.id).entities}
    assert again == ids_a
    c = doc("Another report entirely about Hamas and its leaders.", "c.txt", entities=[entity("e1", "Hamas")])
    store.put_documents([c])
    link(store)
    assert store.get_document(c.id).entities[0]["global_id"] == ids_a["Hamas"]


def test_short_name_joins_the_one_full_name_in_the_corpus(store):
    a = doc(REPORT, "a.txt", entities=[entity("e1", "Benjamin Netanyahu", "PERSON")])
    b = doc(OTHER, "b.txt", entities=[entity("e1", "Netanyahu", "PERSON")])
    store.put_documents([a])
    link(store)
    store.put_documents([b])
    link(store)
    assert store.get_document(a.id).entities[0]["global_id"] == store.get_document(b.id).entities[0]["global_id"]


def meeting(eid: str, date: str | None, actor: str, target: str, place: str | None = None, sentence=(0, 10)) -> dict:
    return {
        "id": eid, "type": "CONSULT", "mode": None,
        "trigger": {"start": 0, "end": 3, "text": "met"}, "sentence": {"start": sentence[0], "end": sentence[1], "text": ""},
        "actors": [{"text": actor, "entity": "e1"}], "targets": [{"text": target, "entity": "e2"}],
        "place": {"text": place, "entity": "e3"} if place else None,
        "date": date, "time": None, "attributed_to": None, "hedged": False, "cluster": None,
    }


MEETING_ENTITIES = [entity("e1", "Hamas"), entity("e2", "MIT"), entity("e3", "Istanbul", "GPE")]


def test_the_same_meeting_in_two_reports_is_one_cluster(store):
    a = doc(REPORT, "a.txt", "2023-10-08", entities=MEETING_ENTITIES, events=[meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")])
    b = doc(OTHER, "b.txt", "2023-10-09", entities=MEETING_ENTITIES, events=[meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")])
    store.put_documents([a, b])
    link(store)
    assert store.get_document(a.id).events[0]["cluster"] == store.get_document(b.id).events[0]["cluster"]
    [cluster] = query.corpus(store)["event_clusters"]
    assert cluster["type"] == "CONSULT" and cluster["date"] == "2023-10-07" and len(cluster["events"]) == 2


@pytest.mark.parametrize(
    "second, slot",
    [
        (meeting("v1", "2023-11-20", "Hamas", "MIT", "Istanbul"), "date"),
        (meeting("v1", "2023-10-07", "Hamas", "MIT", "Doha"), "place"),
    ],
)
def test_another_meeting_stays_apart_and_the_slot_is_named(store, second, slot):
    ents = MEETING_ENTITIES + [entity("e3", "Doha", "GPE")] if slot == "place" else MEETING_ENTITIES
    a = doc(REPORT, "a.txt", "2023-10-08", entities=MEETING_ENTITIES, events=[meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")])
    b = doc(OTHER, "b.txt", "2023-10-09", entities=[e for e in ents if not (slot == "place" and e["name"] == "Istanbul")], events=[second])
    store.put_documents([a, b])
    link(store)
    assert store.get_document(a.id).events[0]["cluster"] != store.get_document(b.id).events[0]["cluster"]
    [pair] = list(store.event_pairs())
    assert pair["same"] == 0 and pair["slot"] == slot


def test_conflicting_figures_for_one_event_are_listed_with_sources(store):
    def killed(fid: str, value: int, text: str) -> dict:
        return {"id": fid, "start": 0, "end": 5, "text": text, "value": value, "low": value, "high": value, "vague": False,
                "qualifier": None, "unit": "people", "counts": "killed", "claimed_by": None}

    a = doc(REPORT, "a.txt", "2023-10-08", entities=MEETING_ENTITIES, events=[meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")], figures=[killed("f1", 1200, "1,200")])
    b = doc(OTHER, "b.txt", "2023-10-09", entities=MEETING_ENTITIES, events=[meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")], figures=[killed("f1", 1139, "1,139")])
    store.put_documents([a, b])
    link(store)
    [conflict] = query.corpus(store)["conflicts"]
    assert conflict["counts"] == "killed" and sorted(f["value"] for f in conflict["figures"]) == [1139, 1200]
    assert conflict["first_reported"] == a.id


def test_link_full_recompute_gives_the_same_export(store):
    store.put_documents([doc(REPORT, "a.txt", "2026-03-11"), doc(REPORT, "b.txt", "2026-03-12"), doc(OTHER, "c.txt")])
    link(store)
    before = list(query.documents(store)), query.corpus(store)
    link(store, full=True)
    assert (list(query.documents(store)), query.corpus(store)) == before


@pytest.mark.parametrize("copy_first", [False, True])
def test_evidence_points_into_each_document_from_either_side(store, copy_first):
    first = doc(REPORT, "a.txt", "2026-03-11")
    copy = doc("Dock strike: what we know so far, in brief.\n\n" + REPORT, "b.txt", "2026-03-12")
    store.put_documents([copy, first] if copy_first else [first, copy])
    link(store)
    for this, other in ((first, copy), (copy, first)):
        [found] = links_between(store, this, other)
        assert found["evidence"]
        for passage in found["evidence"]:
            mine = this.text[passage["a"][0]:passage["a"][1]]
            theirs = other.text[passage["b"][0]:passage["b"][1]]
            assert mine.split()[:3] == theirs.split()[:3], (mine, theirs)


KIDNAP_A = (
    "Police in Forest Hill said on Tuesday that Dale Brennan had been charged with kidnapping a nine-year-old girl.\n\n"
    "The girl was taken from a playground near her school on Sunday afternoon and found unharmed in a car park.\n\n"
    "Detectives traced the car through a neighbour's doorbell camera, a police spokeswoman said."
)
KIDNAP_B = (
    "A man accused of abducting a schoolgirl in Forest Hill will appear before magistrates on Wednesday.\n\n"
    "Dale Brennan, 41, is charged with kidnapping the girl, who vanished from a playground on Sunday.\n\n"
    "Her family thanked the detectives and neighbours who helped find her within hours."
)


def test_reports_naming_one_suspect_and_place_with_other_types_are_compared_and_linked(store):
    """The tagger's types differ (PERSON / ORG, GPE / ORG): the names still block the pair together."""
    a = doc(KIDNAP_A, "a.txt", "2026-05-12", entities=[entity("e1", "Dale Brennan", "PERSON"), entity("e2", "Forest Hill", "GPE")])
    b = doc(KIDNAP_B, "b.txt", "2026-05-12", entities=[entity("e1", "Dale Brennan", "ORG"), entity("e2", "Forest Hill", "ORG")])
    store.put_documents([a, b])
    report = link(store)
    ids_a = {e["name"]: e["global_id"] for e in store.get_document(a.id).entities}
    ids_b = {e["name"]: e["global_id"] for e in store.get_document(b.id).entities}
    assert ids_a == ids_b
    assert report.pairs_compared == 1
    [found] = links_between(store, a, b)
    assert found["kind"] == "same_story" and "2 shared entities" in found["reason"]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0)])
def test_a_global_entity_has_the_type_most_reports_give_it_whatever_the_order(store, order):
    types = ["GPE", "ORG", "GPE"]
    docs = [doc(f"{OTHER} Report {n}.", f"{n}.txt", entities=[entity("e1", "Forest Hill", types[n]), entity("e2", "Dale Brennan",
            "PERSON" if n == 0 else ("ORG" if n == 1 else "LOC"))]) for n in order]
    store.put_documents(docs)
    link(store)
    found = {e["name"]: e for e in query.corpus(store)["entities"]}
    assert found["Forest Hill"]["type"] == "GPE" and len(found["Forest Hill"]["documents"]) == 3
    assert found["Dale Brennan"]["type"] == "PERSON"  # one vote each: the tie goes to the first of TYPE_ORDER


def test_a_store_linked_under_typed_entity_keys_is_linked_again_once_opened(tmp_path):
    path = str(tmp_path / "old.db")
    with SQLiteStore(path) as old:
        old.put_documents([doc(REPORT, "a.txt", "2026-03-11"), doc(REPORT, "b.txt", "2026-03-12")])
        link(old)
        old.db.execute("DELETE FROM migrations WHERE name = '0008_link_provenance'")
        old.db.execute("ALTER TABLE global_entities DROP COLUMN votes")
        old.db.execute("ALTER TABLE stories DROP COLUMN origins")
        old.db.execute("INSERT INTO entity_keys VALUES ('ORG:hamas', 'gold')")
        old.db.commit()
    with SQLiteStore(path) as opened:
        assert len(opened.unlinked_ids()) == 2 and opened.global_for_keys(["ORG:hamas"]) == {}
        assert link(opened).links == {"exact_copy": 1}


def arrests(fid: str, value: int) -> dict:
    return {"id": fid, "start": 0, "end": 1, "text": str(value), "value": value, "low": value, "high": value, "vague": False,
            "qualifier": None, "unit": "people", "counts": "detained", "claimed_by": None}


def test_a_near_copy_is_not_a_second_source_in_a_conflict(store):
    """The trap of issue 17: in a conflict between 7 and 6 arrests, a near copy's 6 was listed as a third independent source."""
    event = [meeting("v1", "2023-10-07", "Hamas", "MIT", "Istanbul")]
    seven = doc(REPORT, "a.txt", "2023-10-08", entities=MEETING_ENTITIES, events=event, figures=[arrests("f1", 7)])
    six = doc(OTHER, "b.txt", "2023-10-09", entities=MEETING_ENTITIES, events=event, figures=[arrests("f1", 6)])
    copy = doc(OTHER.replace("Saturday", "Sunday"), "c.txt", "2023-10-10", entities=MEETING_ENTITIES, events=event, figures=[arrests("f1", 6)])
    store.put_documents([seven, six, copy])
    link(store)
    assert [l["kind"] for l in links_between(store, copy, six)] == ["near_copy"] and not links_between(store, seven, six)
    corpus = query.corpus(store)
    [conflict] = corpus["conflicts"]
    assert conflict["origins"] == 2
    assert conflict["values"] == [{"value": 6, "origins": [six.id], "reports": 2}, {"value": 7, "origins": [seven.id], "reports": 1}]
    assert {f["doc"]: f["origin"] for f in conflict["figures"]} == {seven.id: seven.id, six.id: six.id, copy.id: six.id}
    [cluster] = corpus["event_clusters"]
    assert cluster["origins"] == [{"doc": six.id, "reports": 2}, {"doc": seven.id, "reports": 1}]
    [story] = [s for s in corpus["stories"] if copy.id in s["documents"]]
    assert story["documents"] == sorted([six.id, copy.id]) and story["origins"] == [{"doc": six.id, "reports": 2}]
    assert query.story(store, story["id"])["independent"] == 1


def test_copies_whose_original_is_unknown_are_still_one_origin(store):
    a, b = doc(REPORT, "a.txt", "2026-03-11"), doc(REPORT, "b.txt", "2026-03-11")
    store.put_documents([a, b])
    link(store)
    [found] = links_between(store, a, b)
    assert found["original"] is None
    [story] = [s for s in store.stories() if len(s["documents"]) == 2]
    assert story["origins"] == [{"doc": a.id, "reports": 2}]  # the same date: the first ingested names the origin
