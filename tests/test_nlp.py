"""newstrace.nlp: the document index (stand-off spans over one text) and the parse made ready before the stages."""
from __future__ import annotations

import pytest

from newstrace.nlp import document_index, prepare, repaired
from newstrace.nlp.index import build_index, find_dateline
from newstrace.nlp.text import ends_sentence, is_headline_like, line_spans, paragraph_spans

STORY = "Police Arrest Five Activists\n\nISTANBUL (Reuters) - Police arrested five activists.\nThey were freed.\n\nTalks resume."


def test_build_index_layers_are_sorted_spans_of_the_one_text():
    index = build_index(STORY, [(0, 30), (30, 84), (84, 101), (101, len(STORY))])
    for name in ("lines", "paragraphs", "sentences", "title_lines"):
        spans = index.layer(name)
        assert list(spans) == sorted(spans)
        assert all(0 <= a <= b <= len(STORY) for a, b in spans)
    assert [index.text_of(p) for p in index.paragraphs] == [
        "Police Arrest Five Activists", "ISTANBUL (Reuters) - Police arrested five activists.\nThey were freed.", "Talks resume."]
    assert [index.text_of(line) for line in index.lines][1:3] == ["ISTANBUL (Reuters) - Police arrested five activists.", "They were freed."]
    assert index.text_of(index.sentences[0]) == "Police Arrest Five Activists"  # cut at the blank line, no whitespace
    assert index.text_of(index.headline) == index.text_of(index.title_lines[0]) == "Police Arrest Five Activists"
    assert index.text_of(index.dateline) == "ISTANBUL (Reuters) -"


def test_build_index_covering_and_covered_find_spans_by_offset():
    index = build_index(STORY)
    second = index.paragraphs[1]
    assert index.covering("paragraphs", second[0] + 3) == second
    assert index.covering("paragraphs", 29) is None  # in the blank line
    assert [index.text_of(s) for s in index.covered("lines", *second)] == [
        "ISTANBUL (Reuters) - Police arrested five activists.", "They were freed."]
    with pytest.raises(KeyError):
        index.layer("words")


@pytest.mark.parametrize("text, expected", [
    ("ISTANBUL (Reuters) - Turkey said on Monday ...", "ISTANBUL (Reuters) -"),
    ("WASHINGTON — The Senate voted ...", "WASHINGTON —"),
    ("GAZA CITY, Oct 7 (AP) — Militants fired rockets ...", "GAZA CITY, Oct 7 (AP) —"),
    ("Rebels Take Town\n\nKABUL, Afghanistan (AP) -- Rebels took the town.", "KABUL, Afghanistan (AP) --"),
    ("The Senate voted - narrowly - on Monday.", None),
    ("US officials said on Monday ...", None),
])
def test_find_dateline_at_the_start_of_the_text_or_after_the_headline(text, expected):
    paragraphs = paragraph_spans(text)
    headline = paragraphs[0] if is_headline_like(text[slice(*paragraphs[0])]) else None
    span = find_dateline(text, paragraphs, headline)
    assert (text[span[0]:span[1]] if span else None) == expected


@pytest.mark.parametrize("line, expected", [
    ("Police Arrest Five Activists", True),
    ('Minister quits over "lies"', True),
    ("Is Using the Snooze Button Bad for You?", False),
    ("The talks ended.", False),
    ('He said "go."', False),
    ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone", False),
])
def test_is_headline_like_is_one_short_line_that_ends_no_sentence(line, expected):
    assert is_headline_like(line) is expected
    assert ends_sentence(line) is (not expected and line.endswith(('.', '?', '."')))


def test_line_spans_are_the_text_between_line_breaks():
    text = "a\n\nb\nc"
    assert [text[a:b] for a, b in line_spans(text)] == ["a", "b", "c"]


def test_prepare_attaches_one_index_and_the_repaired_parse(nlp):
    parse = prepare(nlp("Ecuador and Chad Establish Diplomatic Ties\n\nThe two countries will open embassies."), nlp)
    fixed = repaired(parse)
    assert fixed is not parse and "establish diplomatic ties" in fixed.text and fixed.text.lower() == parse.text.lower()
    assert document_index(parse) is document_index(fixed) is parse._.index
    assert repaired(fixed) is fixed and repaired(parse) is fixed
    plain = prepare(nlp("The two countries will open embassies."), nlp)
    assert repaired(plain) is plain
