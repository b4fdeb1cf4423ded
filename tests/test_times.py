"""The times layer: hand-made sentences for each rule and each trap the extraction issue names."""
from __future__ import annotations

import pytest

from newstrace.extract.times import add_times, times_in_span

WEDNESDAY = "2025-01-22"  # a Wednesday


def _times(make_doc, text, published=WEDNESDAY):
    doc, parse = make_doc(text, published=published)
    return add_times(doc, parse).times


def _value_of(times, text):
    matching = [t for t in times if text in t["text"] or t["text"] in text]
    assert matching, f"no time overlapping {text!r} in {[t['text'] for t in times]}"
    return matching[0]["value"]


@pytest.mark.parametrize(
    "sentence, expression, value",
    [
        ("The officials met on Tuesday.", "Tuesday", "2025-01-21"),
        ("Turkish news outlet 10HABER reported on Tuesday.", "Tuesday", "2025-01-21"),
        ("The ministers will meet on Tuesday.", "Tuesday", "2025-01-28"),
        ("The ministers are expected to meet on Friday.", "Friday", "2025-01-24"),
        ("The court ruled on Friday.", "Friday", "2025-01-17"),
        ("The summit opens Friday.", "Friday", "2025-01-24"),
        ("Friday's ruling angered the families.", "Friday", "2025-01-17"),
        ("The families will fight Friday's ruling.", "Friday", "2025-01-24"),
        ("Monday's ruling angered the families.", "Monday", "2025-01-20"),
    ],
)
def test_add_times_reads_weekday_by_tense_of_governing_verb(make_doc, sentence, expression, value):
    assert _value_of(_times(make_doc, sentence), expression) == value


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("They arrived on the morning of October 7, 2023.", "morning of October 7, 2023", "2023-10-07TMO"),
        ("Shots were heard on the evening of March 3, 2024.", "evening of March 3, 2024", "2024-03-03TEV"),
        ("Strikes hit the city on the night of May 2, 2024.", "night of May 2, 2024", "2024-05-02TNI"),
        ("The convoy left on Friday morning.", "Friday morning", "2025-01-17TMO"),
        ("Protesters gathered this afternoon.", "this afternoon", "2025-01-22TAF"),
        ("The bomb exploded last night.", "last night", "2025-01-21TNI"),
    ],
)
def test_add_times_keeps_part_of_day_in_one_expression(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["value"]) for t in times] == [(span, value)]


def test_add_times_takes_year_of_same_date_written_earlier(make_doc):
    text = (
        "Officials met on October 7 , 2023, the same day Hamas attacked. "
        "The delegation arrived on the morning of October 7. Why did you attack on October 7?"
    )
    times = _times(make_doc, text)
    values = {t["text"]: t["value"] for t in times}
    assert values["October 7 , 2023"] == "2023-10-07"
    assert values["the same day"] == "2023-10-07"
    assert values["morning of October 7"] == "2023-10-07TMO"
    assert values["October 7"] == "2023-10-07"


@pytest.mark.parametrize(
    "sentence, value, mod",
    [
        ("Ronen Bar indicated in early December that Israel would act.", "XXXX-12", "START"),
        ("The talks ended on March 3.", "XXXX-03-03", None),
        ("The talks ended on Tuesday.", "XXXX-WXX-2", None),
        ("Fighting resumed in late November.", "XXXX-11", "END"),
    ],
)
def test_add_times_keeps_x_year_without_publication_date(make_doc, sentence, value, mod):
    times = _times(make_doc, sentence, published=None)
    assert [(t["value"], t["mod"]) for t in times] == [(value, mod)]


def test_add_times_without_publication_date_takes_year_last_written(make_doc):
    times = _times(make_doc, "The war began in June 2014. A truce followed on September 5.", published=None)
    assert [t["value"] for t in times] == ["2014-06", "2014-09-05"]


@pytest.mark.parametrize(
    "sentence",
    [
        "You've gone 1-0 against Israel, but this won't just end at 1-1.",
        "It won't end at 2-1, 3-1, or even 4-1. They'll take it to 10-1, or even 12-1.",
        "The vote passed 7-2 and the ratio stood at 3:1.",
        "Turkish news outlet 10HABER carried the story.",
        "Over 1,200 people were killed and 2,500 were injured.",
    ],
)
def test_add_times_finds_no_date_in_scores_ratios_and_counts(make_doc, sentence):
    assert _times(make_doc, sentence) == []


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("The siege lasted three days.", "three days", "P3D"),
        ("Talks went on for two hours.", "two hours", "PT2H"),
        ("The ceasefire held for 18 months.", "18 months", "P18M"),
        ("He served a two-year sentence.", "two-year", "P2Y"),
        ("The fighting has gone on for more than a decade.", "more than a decade", "P10Y"),
        ("Supplies ran low over the past two weeks.", "the past two weeks", "P2W"),
        ("Aid has been blocked for several months.", "several months", "PXM"),
        ("The envoy spent 5 1/2 hours in the capital.", "5 1/2 hours", "PT5H30M"),
        ("The refugees lived in camps for two and a half years.", "two and a half years", "P2Y6M"),
        ("The anthem played for a minute and a half.", "a minute and a half", "PT1M30S"),
        ("The boy will stay for two more weeks.", "two more weeks", "P2W"),
        ("The lease may be extended for an additional year.", "an additional year", "P1Y"),
    ],
)
def test_add_times_writes_durations_as_tempeval(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["type"], t["value"]) for t in times] == [(span, "DURATION", value)]


