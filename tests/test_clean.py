"""Cleaning: furniture out of the body into `boilerplate`, titles and their flags."""
from __future__ import annotations

import pytest

from newstrace.clean import clean, clean_page, furniture_kind, is_headline_like, split_furniture, split_title_flags
from newstrace.html import Page
from newstrace.model import Record

BODY = [
    "The council approved the budget on Monday after a four-hour debate.",
    "Opposition members said the plan cut too deeply into school funding.",
    "The mayor is expected to sign the measure later this week.",
]


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Previous Article", "navigation"),
        ("Next Article »", "navigation"),
        ("Skip to main content", "navigation"),
        ("Write a Comment", "comments"),
        ("Leave a Comment", "comments"),
        ("12 comments", "comments"),
        ("Comments are closed.", "comments"),
        ("Share this article", "share"),
        ("Facebook Twitter Email", "share"),
        ("Follow us on Instagram", "share"),
        ("Follow The Daily Herald on Twitter and Facebook for updates.", "share"),
        ("Subscribe to our newsletter", "subscribe"),
        ("Never miss the latest news by signing up to our newsletter today!", "subscribe"),
        ("To read the full story, subscribe to the Gazette.", "subscribe"),
        ("Related Articles", "related"),
        ("Read more: Flood defences fail in three towns", "related"),
        ("Lesen Sie auch:", "related"),
        ("Lea también: El Congreso aprueba la reforma", "related"),
        ("Advertisement", "advertising"),
        ("We use cookies to improve your experience. By continuing you accept our policy.", "notice"),
        ("© 2024 Example Media. All rights reserved.", "notice"),
        ("Photo: Jane Smith/Reuters", "credit"),
        ("Tags: politics, budget", "tags"),
    ],
)
def test_furniture_kind_names_site_lines(line, kind):
    assert furniture_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "The council approved the budget on Monday after a four-hour debate.",
        "Share prices fell 3% on Tuesday.",
        "Follow the money, the auditor said.",
        "The company said it has five million subscribers.",
        "Readers sent more than 200 comments to the paper about the decision.",
        "Reaction",
        "What happens next",
        "Next, the bill goes to the Senate.",
        "Home Office officials declined to comment.",
        "Photographers gathered outside the court.",
    ],
)
def test_furniture_kind_leaves_article_lines_alone(line):
    assert furniture_kind(line) is None


def test_split_furniture_takes_navigation_and_related_headlines_after_a_cue():
    tail = [
        "Previous Article",
        "Russian jets strike targets near the border",
        "Next Article",
        "Public priorities for the new government",
        "Write a Comment",
    ]
    kept, removed = split_furniture(BODY + tail)
    assert kept == BODY
    assert removed == tail


def test_split_furniture_takes_a_leading_run_up_to_the_last_cue():
    head = ["Home", "World", "Share this article"]
    kept, removed = split_furniture(head + BODY)
    assert kept == BODY
    assert removed == head


@pytest.mark.parametrize(
    "paragraphs, expected_removed",
    [
        (BODY[:1] + ["Advertisement"] + BODY[1:], ["Advertisement"]),
        (BODY[:2] + ["Read more: Budget talks collapse in neighbouring county"] + BODY[2:], ["Read more: Budget talks collapse in neighbouring county"]),
        (BODY + ["We use cookies to give you the best experience on our website."], ["We use cookies to give you the best experience on our website."]),
        (BODY + ["Share on Facebook", "Subscribe to our newsletter"], ["Share on Facebook", "Subscribe to our newsletter"]),
    ],
)
def test_split_furniture_removes_furniture_lines_anywhere(paragraphs, expected_removed):
    kept, removed = split_furniture(paragraphs)
    assert removed == expected_removed
    assert kept == BODY


def test_split_furniture_keeps_mid_body_subheadings_and_short_paragraphs():
    paragraphs = [BODY[0], "What happens next", BODY[1], "He declined.", "Reaction", BODY[2]]
    kept, removed = split_furniture(paragraphs)
    assert kept == paragraphs
    assert removed == []


def test_split_furniture_keeps_trailing_subheadings_without_a_cue():
    paragraphs = BODY + ["Editor's note", "Names have been changed"]
    kept, removed = split_furniture(paragraphs)
    assert kept == paragraphs


