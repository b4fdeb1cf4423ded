"""Copies across reports: each decision kind and the clues to the likely original."""
from __future__ import annotations

import pytest

from newstrace.clean import clean
from newstrace.link import text as lt
from newstrace.link.copies import compare, likely_original
from newstrace.model import Record

STORY = (
    "Flood waters swept through the river town of Kessel on Tuesday, forcing hundreds of families from their homes.\n\n"
    "The regional governor said rescue teams had pulled 40 people from rooftops overnight.\n\n"
    "Officials at the weather service warned that more heavy rain was expected across the valley this week.\n\n"
    "Schools and the main bridge into the town will stay closed until engineers inspect the damage."
)
REWRITE = (
    "Hundreds of families were forced out of their homes on Tuesday when flood waters swept through Kessel, a river town.\n\n"
    "Rescue teams pulled 40 people from rooftops overnight, the regional governor said.\n\n"
    "More heavy rain is expected across the valley this week, weather service officials warned.\n\n"
    "Until engineers inspect the damage, the main bridge into town and the schools will stay closed."
)
INDEPENDENT = (
    "Residents of Kessel waded through flood water on Wednesday, a day after the river burst its banks and drove families from their homes.\n\n"
    "\"We lost everything in the basement,\" said Marta Vos, a baker whose shop sits near the river.\n\n"
    "The regional governor toured the flooded town by boat, praised the rescue teams and promised money for repairs.\n\n"
    "Farmers in the valley said more rain would keep their fields under water for weeks."
)
UNRELATED = "The central bank raised its main interest rate by a quarter point, citing stubborn inflation in services."


def doc(body: str, source: str = "a.txt", title: str | None = "Floods hit Kessel", date: str | None = None):
    return clean(Record(source=source, body=body, title=title, date=date))


def test_compare_calls_a_retyped_copy_exact_and_the_earlier_report_the_original():
    a = doc(STORY, "a.txt", date="2024-03-05")
    b = doc(STORY.upper().replace(",", " ,"), "b.txt", date="2024-03-06")
    decision = compare(a, b)
    assert decision.kind == "exact_copy"
    assert decision.original == a.id
    assert "published first" in decision.reason


def test_compare_calls_a_copy_with_a_dropped_paragraph_a_near_copy_with_aligned_evidence():
    shorter = "\n\n".join(p for i, p in enumerate(STORY.split("\n\n")) if i != 2)
    a, b = doc(STORY, "a.txt"), doc(shorter, "b.txt")
    decision = compare(a, b)
    assert decision.kind == "near_copy"
    assert len(decision.evidence) == 3
    for pair in decision.evidence:
        assert a.text[pair["a"][0]:pair["a"][1]] == b.text[pair["b"][0]:pair["b"][1]]


def test_compare_calls_a_copy_with_changed_dates_a_near_copy():
    a, b = doc(STORY, "a.txt"), doc(STORY.replace("Tuesday", "Wednesday"), "b.txt")
    assert compare(a, b).kind == "near_copy"


def test_compare_calls_a_paraphrase_in_the_same_order_a_rewrite():
    decision = compare(doc(STORY, "a.txt"), doc(REWRITE, "b.txt"))
    assert decision is not None and decision.kind == "rewrite"
    assert len(decision.evidence) >= 3


def test_compare_calls_an_independent_report_of_the_same_event_the_same_story_never_a_copy():
    decision = compare(doc(STORY, "a.txt", date="2024-03-05"), doc(INDEPENDENT, "b.txt", date="2024-03-06"), shared_entities=2)
    assert decision is not None and decision.kind == "same_story"
    assert decision.original is None


def test_compare_calls_reports_sharing_a_statement_and_an_entity_the_same_story():
    a = doc(STORY, "a.txt", date="2024-03-05")
    b = doc(INDEPENDENT + "\n\nRescue teams had pulled 40 people from rooftops overnight, the regional governor said.", "b.txt", date="2024-03-05")
    decision = compare(a, b, shared_entities=1)
    assert decision.kind == "same_story"
    assert decision.evidence


