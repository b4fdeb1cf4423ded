"""Numbers that name, locate or label (models, indexes, addresses, phone and case numbers) are no figures;
money keeps its scale and currency, fractions their value; a tally names what it counts. Full pipeline."""
from __future__ import annotations

import pytest
from test_figures import figure_at


def texts_of(doc):
    return [f["text"] for f in doc.figures]


@pytest.mark.parametrize("text, name", [
    ("Boeing said the 737 Max had been grounded.", "737"),
    ("The airline ordered two A350-900 aircraft on Tuesday.", "900"),
    ("The pilot flew a Su-34 over the border.", "34"),
    ("Apollo 11 landed on the Moon.", "11"),
    ("Windows 10 users were told to update.", "10"),
    ("The S&P 500 rose 1.2 percent, while the FTSE 100 fell.", "500"),
    ("The S&P 500 rose 1.2 percent, while the FTSE 100 fell.", "100"),
    ("Police were called to 1909 Jolinda Drive on Sunday night.", "1909"),
    ("Neighbours dialled 911 after hearing shots.", "911"),
    ("Call the hotline on 0800 555 0100 for details.", "555"),
    ("Call the hotline on 0800 555 0100 for details.", "0800"),
    ("Reach the desk at +44 20 7946 0958 today.", "7946"),
    ("The case, No. 21-cv-4032, was heard in Manhattan.", "21"),
])
def test_a_number_that_names_or_labels_is_no_figure(run_pipeline, text, name):
    doc = run_pipeline(text)
    start = text.index(name)
    assert not [f for f in doc.figures if f["start"] < start + len(name) and start < f["end"]], texts_of(doc)


def test_a_count_before_a_model_number_counts_the_craft_not_the_model(run_pipeline):
    doc = run_pipeline("The airline ordered five 787 jets on Tuesday.")
    assert texts_of(doc) == ["five"]  # not "five 787" read as 792
    assert figure_at(doc, "five")["value"] == 5
    assert figure_at(doc, "five")["unit"] == "jet"


@pytest.mark.parametrize("text, anchor, counts", [
    ("A witness told Reuters 30 people were killed.", "30", "killed"),  # a number after a name is still a count
    ("Troops killed 12 Taliban in Helmand.", "12", "killed"),  # before a group's name too
    ("Israeli strikes killed 5 Palestinians, officials said.", "5", "killed"),
])
def test_a_count_beside_a_proper_name_stays_a_figure(run_pipeline, text, anchor, counts):
    assert figure_at(run_pipeline(text), anchor)["counts"] == counts


@pytest.mark.parametrize("text, anchor, value, unit", [
    ("The company reported revenue of $12.9bn last year.", "$12.9bn", 12_900_000_000, "dollars"),
    ("The government pledged £10bn for the railways.", "£10bn", 10_000_000_000, "pounds"),
    ("He paid $5m for the house.", "$5m", 5_000_000, "dollars"),
    ("The deal is worth 5 billion Hong Kong dollars.", "5 billion", 5_000_000_000, "Hong Kong dollars"),
])
def test_money_keeps_its_scale_and_its_currency(run_pipeline, text, anchor, value, unit):
    figure = figure_at(run_pipeline(text), anchor)
    assert (figure["text"], figure["value"], figure["unit"]) == (anchor, value, unit)



def test_five_metres_is_not_five_million(run_pipeline):
    doc = run_pipeline("She ran 5m and stopped.")
    assert all(f["value"] != 5_000_000 for f in doc.figures), texts_of(doc)


def test_a_fraction_keeps_its_value(run_pipeline):
    figure = figure_at(run_pipeline("Roughly two-thirds of voters backed the plan."), "two-thirds")
    assert figure["text"] == "two-thirds"
    assert figure["value"] == pytest.approx(2 / 3, abs=1e-3)
    assert figure["unit"] == "fraction"


def test_bail_counts_no_one_released_and_is_claimed_by_the_speaker(run_pipeline):
    doc = run_pipeline("Smith was released on $50,000 bail, the court said.")
    figure = figure_at(doc, "$50,000")
    assert figure["counts"] is None
    speaker = next(a for a in doc.attributions if a["id"] == figure["claimed_by"])
    assert speaker["source"]["text"] == "the court"


@pytest.mark.parametrize("text, anchor, value, counts", [
    ("The gunman killed a total of 346 people in the attack.", "346", 346, "killed"),
    ("The storm caused the 6th fatality of the season.", "6th", 6, "killed"),
    ("It was the third death at the prison this year.", "third", 3, "killed"),
    ("The number of injured reached 120 on Monday.", "120", 120, "injured"),
    ("The death toll rose to 35, officials said.", "35", 35, "killed"),
])
def test_a_tally_names_what_it_counts(run_pipeline, text, anchor, value, counts):
    figure = figure_at(run_pipeline(text), anchor)
    assert (figure["value"], figure["counts"]) == (value, counts)


@pytest.mark.parametrize("text, ordinal", [
    ("The 6th Fleet sailed from Naples.", "6th"),
    ("It was the second time the talks failed.", "second"),
    ("The first death was reported on Monday.", "first"),
])
def test_an_ordinal_that_orders_or_names_is_no_figure(run_pipeline, text, ordinal):
    doc = run_pipeline(text)
    start = text.index(ordinal)
    assert not [f for f in doc.figures if f["start"] == start], texts_of(doc)


def test_a_capitalised_unit_after_a_number_is_its_unit_not_a_name(run_pipeline):
    figure = figure_at(run_pipeline("A night at the hotel costs 500 Euros, guests said."), "500")
    assert (figure["value"], figure["unit"]) == (500, "euros")
