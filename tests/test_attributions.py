"""The attributions layer on small hand-made sentences."""
from __future__ import annotations

import pytest

from newstrace.extract.attributions import add_attributions


def attributions_of(make_doc, text, times=(), quotes=(), outlet=None):
    """Run the stage on `text`; `times` are (anchor, value) pairs standing in for the times layer."""
    doc, parse = make_doc(text)
    doc.outlet = outlet
    doc.times = []
    for n, (anchor, value) in enumerate(times, 1):
        start = text.index(anchor)
        doc.times.append(doc.span(start, start + len(anchor), id=f"t{n}", type="DATE", value=value, mod=None))
    doc.quotes = list(quotes)
    return add_attributions(doc, parse)


def only(doc, cue):
    hits = [a for a in doc.attributions if a["cue"]["text"] == cue]
    assert len(hits) == 1, [(a["cue"]["text"], a["content"]["text"]) for a in doc.attributions]
    return hits[0]


@pytest.mark.parametrize("text, cue, source, content", [
    ("The minister said that the talks had failed.", "said", "The minister", "that the talks had failed"),
    ("Police told reporters the suspect had fled.", "told", "Police", "the suspect had fled"),
    ("The rebels claimed they had taken the town.", "claimed", "The rebels", "they had taken the town"),
    ("The agency stated that prices rose.", "stated", "The agency", "that prices rose"),
    ("Doctors warned that the hospital would run out of fuel.", "warned", "Doctors", "that the hospital would run out of fuel"),
    ("The army has learned that two soldiers are missing.", "has learned", "The army", "that two soldiers are missing"),
    ("The talks collapsed on Monday, the mediator said.", "said", "the mediator", "The talks collapsed on Monday"),
    ("The delegation, the article claims, did not respond.", "claims", "the article", "The delegation, the article claims, did not respond"),
    ("Israeli television outlets reported the meeting.", "reported", "Israeli television outlets", "the meeting"),
    ("The article states that the officials stayed silent.", "states", "The article", "that the officials stayed silent"),
])
def test_add_attributions_finds_source_cue_and_content(make_doc, text, cue, source, content):
    record = only(attributions_of(make_doc, text), cue)
    assert record["source"]["text"] == source
    assert record["content"]["text"] == content


@pytest.mark.parametrize("text, source, kind", [
    ("According to the article, the delegation arrived at noon.", "the article", "document"),
    ("According to unnamed sources, the delegation arrived at noon.", "unnamed sources", "anonymous"),
    ("According to Reuters, the delegation arrived at noon.", "Reuters", "outlet"),
])
def test_add_attributions_reads_according_to(make_doc, text, source, kind):
    record = only(attributions_of(make_doc, text), "According to")
    assert record["source"]["text"] == source
    assert record["source_kind"] == kind
    assert record["content"]["text"] == "the delegation arrived at noon"


@pytest.mark.parametrize("text, cue, kind", [
    ("Turkish news outlet 10HABER reported that the meeting took place.", "reported", "outlet"),
    ("The newspaper reported that the meeting took place.", "reported", "outlet"),
    ("The foreign minister said that the meeting took place.", "said", "official"),
    ("Ronen Bar, head of the security service, said that the meeting took place.", "said", "official"),
    ("A spokesperson said that the meeting took place.", "said", "official"),
    ("Officials who asked not to be named said that the meeting took place.", "said", "anonymous"),
    ("A source familiar with the talks said that the meeting took place.", "said", "anonymous"),
    ("The report said that the meeting took place.", "said", "document"),
    ("A statement said that the meeting took place.", "said", "document"),
    ("Analysts said that the meeting took place.", "said", "group"),
    ("He said that the meeting took place.", "said", "person"),
])
def test_add_attributions_classifies_the_source(make_doc, text, cue, kind):
    assert only(attributions_of(make_doc, text), cue)["source_kind"] == kind