@pytest.mark.parametrize("shared_entities, dates", [(0, ("2024-03-05", "2024-03-06")), (2, ("2024-03-05", "2024-04-20"))])
def test_compare_needs_shared_entities_and_close_dates_for_the_same_story(shared_entities, dates):
    a, b = doc(STORY, "a.txt", date=dates[0]), doc(INDEPENDENT, "b.txt", date=dates[1])
    assert compare(a, b, shared_entities=shared_entities) is None


def test_compare_links_nothing_between_unrelated_reports():
    assert compare(doc(STORY, "a.txt"), doc(UNRELATED, "b.txt", title=None), shared_entities=0) is None


def test_compare_calls_the_same_source_a_version():
    a, b = doc(STORY, "a.txt"), doc(STORY.replace("40", "45"), "a.txt")
    assert compare(a, b, same_source=True).kind == "version"


@pytest.mark.parametrize("a_kwargs, b_kwargs, original, clue", [
    ({"title": "Floods hit Kessel"}, {"title": "Revised: Floods hit Kessel"}, "a", "revised"),
    ({"date": "2024-03-05"}, {"date": None}, "a", "dropped the publication date"),
    ({"date": None}, {"date": "2024-03-05"}, "b", "dropped the publication date"),
])
def test_likely_original_reads_the_title_flag_and_the_dropped_date(a_kwargs, b_kwargs, original, clue):
    a, b = doc(STORY, "a.txt", **a_kwargs), doc(STORY, "b.txt", **b_kwargs)
    found, why = likely_original(a, b)
    assert found == {"a": a.id, "b": b.id}[original]
    assert clue in why


def test_likely_original_is_unknown_when_only_page_furniture_differs():
    """The trap of issue 17: a copy with the navigation stripped was named the original of the real page."""
    page = doc(STORY + "\n\nShare this article\n\nRead more", "page.txt")
    stripped = doc(STORY, "stripped.txt")
    assert page.boilerplate and not stripped.boilerplate
    for a, b in ((page, stripped), (stripped, page)):
        found, why = likely_original(a, b)
        assert found is None and "unknown" in why and "furniture, which tells nothing" in why


def test_likely_original_says_so_when_nothing_tells():
    found, why = likely_original(doc(STORY, "a.txt"), doc(STORY, "b.txt"))
    assert found is None and "nothing tells" in why


@pytest.mark.parametrize("title", ["UPDATE: Floods hit Kessel", "CORRECTED - Floods hit Kessel", "Revised: Floods hit Kessel"])
def test_likely_original_is_the_report_whose_title_has_no_revision_marker(title):
    a, b = doc(STORY, "a.txt", title="Floods hit Kessel", date="2024-03-05"), doc(STORY, "b.txt", title=title, date="2024-03-05")
    assert b.title_flags and not a.title_flags
    assert likely_original(b, a)[0] == likely_original(a, b)[0] == a.id


def test_likely_original_is_the_report_that_kept_its_dateline():
    a = doc("KESSEL, March 5 (Reuters) - " + STORY, "a.txt", date="2024-03-05")
    b = doc(STORY, "b.txt", date="2024-03-05")
    found, why = likely_original(b, a)
    assert found == a.id and "dropped the dateline" in why and "KESSEL" in why


def test_likely_original_is_the_agency_a_report_credits():
    wire = clean(Record(source="w.txt", body=STORY, title="Floods hit Kessel", date="2024-03-05", url="https://www.reuters.com/world/kessel"))
    paper = clean(Record(source="p.txt", body=STORY + "\n\nReporting by Reuters staff.", title="Floods", date="2024-03-05", outlet="Valley Gazette"))
    found, why = likely_original(paper, wire)
    assert found == wire.id and "credits Reuters" in why