def test_add_times_marks_duration_modifier(make_doc):
    (time,) = _times(make_doc, "The march took less than an hour.")
    assert (time["value"], time["mod"]) == ("PT1H", "LESS_THAN")


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("Inspectors visit every week.", "every week", "P1W"),
        ("Tons of bombs fall daily on your allies.", "daily", "P1D"),
        ("The council meets each Tuesday.", "each Tuesday", "XXXX-WXX-2"),
        ("Flights leave Bombay on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
        ("Aid costs $5 million a year.", "a year", "P1Y"),
        ("The report is published annually.", "annually", "P1Y"),
        ("The government holds daily rallies in the square.", "daily", "P1D"),
        ("The president spoke in his weekly radio address.", "weekly", "P1W"),
        ("Average hourly earnings rose.", "hourly", "PT1H"),
    ],
)
def test_add_times_writes_sets_as_tempeval(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["type"], t["value"]) for t in times] == [(span, "SET", value)]


@pytest.mark.parametrize("sentence", ["The company declared a quarterly dividend of five cents.", "Monthly payments will rise."])
def test_add_times_period_adjective_of_a_figure_is_no_time(make_doc, sentence):
    assert _times(make_doc, sentence) == []


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("The minister resigned yesterday.", "yesterday", "2025-01-21"),
        ("The vote is today.", "today", "2025-01-22"),
        ("Talks resume tomorrow.", "tomorrow", "2025-01-23"),
        ("Troops withdrew last week.", "last week", "2025-W03"),
        ("Prices rose last month.", "last month", "2024-12"),
        ("Elections are due next year.", "next year", "2026"),
        ("The group was founded two years ago.", "two years ago", "2023"),
        ("The plant closed three days ago.", "three days ago", "2025-01-19"),
        ("Exports fell in the third quarter.", "the third quarter", "2024-Q3"),
        ("Stocks are now falling.", "now", "PRESENT_REF"),
        ("Violence has recently increased.", "recently", "PAST_REF"),
        ("Talks will continue in the future.", "the future", "FUTURE_REF"),
        ("The assault began at 6:30 a.m.", "6:30 a.m.", "2025-01-22T06:30"),
        ("The pact was signed in 1998.", "1998", "1998"),
        ("Rebels held the town through the 1990s.", "the 1990s", "199"),
        ("Turnout was low in mid-2024.", "mid-2024", "2024"),
    ],
)
def test_add_times_resolves_relative_expressions_from_published(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["value"]) for t in times] == [(span, value)]


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("Elian was found last Thanksgiving.", "last Thanksgiving", "2024-11-28"),
        ("Shops shut on Christmas Day.", "Christmas Day", "2024-12-25"),
        ("Pilgrims gathered on Good Friday 2024.", "Good Friday 2024", "2024-03-29"),
        ("Fighting stopped over the weekend.", "the weekend", "2025-W03-WE"),
        ("The offices will close this weekend.", "this weekend", "2025-W04-WE"),
        ("The deadline is noon Thursday.", "noon Thursday", "2025-01-23T12:00"),
        ("He spoke of the year two thousand.", "the year two thousand", "2000"),
        ("They were born in nineteen ninety-six.", "nineteen ninety-six", "1996"),
        ("The city grew in the nineties.", "the nineties", "199"),
        ("The empire fell in the 11th century.", "the 11th century", "10"),
        ("The feud has gone on for years.", "years", "PXY"),
        ("Exports fell in January this year.", "January this year", "2025-01"),
    ],
)
def test_add_times_resolves_holidays_weekends_and_spelled_dates(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["value"]) for t in times] == [(span, value)]


def test_add_times_that_year_follows_year_last_mentioned(make_doc):
    times = _times(make_doc, "The war began in 1991. The following year, talks failed. Later that year, peace came.")
    assert [(t["text"], t["value"]) for t in times] == [("1991", "1991"), ("The following year", "1992"), ("Later that year", "1992")]


