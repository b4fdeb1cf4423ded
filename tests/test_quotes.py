"""The quotes layer: quotation marks paired into quotes, and each quote's speaker and cue."""
from __future__ import annotations

import pytest

from newstrace.extract.entities import add_entities
from newstrace.extract.quotes import add_quotes, find_quote_spans


def spans_of(text):
    return [(text[q.start:q.end], q.parent) for q in find_quote_spans(text)]


def quotes_of(make_doc, text):
    doc, parse = make_doc(text)
    add_entities(doc, parse)
    return add_quotes(doc, parse).quotes


def quote_over(quotes, words):
    hits = [q for q in quotes if words in q["text"]]
    assert hits, f"no quote holds {words!r}: {[q['text'] for q in quotes]}"
    return hits[-1]


def speaker_text(quote):
    return quote["speaker"]["text"] if quote["speaker"] else None


# -- finding quotes -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Members of Hamas ' political bureau met with Turkish officials.",
    "Turkish officials question Hamas' strategy and its 'allies.",
    "Turkey’s officials say it won’t end at 1-1.",
    "The writer posed pointed questions about Hamas’ motivations and Hamas’ allies.",
    "Rock ’n’ roll came back in the ’90s.",
])
def test_find_quote_spans_never_makes_a_quote_of_apostrophes(text):
    assert spans_of(text) == []


@pytest.mark.parametrize("text, expected", [
    ("“What victory are you celebrating?” the report read.", [("What victory are you celebrating?", None)]),
    ('Members reportedly shouted "Allahu Akbar" and celebrated.', [("Allahu Akbar", None)]),
    ('He said: "We are leaving." She said: "We stay."', [("We are leaving.", None), ("We stay.", None)]),
    ("Its leader spoke of ‘a new phase in the war’ on Monday.", [("a new phase in the war", None)]),
])
def test_find_quote_spans_reads_straight_and_curly_marks(text, expected):
    assert spans_of(text) == expected


@pytest.mark.parametrize("text, outer, inner", [
    ("“I kept shouting internally, ‘My friends, what victory is this?’”",
     "I kept shouting internally, ‘My friends, what victory is this?’", "My friends, what victory is this?"),
    ("“His successors now say, ‘We won’t allow further actions against Israel.’ It is over.”",
     "His successors now say, ‘We won’t allow further actions against Israel.’ It is over.",
     "We won’t allow further actions against Israel."),
    ('"He told me: “Stop now.” Then he left," she said.', "He told me: “Stop now.” Then he left,", "Stop now."),
    ("“They wrote ‘the Hamas’ leaders are gone’ in the letter.”",
     "They wrote ‘the Hamas’ leaders are gone’ in the letter.", "the Hamas’ leaders are gone"),
])
def test_find_quote_spans_nests_inner_quotes(text, outer, inner):
    assert spans_of(text) == [(outer, None), (inner, 0)]


def test_find_quote_spans_runs_a_quote_over_paragraphs_that_reopen_it():
    text = "The minister said:\n\n“We will rebuild the port.\n\n“We will rebuild the schools,” she added.\n\nThen she left."
    (quote, parent), = spans_of(text)
    assert quote.startswith("We will rebuild the port.") and quote.endswith("We will rebuild the schools,")
    assert parent is None


def test_find_quote_spans_ends_an_unclosed_quote_with_its_paragraph():
    text = "She said: “We will rebuild the port.\n\nThe minister then left for Doha."
    assert spans_of(text) == [("We will rebuild the port.", None)]


# -- speakers ---------------------------------------------------------------

@pytest.mark.parametrize("text, words, speaker, cue", [
    ("“What victory are you celebrating?” the report read.", "What victory", "the report", "read"),
    ("“We will win this war,” said Jane Smith on Monday.", "We will win", "Jane Smith", "said"),
    ("The Turkish official persisted: “Do you have a strategy for what comes next?”", "Do you have",
     "The Turkish official", "persisted"),
    ("Addressing Hamas directly, the author added: “Don’t you see the devastation behind you?”", "Don’t you see",
     "the author", "added"),
    ("A senior intelligence officer reportedly asked the delegates: “What is the next step?”", "next step",
     "A senior intelligence officer", "asked"),
    ('As news of the assault unfolded, members of the Hamas delegation reportedly shouted "Allahu Akbar" and celebrated.',
     "Allahu Akbar", "members of the Hamas delegation", "shouted"),
    ("The ministry’s message was reportedly clear: “Do not place too much trust in Iran.”", "Do not place",
     "The ministry", "was"),
    ("According to the report, “the talks failed within an hour.”", "the talks failed", "the report", None),
])
def test_add_quotes_takes_the_speaker_from_the_frame(make_doc, text, words, speaker, cue):
    quote = quote_over(quotes_of(make_doc, text), words)
    assert speaker_text(quote) == speaker
    assert (quote["cue"]["text"] if quote["cue"] else None) == cue


@pytest.mark.parametrize("text, words, speaker, cue", [
    ("Bill Clinton criticized the Affordable Care Act as a “crazy system” on Tuesday.", "crazy system",
     "Bill Clinton", "criticized"),
    ("At a rally, Trump likened the refugees to a “vicious snake”.", "vicious snake", "Trump", "likened"),
    ("Said Ellis: “I don’t get the sense she is worried.”", "I don’t get", "Ellis", "Said"),
])
def test_add_quotes_finds_characterising_and_inverted_frames(make_doc, text, words, speaker, cue):
    quote = quote_over(quotes_of(make_doc, text), words)
    assert speaker_text(quote) == speaker
    assert quote["cue"]["text"] == cue


