"""The entities layer: NER mapped to the contract's types, trimmed, and grouped per canonical name."""
from __future__ import annotations

import pytest

from newstrace.extract.entities import Mention, add_entities, fold, group_mentions, skeleton


def entities_of(make_doc, text):
    doc, parse = make_doc(text)
    return add_entities(doc, parse).entities


def entity_with_mention(entities, mention_text):
    hits = [e for e in entities if any(m["text"] == mention_text for m in e["mentions"])]
    assert hits, f"no entity has the mention {mention_text!r}: {[(e['name'], e['type']) for e in entities]}"
    return hits[0]


@pytest.mark.parametrize("a, b", [
    ("Salih al-Aruri", "Saleh al-Arouri"),
    ("Khaled Meshaal", "Khalid Mishal"),
    ("Muhammad Deif", "Mohammed Deif"),
])
def test_skeleton_folds_transliteration_variants(a, b):
    assert skeleton(a) is not None and skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a, b", [
    ("Hansen", "Hanson"),  # one word: too little to tell a variant from another person
    ("Oman", "Amman"),
])
def test_skeleton_leaves_one_word_names_to_exact_matching(a, b):
    assert skeleton(a) is None and skeleton(b) is None


@pytest.mark.parametrize("name, folded", [
    ("Erdoğan", "erdogan"),
    ("Erdoğan’s", "erdogan"),
    ("Hamas'", "hamas"),
    ("GAZA", "gaza"),
])
def test_fold_drops_accents_case_and_possessives(name, folded):
    assert fold(name) == folded


def test_add_entities_keeps_only_contract_types(make_doc):
    entities = entities_of(make_doc, "Benjamin Netanyahu flew to Paris on Tuesday with 40 aides from the Israeli government.")
    assert {e["type"] for e in entities} <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
    assert not any(m["text"] in ("Tuesday", "40") for e in entities for m in e["mentions"])


def test_add_entities_points_a_surname_to_the_full_name_in_the_text(make_doc):
    entities = entities_of(make_doc, "Benjamin Netanyahu met his cabinet on Sunday. Later that day, Netanyahu spoke to reporters.")
    person = entity_with_mention(entities, "Netanyahu")
    assert person["name"] == "Benjamin Netanyahu"
    assert [m["text"] for m in person["mentions"]] == ["Benjamin Netanyahu", "Netanyahu"]


def test_add_entities_keeps_a_surname_as_written_without_the_full_name(make_doc):
    entities = entities_of(make_doc, "The war will go on, Netanyahu told reporters in Jerusalem.")
    person = entity_with_mention(entities, "Netanyahu")
    assert person["type"] == "PERSON"
    assert person["name"] == "Netanyahu"


def test_add_entities_ties_an_acronym_to_its_expansion(make_doc):
    text = ("The delegation arrived at the headquarters of Turkey’s National Intelligence Organization (MIT) "
            "in Istanbul. MIT officials maintained silence.")
    entities = entities_of(make_doc, text)
    org = entity_with_mention(entities, "National Intelligence Organization")
    assert org["type"] == "ORG"
    assert org["name"] == "National Intelligence Organization"
    assert "MIT" in org["aliases"]
    assert [m["text"] for m in org["mentions"]].count("MIT") == 2


def test_add_entities_folds_accents(make_doc):
    entities = entities_of(make_doc, "President Recep Tayyip Erdoğan spoke in Ankara. Erdogan later flew to Doha.")
    person = entity_with_mention(entities, "Erdogan")
    assert person["name"] == "Recep Tayyip Erdoğan"
    assert {"Recep Tayyip Erdoğan", "Erdogan"} <= {m["text"] for m in person["mentions"]}


def test_add_entities_folds_transliteration_variants(make_doc):
    entities = entities_of(make_doc, "Salih al-Aruri led the talks in Istanbul. Saleh al-Arouri later returned to Beirut.")
    person = entity_with_mention(entities, "Salih al-Aruri")
    assert "Saleh al-Arouri" in [m["text"] for m in person["mentions"]]


