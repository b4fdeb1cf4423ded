"""Events across reports: the same event joins, a similar one stays apart, and the slot that decided is named."""
from __future__ import annotations

import pytest

from newstrace.link.events import EventView, blocking_keys, compare_events, event_view, trigger_key
from newstrace.model import Document


def view(ref="a:v1", type_="CONSULT", date="2024-05-02", place=("g:istanbul",), who=("g:hamas", "g:turkey"),
         trigger="met", lemma="meet", published=None) -> EventView:
    return EventView(ref=ref, doc=ref.split(":")[0], type=type_, date=date, place=set(place), participants=set(who),
                     trigger=trigger, lemma=lemma, published=published)


BASE = view()


@pytest.mark.parametrize("other, slot", [
    (view("b:v1", type_="ASSAULT", trigger="attacked", lemma="attack"), "type"),           # another kind of event
    (view("b:v1", date="2024-05-20"), "date"),                                            # another meeting, weeks later
    (view("b:v1", place=("g:doha",)), "place"),                                          # another meeting, another city
    (view("b:v1", who=("g:fatah", "g:egypt")), "participants"),                          # another meeting, other people
    (view("b:v1", date=None, published="2024-06-30"), "date"),                            # reported much later, undated
])
def test_compare_events_keeps_a_similar_event_apart_and_names_the_slot(other, slot):
    a = view(published="2024-05-02")
    decision = compare_events(a, other, docs_linked=True)
    assert not decision.same
    assert decision.slot == slot


def test_compare_events_keeps_untyped_events_with_different_triggers_apart():
    a = view(type_="", trigger="quake", lemma="quake")
    b = view("b:v1", type_="", trigger="election", lemma="election")
    decision = compare_events(a, b, docs_linked=True)
    assert (decision.same, decision.slot) == (False, "trigger")


@pytest.mark.parametrize("other, linked", [
    (view("b:v1", date="2024-05-03", trigger="talks", lemma="talk"), False),             # dated a day apart, shared parties
    (view("b:v1", date=None, who=("g:hamas", "g:turkey")), True),                        # undated, in a linked report
    (view("b:v1", date=None, who=(), type_="", lemma="meet"), True),                      # same trigger in a linked report
])
def test_compare_events_joins_mentions_of_the_same_event(other, linked):
    a = view(type_="" if not other.type else "CONSULT")
    assert compare_events(a, other, docs_linked=linked).same


def test_compare_events_needs_a_linked_report_for_an_undated_mention():
    decision = compare_events(BASE, view("b:v1", date=None), docs_linked=False)
    assert (decision.same, decision.slot) == (False, "date")


def test_compare_events_needs_a_shared_participant_when_the_same_trigger_comes_from_unlinked_reports():
    decision = compare_events(BASE, view("b:v1", who=("g:someone",)), docs_linked=False)
    assert (decision.same, decision.slot) == (False, "participants")


def test_event_view_uses_global_ids_and_the_report_date():
    doc = Document(id="d1", source={"path": "x"}, text="Hamas met Turkish officials in Istanbul.", published="2024-05-02")
    event = {"id": "v1", "type": "CONSULT", "date": None, "trigger": {"start": 6, "end": 9, "text": "met"},
             "actors": [{"text": "Hamas", "entity": "e1"}], "targets": [{"text": "Turkish officials", "entity": None}],
             "place": {"text": "Istanbul", "entity": "e2"}}
    got = event_view(doc, event, {"e1": "g1", "e2": "g2"})
    assert got.participants == {"g1", "word:officials"}
    assert got.place == {"g2"}
    assert (got.lemma, got.published) == ("met", "2024-05-02")
    assert blocking_keys(got) == ["CONSULT|who:g1", "CONSULT|who:word:officials"]


def test_trigger_key_takes_the_folded_head_word():
    assert trigger_key("") == ""


@pytest.mark.parametrize("trigger, key", [
    ("Air strikes", "strike"), ("hosted", "host"), ("stopped", "stop"), ("killed", "kill"),
    ("clashes", "clash"), ("casualties", "casualty"), ("crisis", "crisis"), ("met", "met"),
])
def test_trigger_key_takes_inflections_off_the_head_word(trigger, key):
    assert trigger_key(trigger) == key


@pytest.mark.parametrize("a, b, days", [
    ("2013", "2013-08-02", 0),          # a year holds its days
    ("2013-07", "2013-09-01", 60),
    ("2013", "2014-01", 365),
    ("2024-05-02", "2024-05-03", 1),
    ("XXXX-02", "2013-02", None),       # no year: unknown
])
def test_compare_events_reads_dates_at_the_coarser_precision(a, b, days):
    from newstrace.link.events import _days_apart

    assert _days_apart(a, b) == days


def test_compare_events_keeps_a_quake_of_another_year_apart_even_in_linked_reports():
    a = view(type_="", trigger="earthquake", lemma="earthquake", date="2009", who=(), place=("g:italy",))
    b = view("b:v1", type_="", trigger="earthquake", lemma="earthquake", date="2016-08-24", who=(), place=("g:italy",))
    decision = compare_events(a, b, docs_linked=True)
    assert (decision.same, decision.slot) == (False, "date")


@pytest.mark.parametrize("left, right, similar", [
    ("announce", "announcement", True),
    ("oscar", "oscars", True),
    ("fire", "fir", True),             # trigger_key("fired")
    ("host", "hostage", False),        # too short to share a stem of 5 letters
    ("arrest", "attack", False),
])
def test_similar_triggers_joins_one_word_family(left, right, similar):
    from newstrace.link.events import similar_triggers

    assert similar_triggers(left, right) == similar
