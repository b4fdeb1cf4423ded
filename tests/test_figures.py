"""The figures layer on small hand-made sentences, each run through the full pipeline."""
from __future__ import annotations

import pytest


def figures_of(run_pipeline, text):
    """The Document of `text` after every stage: entities, times, quotes and attributions before figures."""
    return run_pipeline(text)


def figure_at(doc, anchor):
    start = doc.text.index(anchor)
    hits = [f for f in doc.figures if f["start"] < start + len(anchor) and start < f["end"]]
    assert len(hits) == 1, [f["text"] for f in doc.figures]
    return hits[0]


@pytest.mark.parametrize("text, anchor, value", [
    ("Militants killed 1,200 people.", "1,200", 1200),
    ("The strikes killed 46,000 people.", "46,000", 46000),
    ("Forty-six thousand people are dead.", "Forty-six thousand", 46000),
    ("A million people fled.", "A million", 1000000),
    ("Officials counted 1.5 million voters.", "1.5 million", 1500000),
    ("Two hundred and fifty people were evacuated.", "Two hundred and fifty", 250),
    ("Ninety percent of homes are in ruins.", "Ninety percent", 90),
    ("Turnout rose to 62% this year.", "62%", 62),
    ("The town received $5 million in aid.", "$5 million", 5000000),
    ("Two soldiers were wounded.", "Two", 2),
    ("The minimum wage rises to $8.25 per hour.", "$8.25", 8.25),
    ("Warming will pass 1.5°C this decade.", "1.5°C", 1.5),
])
def test_add_figures_reads_digits_and_words(run_pipeline, text, anchor, value):
    figure = figure_at(figures_of(run_pipeline, text), anchor)
    assert figure["text"] == anchor
    assert figure["value"] == value
    assert figure["vague"] is False


@pytest.mark.parametrize("text, anchor, value, low, high", [
    ("Gunmen abducted hundreds of villagers.", "hundreds", 100, 100, 999),
    ("The blast caused dozens to die.", "dozens", 12, 12, 99),
    ("Thousands of people marched.", "Thousands", 1000, 1000, 9999),
    ("Tens of families lost their homes.", "Tens", 10, 10, 99),
    ("Hundreds of thousands of people fled.", "Hundreds of thousands", 100000, 100000, 999 * 9999),
])
def test_add_figures_codes_vague_amounts_as_acled_does(run_pipeline, text, anchor, value, low, high):
    figure = figure_at(figures_of(run_pipeline, text), anchor)
    assert (figure["text"], figure["vague"]) == (anchor, True)
    assert (figure["value"], figure["low"], figure["high"]) == (value, low, high)


@pytest.mark.parametrize("text, anchor, qualifier", [
    ("The attack killed over 1,200 people.", "1,200", "over"),
    ("More than 100,000 are injured.", "100,000", "more than"),
    ("At least 40 people died.", "40", "at least"),
    ("Nearly 300 homes were destroyed.", "300", "nearly"),
    ("Almost 300 homes were destroyed.", "300", "nearly"),
    ("About 50 protesters were arrested.", "50", "about"),
    ("Around 50 protesters were arrested.", "50", "about"),
    ("Up to 20 people are missing.", "20", "up to"),
    ("As many as 20 people are missing.", "20", "up to"),
    ("Over a million people have been displaced.", "a million", "over"),
    ("The army detained 50 protesters.", "50", None),
    ("The official was talking about one area.", "one", None),
    ("The shop sells to buyers over 21 only.", "21", None),
])
def test_add_figures_maps_qualifiers(run_pipeline, text, anchor, qualifier):
    assert figure_at(figures_of(run_pipeline, text), anchor)["qualifier"] == qualifier


def test_add_figures_open_qualifier_leaves_a_bound_open(run_pipeline):
    over = figure_at(figures_of(run_pipeline, "The attack killed over 1,200 people."), "1,200")
    up_to = figure_at(figures_of(run_pipeline, "Up to 20 people are missing."), "20")
    assert (over["low"], over["high"]) == (1200, None)
    assert (up_to["low"], up_to["high"]) == (None, 20)