def test_add_quotes_does_not_take_so_called_for_a_speech_verb(make_doc):
    text = "The so-called “peace plan” was rejected by both sides."
    quote = quote_over(quotes_of(make_doc, text), "peace plan")
    assert quote["speaker"] is None and quote["cue"] is None


def test_add_quotes_links_a_named_speaker_to_its_entity(make_doc):
    text = "“We will win this war,” said Benjamin Netanyahu on Monday."
    doc, parse = make_doc(text)
    add_entities(doc, parse)
    quote, = add_quotes(doc, parse).quotes
    entity = next(e for e in doc.entities if e["id"] == quote["speaker"]["entity"])
    assert entity["name"] == "Benjamin Netanyahu"


@pytest.mark.parametrize("text, words", [
    ("“Peace now” banners hung from the windows of the old town.", "Peace now"),
    ("The numbers are stark: “Ninety percent of homes are in ruins.”", "Ninety percent"),
    ("The message was clear: “Do not trust them.”", "Do not trust"),
])
def test_add_quotes_leaves_the_speaker_null_when_the_text_does_not_tell(make_doc, text, words):
    assert quote_over(quotes_of(make_doc, text), words)["speaker"] is None


@pytest.mark.parametrize("text, words, speaker, pronoun", [
    ("The article’s author offered an unflinching critique of the war. He revealed that he had known for months. "
     "“I watched for minutes as masked men celebrated,” he wrote.", "I watched", "The article’s author", "he"),
    ("The writer posed pointed questions about the war: “Why did you do it?”\n\n"
     "He continued his condemnation: “Tell me, did you gain anything?”", "Tell me", "The writer", "He"),
    ("The report was published on Monday. “The talks have failed,” it said.", "The talks", "The report", "it"),
])
def test_add_quotes_resolves_a_pronoun_to_the_nearest_compatible_source(make_doc, text, words, speaker, pronoun):
    quote = quote_over(quotes_of(make_doc, text), words)
    assert speaker_text(quote) == speaker
    assert quote["speaker"]["pronoun"]["text"] == pronoun


def test_add_quotes_takes_a_nested_speaker_from_inside_the_enclosing_quote(make_doc):
    text = ("The author continued: “Assad has fled. His successors now say, ‘We won’t allow further actions "
            "against Israel from Syria.’ What kind of victory is this?”")
    quotes = quotes_of(make_doc, text)
    outer, inner = quote_over(quotes, "Assad has fled"), quote_over(quotes, "We won’t allow")
    assert inner["nested_in"] == outer["id"] and outer["nested_in"] is None
    assert speaker_text(outer) == "The author"
    assert speaker_text(inner) == "His successors"


def test_add_quotes_gives_first_person_in_a_quote_the_quote_s_speaker(make_doc):
    text = "“I kept shouting internally, ‘My friends, what victory is this?’” the author wrote."
    inner = quote_over(quotes_of(make_doc, text), "My friends")
    assert inner["nested_in"] is not None
    assert speaker_text(inner) == "the author"


@pytest.mark.parametrize("text, words, speaker", [
    ("Maria Lopez spoke in Madrid. “We are ready,” she said. “The talks start today.”", "The talks start",
     "Maria Lopez"),
    ("The minister called the plan “reckless” and “dangerous” on Monday.", "dangerous", "The minister"),
    ("The article concluded with a stark warning. “Be sure that the world is watching.”", "Be sure",
     "The article"),
    ("“He is not fit to lead.” ― Jane Doe", "not fit to lead", "Jane Doe"),
    ("Caddell continued:\n\n“The health issue is a partisan issue.”", "health issue", "Caddell"),
])
def test_add_quotes_carries_a_speaker_to_quotes_without_a_frame_of_their_own(make_doc, text, words, speaker):
    assert speaker_text(quote_over(quotes_of(make_doc, text), words)) == speaker


def test_add_quotes_does_not_cross_into_another_speaker_s_clause(make_doc):
    text = "“You winning?” she said, but Kevin was drifting off again, and as Trump went on about “how the system is rigged,” nobody listened."
    assert speaker_text(quote_over(quotes_of(make_doc, text), "system is rigged")) not in ("she", "Kevin")


def test_add_quotes_spans_match_the_text_and_ids_run_in_order(make_doc):
    text = ("“What victory are you celebrating? You murdered 1,200 people,” the report read. Members of Hamas ' "
            "political bureau reportedly shouted \"Allahu Akbar\". The author added: “I kept shouting, ‘My friends, "
            "what victory is this?’”\n\n“Don’t you see the devastation?\n\n“Forty-six thousand people are dead.”")
    doc, parse = make_doc(text)
    add_entities(doc, parse)
    add_quotes(doc, parse)
    assert [q["id"] for q in doc.quotes] == [f"q{k}" for k in range(1, len(doc.quotes) + 1)]
    for quote in doc.quotes:
        assert doc.text[quote["start"]:quote["end"]] == quote["text"]
        for part in (quote["speaker"], quote["cue"], (quote["speaker"] or {}).get("pronoun")):
            if part:
                assert doc.text[part["start"]:part["end"]] == part["text"]
        assert doc.text[quote["start"] - 1] in "“\"‘"  # the opening mark is left out