def test_likely_original_is_the_outlet_the_other_report_cites():
    cited = clean(Record(source="c.txt", body=STORY, date="2024-03-05", outlet="Kessel Courier"))
    citing = clean(Record(source="d.txt", body=STORY + "\n\nThe Kessel Courier first reported the rescue.", date="2024-03-05", outlet="Daily Wire"))
    assert likely_original(citing, cited)[0] == cited.id


def test_likely_original_is_unknown_when_the_clues_disagree():
    later_but_plain = doc(STORY, "a.txt", title="Floods hit Kessel", date="2024-03-06")
    earlier_but_revised = doc(STORY, "b.txt", title="Revised: Floods hit Kessel", date="2024-03-05")
    found, why = likely_original(later_but_plain, earlier_but_revised)
    assert found is None and "disagree" in why and "published first" in why and "revised" in why


@pytest.mark.parametrize("left, right, paraphrase", [
    ("Rescue teams pulled 40 people from rooftops overnight.", "Overnight, rescuers pulled 40 people off rooftops.", True),
    ("Rescue teams pulled 40 people from rooftops overnight.", "Rescue teams pulled 12 people from rooftops overnight.", True),
    ("Rescue teams pulled 40 people from rooftops overnight.", "The central bank raised its main interest rate.", False),
])
def test_sentence_similarity_keeps_paraphrases_above_the_rewrite_threshold(left, right, paraphrase):
    from newstrace.link.copies import THRESHOLDS

    assert (lt.sentence_similarity(left, right) >= THRESHOLDS["rewrite_sentence"]) == paraphrase


def test_sentence_similarity_is_lower_when_the_numbers_differ():
    same = lt.sentence_similarity("Rescuers pulled 40 people from rooftops.", "Rescuers pulled 40 people off rooftops.")
    other = lt.sentence_similarity("Rescuers pulled 40 people from rooftops.", "Rescuers pulled 12 people off rooftops.")
    assert other < same


def test_compare_decides_the_same_when_it_gives_up_aligning_early(monkeypatch):
    """Stopping the alignment once a rewrite is out of reach is only a shortcut: every decision stays."""
    from newstrace.link import copies

    texts = [STORY, REWRITE, INDEPENDENT, UNRELATED, STORY.replace("Tuesday", "Monday"), REWRITE + "\n\nA new closing line."]
    docs = [doc(t, f"{n}.txt") for n, t in enumerate(texts)]
    pairs = [(a, b, shared) for a in docs for b in docs if a is not b for shared in (0, 2)]
    quick = [compare(a, b, shared_entities=shared) for a, b, shared in pairs]
    monkeypatch.setattr(copies, "_pairs_for_rewrite", lambda longer: 0)
    lt.sentence_keys.cache_clear()
    assert [compare(a, b, shared_entities=shared) for a, b, shared in pairs] == quick


def test_align_sentences_gives_up_when_too_few_pairs_remain_possible():
    a, b = doc(STORY), doc(UNRELATED)
    spans_a, spans_b = lt.sentence_spans(a.text, a.sentences), lt.sentence_spans(b.text, b.sentences)
    assert lt.align_sentences(a.text, spans_a, b.text, spans_b, 0.5, give_up_below=len(spans_a) + 1) == []
    full = lt.align_sentences(a.text, spans_a, doc(REWRITE).text, lt.sentence_spans(doc(REWRITE).text), 0.5)
    assert full and full == lt.align_sentences(a.text, spans_a, doc(REWRITE).text, lt.sentence_spans(doc(REWRITE).text), 0.5, give_up_below=2)


def test_text_keys_are_kept_per_text_and_never_go_stale():
    first = lt.shingles("the council met on monday and agreed a plan")
    assert lt.shingles("the council met on monday and agreed a plan") is first
    assert lt.shingles("the council met on tuesday and agreed a plan") != first
    assert isinstance(first, frozenset)  # shared between callers, so it cannot be changed in place