def test_add_attributions_takes_when_from_the_reporting_clause(make_doc):
    text = "Hamas officials met in Istanbul, Turkish news outlet 10HABER reported on Tuesday."
    record = only(attributions_of(make_doc, text, times=[("Tuesday", "2025-01-21")]), "reported")
    assert record["when"] == "t1"
    assert record["content"]["text"] == "Hamas officials met in Istanbul"
    assert record["source_kind"] == "outlet"
    assert record["hedged"] is False


def test_add_attributions_ignores_a_time_inside_the_content(make_doc):
    text = "The minister said that the talks failed on Tuesday."
    record = only(attributions_of(make_doc, text, times=[("Tuesday", "2025-01-21")]), "said")
    assert record["when"] is None


def test_add_attributions_indicated_in_early_december_has_when(make_doc):
    text = "Ronen Bar indicated in early December that Israel would pursue Hamas leaders."
    record = only(attributions_of(make_doc, text, times=[("early December", "XXXX-12")]), "indicated")
    assert record["when"] == "t1"
    assert record["content"]["text"] == "that Israel would pursue Hamas leaders"


def test_add_attributions_citing_unnamed_sources_goes_in_via(make_doc):
    text = "Israeli television outlets reported the meeting, citing unnamed sources."
    record = only(attributions_of(make_doc, text), "reported")
    assert [(v["text"], v["source_kind"]) for v in record["via"]] == [("unnamed sources", "anonymous")]
    assert not any(a["cue"]["text"] == "citing" for a in attributions_of(make_doc, text).attributions)


@pytest.mark.parametrize("text, cue", [
    ("He reportedly traveled to Istanbul from Beirut.", "reportedly"),
    ("The commander allegedly ordered the strike.", "allegedly"),
    ("Turkish officials were said to have remained silent.", "were said"),
    ("The leader is believed to have fled the city.", "is believed"),
    ("The delegation, the article claims, did not respond.", "claims"),
    ("A senior officer reportedly asked the delegates what came next.", "asked"),
])
def test_add_attributions_marks_hedges(make_doc, text, cue):
    record = only(attributions_of(make_doc, text), cue)
    assert record["hedged"] is True


def test_add_attributions_hedge_alone_has_unknown_source_or_the_outlet(make_doc):
    text = "He reportedly traveled to Istanbul from Beirut."
    record = only(attributions_of(make_doc, text), "reportedly")
    assert record["source"] == {"text": None, "entity": None, "start": None, "end": None}
    assert record["source_kind"] == "unknown"
    assert record["content"]["text"] == "He reportedly traveled to Istanbul from Beirut"
    with_outlet = only(attributions_of(make_doc, text, outlet="Daily Sabah"), "reportedly")
    assert (with_outlet["source"]["text"], with_outlet["source_kind"]) == ("Daily Sabah", "outlet")


@pytest.mark.parametrize("text, cue", [
    ("The ministry denied that troops had entered the town.", "denied"),
    ("The army disputed the figures.", "disputed"),
    ("These revelations, while contested by some regional media, signal a shift.", "contested"),
])
def test_add_attributions_marks_contested(make_doc, text, cue):
    assert only(attributions_of(make_doc, text), cue)["contested"] is True


def test_add_attributions_contested_participle_names_its_agent(make_doc):
    text = "These revelations, while contested by some regional media, signal a shift."
    record = only(attributions_of(make_doc, text), "contested")
    assert (record["source"]["text"], record["source_kind"]) == ("some regional media", "outlet")
    assert record["content"]["text"] == "These revelations"


@pytest.mark.parametrize("text", [
    "MIT officials maintained silence during the meeting.",
    "Regional alliances continue to influence the conflict.",
    "We know Netanyahu and Israel.",
    "The absence of coverage added a layer of ambiguity.",
    "Members of the delegation met with officials in Ankara.",
    "It is said with some irony.",
])
def test_add_attributions_skips_reporting_verbs_without_reported_content(make_doc, text):
    assert attributions_of(make_doc, text).attributions == []


def test_add_attributions_relative_pronoun_source_is_its_antecedent(make_doc):
    record = only(attributions_of(make_doc, "Smith, who said that the vote was rigged, resigned."), "said")
    assert record["source"]["text"] == "Smith"