def test_split_furniture_keeps_a_footnote_after_a_photo_credit():
    paragraphs = BODY + ["Photo: Jane Smith/AFP", "*Names have been changed"]
    kept, removed = split_furniture(paragraphs)
    assert removed == ["Photo: Jane Smith/AFP"]
    assert kept == BODY + ["*Names have been changed"]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Hamas Leadership Meeting in Turkey", True),
        ("Flood warnings issued for 12 counties", True),
        ("The council approved the budget.", False),
        ("he said", False),
        ("x " * 30, False),
    ],
)
def test_is_headline_like(line, expected):
    assert is_headline_like(line) is expected


@pytest.mark.parametrize(
    "raw, title, flags",
    [
        ("Revised: Talks resume in Cairo", "Talks resume in Cairo", ["revised"]),
        ("UPDATE: Talks resume in Cairo", "Talks resume in Cairo", ["updated"]),
        ("EXCLUSIVE: Minister quits", "Minister quits", ["exclusive"]),
        ("BREAKING - Minister quits", "Minister quits", ["breaking"]),
        ("BREAKING: UPDATE: Minister quits", "Minister quits", ["breaking", "updated"]),
        ("Opinion | The budget is a missed chance", "The budget is a missed chance", ["opinion"]),
        ("Live – Storm hits the coast", "Storm hits the coast", ["live"]),
        ("Live music returns to the park", "Live music returns to the park", []),
        ("Updated-version of the plan unveiled", "Updated-version of the plan unveiled", []),
        ("Update on the talks in Cairo", "Update on the talks in Cairo", []),
        ("Revised:", "Revised:", []),
        (None, None, []),
    ],
)
def test_split_title_flags(raw, title, flags):
    assert split_title_flags(raw) == (title, flags)


def test_clean_text_takes_headline_as_title_with_flags_and_keeps_furniture_in_order():
    body = "\n\n".join(["Revised: Talks Resume in Cairo"] + BODY + ["Previous Article", "Older headline here", "Leave a Comment"])
    doc = clean(Record(source="a.txt", body=body, kind="text", date="2024-03-01"))
    assert doc.title == "Talks Resume in Cairo"
    assert doc.title_flags == ["revised"]
    assert doc.published == "2024-03-01"
    assert doc.text == "\n\n".join(BODY)
    assert doc.boilerplate == ["Previous Article", "Older headline here", "Leave a Comment"]


def test_clean_text_without_headline_has_no_title():
    doc = clean(Record(source="a.txt", body="\n\n".join(BODY), kind="text"))
    assert doc.title is None
    assert doc.text.startswith("The council approved")


def test_clean_can_leave_furniture_in():
    body = "\n\n".join(BODY + ["Leave a Comment"])
    doc = clean(Record(source="a.txt", body=body, kind="text"), remove_furniture=False)
    assert doc.text.endswith("Leave a Comment")
    assert doc.boilerplate == []


def test_clean_page_moves_a_repeated_headline_to_boilerplate():
    page = Page(text="\n".join(["Talks Resume in Cairo"] + BODY), title="Talks resume in Cairo", removed=["Home"])
    doc = clean_page(Record(source="a.html", kind="html"), page)
    assert doc.title == "Talks resume in Cairo"
    assert doc.text == "\n\n".join(BODY)
    assert doc.boilerplate == ["Home", "Talks Resume in Cairo"]


@pytest.mark.parametrize(
    "paragraphs, kept",
    [
        (["Everything you need to know about the inquiry", "Continue reading..."], ["Everything you need to know about the inquiry"]),
        (["Home", "Share this article"], ["Home", "Share this article"]),
    ],
)
def test_split_furniture_never_empties_a_body(paragraphs, kept):
    assert split_furniture(paragraphs)[0] == kept


def test_clean_drops_nul_and_control_characters_but_keeps_newlines():
    from newstrace.clean import clean
    from newstrace.model import Record

    doc = clean(Record(source="nul.txt", body="First\x00 paragraph\x07 here.\n\nSecond\tparagraph."))
    assert doc.text == "First paragraph here.\n\nSecond\tparagraph."