def test_add_entities_groups_alias_table_variants_and_keeps_the_written_name(make_doc):
    entities = entities_of(make_doc, "Hizbollah fired rockets at Israel on Monday. Hezbollah said the strikes would go on.")
    org = entity_with_mention(entities, "Hizbollah")
    assert org["type"] == "ORG"
    assert {m["text"] for m in org["mentions"]} == {"Hizbollah", "Hezbollah"}
    assert org["name"] in ("Hizbollah", "Hezbollah")


@pytest.mark.parametrize("text, mention", [
    ("Fighters withdrew from the Gaza Strip on Monday.", "Gaza Strip"),  # no determiner in the span
    ("Analysts question Hamas’ strategy after the war.", "Hamas"),  # no possessive mark
])
def test_add_entities_trims_determiners_and_possessives(make_doc, text, mention):
    entities = entities_of(make_doc, text)
    assert entity_with_mention(entities, mention)


def test_add_entities_drops_spans_without_a_capital(make_doc):
    entities = entities_of(make_doc, "Israel won’t leave the score at 1-1. It won’t end at 2-1.")
    assert all(any(c.isupper() for c in m["text"]) for e in entities for m in e["mentions"])


@pytest.mark.parametrize("text, outlet", [
    ("Turkish news outlet 10HABER reported on Tuesday that the meeting took place.", "10HABER"),
    ("The daily Yedioth reported that the talks had failed.", "Yedioth"),
])
def test_add_entities_recovers_outlets_beside_a_media_noun(make_doc, text, outlet):
    org = entity_with_mention(entities_of(make_doc, text), outlet)
    assert org["type"] == "ORG"


def test_add_entities_does_not_take_a_weekday_for_an_outlet(make_doc):
    entities = entities_of(make_doc, "The outlet Tuesday reported that the meeting took place.")
    assert not any(m["text"] == "Tuesday" for e in entities for m in e["mentions"])


def test_add_entities_numbers_entities_in_order_and_every_span_matches_the_text(make_doc):
    text = ("Members of Hamas ' political bureau met with Turkish intelligence officials in Istanbul, "
            "Turkish news outlet 10HABER reported. Hamas’ delegation had no plan, MIT officials said.")
    doc, parse = make_doc(text)
    add_entities(doc, parse)
    assert [e["id"] for e in doc.entities] == [f"e{k}" for k in range(1, len(doc.entities) + 1)]
    starts = [e["mentions"][0]["start"] for e in doc.entities]
    assert starts == sorted(starts)
    for entity in doc.entities:
        assert entity["global_id"] is None
        for mention in entity["mentions"]:
            assert doc.text[mention["start"]:mention["end"]] == mention["text"]


def test_group_mentions_keeps_a_surname_shared_by_two_full_names_as_written(nlp):
    text = "Donald Trump spoke in Ohio. Ivanka Trump spoke in Iowa. On Monday, Trump left."
    parse = nlp(text)
    mentions = []
    for form, start in (("Donald Trump", 0), ("Ivanka Trump", text.index("Ivanka")), ("Trump", text.rindex("Trump"))):
        span = parse.char_span(start, start + len(form))
        mentions.append(Mention(span.start_char, span.end_char, span.text, "PERSON", (span.start, span.end)))
    groups = group_mentions(text, parse, mentions)
    assert sorted(len(g.mentions) for g in groups) == [1, 1, 1]


def test_add_entities_joins_an_organisation_s_leading_words_to_its_full_name(make_doc):
    text = ("Ronen Bar, head of Israel’s Shin Bet General Security Service, spoke on Monday. "
            "The Shin Bet declined to comment further.")
    org = entity_with_mention(entities_of(make_doc, text), "Shin Bet General Security Service")
    assert {m["text"] for m in org["mentions"]} == {"Shin Bet General Security Service", "Shin Bet"}