@pytest.mark.parametrize("text, anchor, counts", [
    ("Hamas launched an attack, killing over 1,200 people.", "1,200", "killed"),
    ("Forty-six thousand people are dead.", "Forty-six thousand", "killed"),
    ("More than 100,000 are injured.", "100,000", "injured"),
    ("Over a million people have been displaced from their homes.", "a million", "displaced"),
    ("Why did you abduct hundreds?", "hundreds", "abducted"),
    ("The blast caused dozens to die underground.", "dozens", "killed"),
    ("He gave them the excuse to kill 46,000 people.", "46,000", "killed"),
    ("They took hundreds of hostages.", "hundreds", "abducted"),
    ("Police arrested 35 protesters.", "35", "detained"),
    ("The flood left 12 people dead.", "12", "killed"),
    ("The death toll rose to 35.", "35", "killed"),
    ("There were 30 deaths.", "30", "killed"),
    ("The storm damaged 300 homes.", "300", None),
])
def test_add_figures_reads_what_is_counted_from_the_parse(run_pipeline, text, anchor, counts):
    assert figure_at(figures_of(run_pipeline, text), anchor)["counts"] == counts


@pytest.mark.parametrize("text, anchor, unit", [
    ("Ninety percent of homes are in ruins.", "Ninety", "percent"),
    ("Militants killed 1,200 Israelis.", "1,200", "people"),
    ("Militants killed 1,200 people.", "1,200", "people"),
    ("The convoy drove 40 km north.", "40", "km"),
    ("The town received $5 million in aid.", "5", "dollars"),
])
def test_add_figures_names_the_unit(run_pipeline, text, anchor, unit):
    assert figure_at(figures_of(run_pipeline, text), anchor)["unit"] == unit


@pytest.mark.parametrize("text", [
    "You have gone 1-0 against Israel.",
    "It will not end at 2-1, 3-1, or even 4-1.",
    "They will take it to 10-1, or even 12-1.",
    "The meeting started at 10:30.",
    "The meeting started at 3 p.m. sharp.",
    "He was one of the founders.",
    "She came first in the race.",
    "The 3rd battalion moved north.",
    "Details are on page 4.",
    "A Russian Su-34 struck the bridge.",
    "Our favourite ways are: 1) boiled, 2) fried.",
    "The meeting started at 9.30 a.m. sharp.",
    "The war began in 2023.",
])
def test_add_figures_skips_scores_times_ordinals_and_furniture(run_pipeline, text):
    assert figures_of(run_pipeline, text).figures == []


def test_add_figures_skips_numbers_inside_a_time(run_pipeline):
    doc = figures_of(run_pipeline, "The attack came on October 7, 2023.")
    assert [t["text"] for t in doc.times] == ["October 7, 2023"]
    assert doc.figures == []


def test_add_figures_reads_a_range_but_not_a_score(run_pipeline):
    doc = figures_of(run_pipeline, "Between 10-15 people were killed in a match that ended 3-1.")
    assert [(f["text"], f["low"], f["high"]) for f in doc.figures] == [("10-15", 10, 15)]


def test_add_figures_claimed_by_the_attribution_covering_it(run_pipeline):
    doc = figures_of(run_pipeline, "Officials said that 40 people were killed. Another 12 are missing.")
    said = next(a for a in doc.attributions if a["cue"]["text"] == "said")
    assert figure_at(doc, "40")["claimed_by"] == said["id"]
    assert figure_at(doc, "12")["claimed_by"] is None


def test_add_figures_ids_and_spans_match_text(run_pipeline):
    doc = figures_of(run_pipeline, "More than 100,000 are injured and hundreds of people were killed, 90% of them men.")
    assert [f["id"] for f in doc.figures] == [f"f{n}" for n in range(1, len(doc.figures) + 1)]
    for figure in doc.figures:
        assert doc.text[figure["start"]:figure["end"]] == figure["text"]
