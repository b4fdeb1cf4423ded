"""The per-document pipeline: sentences never run across a paragraph break."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newstrace.model import Record
from newstrace.nlp.model import paragraph_breaks
from newstrace.nlp.text import find_paragraph_breaks
from newstrace.pipeline import add_sentences, process

HEADLINE_STORY = "Local Opposition Leader Beaten With Baseball Bat\n\nThe leader was taken to hospital on Monday."


@pytest.mark.parametrize("text, starts", [
    ("Local opposition leader beaten\n\nThe leader was taken to hospital.", ["The leader"]),
    ("Local opposition leader beaten\n  \n  The leader was taken to hospital.", ["The leader"]),
    ("Police Arrest Five Activists\nThe arrests came on Monday.", ["The arrests"]),
    ("It rained.\nSubhead Without Stop\nThe story goes on.", ["The story"]),
    ("By Jane Doe\nLONDON - Talks resumed on Monday.\n\nThey ended at noon.", ["LONDON", "They ended"]),
    ("Mr. Smith met Dr. Jones in Washington on Monday.", []),
    ("One sentence ends.\nAnother one follows.", []),
    # hard-wrapped prose: line breaks fall mid-sentence, so they are no paragraph breaks
    ("The minister said on Monday that the\nGovernment would not resign before\nThe Hague court ruled.", []),
    ("Text ends with a blank line\n\n", []),
])
def test_find_paragraph_breaks_starts_a_sentence_after_blank_lines_and_headings(text, starts):
    assert [text[offset:offset + len(s)] for offset, s in zip(find_paragraph_breaks(text), starts)] == starts
    assert len(find_paragraph_breaks(text)) == len(starts)


def test_paragraph_breaks_marks_the_token_after_a_blank_line_without_a_model():
    words = ["Opposition", "leader", "beaten", "\n\n", "The", "leader", "was", "hurt", "."]
    spaces = [True, True, False, False, True, True, True, False, False]
    doc = paragraph_breaks(Doc(Vocab(), words=words, spaces=spaces))
    assert [t.text for t in doc if t.is_sent_start] == ["Opposition", "The"]


def test_add_sentences_ends_a_headline_without_full_stop_at_the_blank_line(make_doc):
    doc, parse = make_doc(HEADLINE_STORY)
    add_sentences(doc, parse)
    assert [doc.text[s:e].strip() for s, e in doc.sentences] == [
        "Local Opposition Leader Beaten With Baseball Bat", "The leader was taken to hospital on Monday."]
    lead = HEADLINE_STORY.index("The leader")
    assert all((t.idx < lead) == (t.head.idx < lead) for t in parse)  # no arc crosses the break


@pytest.mark.parametrize("text", [
    "Police Arrest Five Opposition Activists in Capital\nThe arrests came on Monday.",
    "Local opposition leader beaten with baseball bat\n \nThe leader was taken to hospital.",
])
def test_add_sentences_ends_a_heading_line_at_its_line_break(make_doc, text):
    doc, parse = make_doc(text)
    assert len(add_sentences(doc, parse).sentences) == 2


def test_add_sentences_keeps_mr_smith_in_one_sentence(make_doc):
    text = "Mr. Smith told reporters in Washington that the talks would resume on Monday."
    doc, parse = make_doc(text)
    assert add_sentences(doc, parse).sentences == [[0, len(text)]]


def test_process_sentences_cover_the_text_in_order_with_exact_offsets():
    body = "Ecuador and Chad Establish Diplomatic Ties\n\nThe two countries will open embassies.\n\nMr. Smith welcomed it."
    doc = process(Record(source="test.txt", body=body, title="Ties"))
    assert doc.sentences[0][0] == 0 and doc.sentences[-1][1] == len(doc.text)
    assert all(a[1] == b[0] for a, b in zip(doc.sentences, doc.sentences[1:]))
    assert [doc.text[s:e].strip() for s, e in doc.sentences] == [
        "Ecuador and Chad Establish Diplomatic Ties", "The two countries will open embassies.", "Mr. Smith welcomed it."]


def test_the_stage_order_is_checked_from_the_declarations():
    from newstrace.extract import REGISTRY, check_order

    check_order(REGISTRY[name] for name in ("entities", "times", "quotes", "attributions", "figures", "events"))
    with pytest.raises(RuntimeError, match="events needs"):
        check_order(REGISTRY[name] for name in ("entities", "events"))