def test_add_attributions_widens_content_over_the_whole_quote(make_doc):
    text = "“I watched for minutes. I stared in disbelief,” he wrote."
    doc, _ = make_doc(text)
    quote = doc.span(1, text.index("”") - 1, id="q1", speaker=None, cue=None, nested_in=None)
    record = only(attributions_of(make_doc, text, quotes=[quote]), "wrote")
    assert record["content"]["text"] == "I watched for minutes. I stared in disbelief"


def test_add_attributions_turns_a_quote_with_a_speaker_into_one(make_doc):
    text = "The official persisted: “Israel will not stop.”"
    doc, _ = make_doc(text)
    start = text.index("Israel")
    speaker = doc.span(0, len("The official"), entity=None)
    cue = doc.span(text.index("persisted"), text.index("persisted") + len("persisted"))
    quote = doc.span(start, text.index("”"), id="q1", speaker=speaker, cue=cue, nested_in=None)
    record = only(attributions_of(make_doc, text, quotes=[quote]), "persisted")
    assert record["content"]["text"] == "Israel will not stop."
    assert record["source_kind"] == "official"


def test_add_attributions_ids_follow_text_order_and_spans_match_text(make_doc):
    text = ("According to the article, the delegation arrived. He reportedly traveled to Istanbul. "
            "Analysts said that the gathering aimed to reinforce unity, citing unnamed sources.")
    doc = attributions_of(make_doc, text)
    assert [a["id"] for a in doc.attributions] == [f"a{n}" for n in range(1, len(doc.attributions) + 1)]
    starts = [a["cue"]["start"] for a in doc.attributions]
    assert starts == sorted(starts)
    for record in doc.attributions:
        for part in [record["cue"], record["content"], record["source"], *record["via"]]:
            if part.get("start") is not None:
                assert doc.text[part["start"]:part["end"]] == part["text"]


@pytest.mark.parametrize("text, cue, content", [
    ("The senator called for a ceasefire in Gaza.", "called for", "a ceasefire in Gaza"),
    ("The mayor criticized the police for the raid.", "criticized", "the police for the raid"),
    ("The minister called the report a fabrication.", "called", "the report a fabrication"),
    ("The author added: the war is over now.", "added", "the war is over now"),
    ("Rights groups warned of a famine in the north.", "warned of", "a famine in the north"),
])
def test_add_attributions_reads_noun_and_preposition_contents(make_doc, text, cue, content):
    assert only(attributions_of(make_doc, text), cue)["content"]["text"] == content


def test_add_attributions_takes_an_adjacent_quote_as_content(make_doc):
    text = "“We will rebuild the town.” The mayor said so on Monday."
    doc, _ = make_doc(text)
    quote = doc.span(1, text.index("”"), id="q1", speaker=None, cue=None, nested_in=None)
    record = only(attributions_of(make_doc, text, quotes=[quote]), "said")
    assert record["content"]["text"] == "We will rebuild the town."


@pytest.mark.parametrize("text, source, content", [
    ("WALLACE: Will she be there?\nPENCE: She will not attend.\nWALLACE: Thank you.", "PENCE", "She will not attend."),
])
def test_add_attributions_reads_transcript_speaker_labels(make_doc, text, source, content):
    doc = attributions_of(make_doc, text)
    record = next(a for a in doc.attributions if a["source"]["text"] == source)
    assert (record["cue"]["text"], record["content"]["text"]) == (":", content)


def test_add_attributions_a_capitalised_word_and_colon_alone_is_no_label(make_doc):
    assert attributions_of(make_doc, "UPDATE: The road has reopened.").attributions == []


@pytest.mark.parametrize("text, cue, source, content", [
    ("Lawmakers have not said when they would vote on the bill.", "have not said", "Lawmakers", "when they would vote on the bill"),
    ("The talks stalled, officials say.", "say", "officials", "The talks stalled"),
])
def test_add_attributions_reads_wh_clauses_and_trailing_reporting_clauses(make_doc, text, cue, source, content):
    record = only(attributions_of(make_doc, text), cue)
    assert (record["source"]["text"], record["content"]["text"]) == (source, content)