def test_add_times_clock_time_takes_date_of_its_sentence(make_doc):
    times = _times(make_doc, "On March 3, 2024, shots were fired at 6 p.m. A vote came at 9 a.m.")
    assert [t["value"] for t in times] == ["2024-03-03", "2024-03-03T18:00", "2025-01-22T09:00"]


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("The offer expires at 5 p.m. EST Feb. 9.", "5 p.m. EST Feb. 9", "2025-02-09T17:00"),
        ("The offer runs until 5 p.m. EST, Feb. 6.", "5 p.m. EST, Feb. 6", "2025-02-06T17:00"),
        ("The father will leave at 4 a.m. EDT Thursday.", "4 a.m. EDT Thursday", "2025-01-23T04:00"),
    ],
)
def test_add_times_clock_time_with_zone_and_day_is_one_time(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["value"]) for t in times] == [(span, value)]


def test_add_times_clock_time_takes_day_after_bracketed_zone(make_doc):
    times = _times(make_doc, "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.", published="2025-01-18")
    assert [(t["text"], t["value"]) for t in times] == [("10:35 a.m.", "2025-01-17T10:35"), ("Friday", "2025-01-17")]


@pytest.mark.parametrize(
    "sentence, span, value",
    [
        ("The doctor was shot to death last Oct. 23 at his home.", "last Oct. 23", "2024-10-23"),
        ("The doctor was shot last Jan. 22.", "last Jan. 22", "2024-01-22"),
        ("The court meets again next March 3.", "next March 3", "2025-03-03"),
    ],
)
def test_add_times_last_or_next_month_day_is_the_nearest_such_date(make_doc, sentence, span, value):
    times = _times(make_doc, sentence)
    assert [(t["text"], t["value"]) for t in times] == [(span, value)]


def test_add_times_past_reading_of_yearless_date_far_ahead(make_doc):
    # published 2025-01-22: "October 7" in a past-tense sentence is last October
    assert _value_of(_times(make_doc, "Hamas attacked on October 7."), "October 7") == "2024-10-07"


def test_add_times_near_deadline_keeps_nearest_reading_despite_past_tense(make_doc):
    assert _value_of(_times(make_doc, "The company extended its offer to Feb. 10."), "Feb. 10") == "2025-02-10"


def test_add_times_a_year_earlier_compares_with_quarter_just_named(make_doc):
    times = _times(make_doc, "Third-quarter profit rose to $5 million from $4 million a year earlier.", published="1989-10-26")
    assert [t["value"] for t in times] == ["1989-Q3", "1988-Q3"]


@pytest.mark.parametrize(
    "sentence",
    [
        "May I ask a question?",
        "They march on the capital.",
        "A second phase is planned.",
        "Two thousand people marched after the fall of the regime.",
        "About three-quarters of the output was sold.",
    ],
)
def test_add_times_ignores_words_that_only_look_like_times(make_doc, sentence):
    assert _times(make_doc, sentence) == []


def test_add_times_gives_ids_and_contract_fields(make_doc):
    times = _times(make_doc, "The talks began on Monday and lasted three days.")
    assert [t["id"] for t in times] == ["t1", "t2"]
    for t in times:
        assert set(t) >= {"id", "start", "end", "text", "type", "value", "mod"}


def test_times_in_span_returns_times_of_one_sentence(make_doc):
    doc, parse = make_doc("They met on Monday. They left on Friday.", published=WEDNESDAY)
    add_times(doc, parse)
    start, end = doc.sentences[1]
    assert [t["text"] for t in times_in_span(doc, start, end)] == ["Friday"]


INVARIANT_TEXTS = [
    "Members of Hamas ' political bureau met with Turkish intelligence officials on October 7 , 2023, the same day "
    "Hamas launched a devastating attack on Israel, Turkish news outlet 10HABER reported on Tuesday.",
    "On the morning of October 7, the delegation arrived. You've gone 1-0 against Israel; it won't end at 2-1.",
    "Ronen Bar indicated in early December that Israel would pursue Hamas leaders. Bombs fall daily.\n\nLast week, "
    "talks stalled for three days; they resume next Monday at 10 a.m. after a two-week pause in the 1990s style.",
]


@pytest.mark.parametrize("text", INVARIANT_TEXTS)
@pytest.mark.parametrize("published", [WEDNESDAY, None])
def test_add_times_every_span_text_equals_doc_text_slice(make_doc, text, published):
    times = _times(make_doc, text, published=published)
    assert times
    for t in times:
        assert t["text"] == text[t["start"] : t["end"]]
        assert t["text"] == t["text"].strip()
    starts = [t["start"] for t in times]
    assert starts == sorted(starts)
    assert all(a["end"] <= b["start"] for a, b in zip(times, times[1:]))
