"""HTML pages and fragments: main text, metadata, scripts kept out, the HTML reader."""
from __future__ import annotations

import json
import re

import pytest

from newstrace.clean import clean
from newstrace.html import MAX_REMOVED_BLOCKS, extract_html, find_publication_date, visible_lines, parse_html
from newstrace.model import ReadError, Record
from newstrace.readers.html import read_html

PARAGRAPHS = [
    "Firefighters battled a large blaze at a warehouse in the port district on Tuesday night, officials said.",
    "The fire broke out shortly after 9 p.m. and spread quickly through the building, which stored paper and textiles.",
    "No injuries were reported, but nearby residents were told to keep their windows closed because of the smoke.",
    "The cause of the fire is under investigation, according to a statement from the city fire department.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Warehouse fire in port district | Harbour Times</title>
<meta property="og:title" content="Warehouse fire in port district">
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-03-05T21:30:00Z">
<link rel="canonical" href="https://harbourtimes.example/news/2024/03/05/warehouse-fire">
<script>window.dataLayer = [{{"secretTracker": "do-not-show"}}];</script>
<style>.headline {{ color: red; }}</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Warehouse fire in port district</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<script>document.write("injectedScriptText");</script>
</article>
<footer><p>Contact us</p><p>Privacy policy</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def page():
    return extract_html(PAGE)


def test_extract_html_finds_main_text(page):
    for paragraph in PARAGRAPHS:
        assert paragraph in page.text


def test_extract_html_reads_title_date_url_and_site_name(page):
    assert page.title == "Warehouse fire in port district"
    assert page.published == "2024-03-05"
    assert page.url == "https://harbourtimes.example/news/2024/03/05/warehouse-fire"
    assert page.outlet == "Harbour Times"


def test_extract_html_never_lets_script_or_style_through(page):
    everything = page.text + "\n".join(page.removed)
    for code in ("secretTracker", "injectedScriptText", "color: red", "dataLayer"):
        assert code not in everything


def test_extract_html_keeps_other_blocks_in_order_as_removed(page):
    assert page.removed.index("Home") < page.removed.index("Sport") < page.removed.index("Privacy policy")
    assert not any(p in page.removed for p in PARAGRAPHS)


@pytest.mark.parametrize(
    "fragment, expected_lines",
    [
        ("<p>Police said three people were hurt.</p><p>The fire started at 2am.</p>", ["Police said three people were hurt.", "The fire started at 2am."]),
        ("<div>Line one<br>Line two</div>", ["Line one", "Line two"]),
        ("Officials confirmed the closure &amp; reopening.", ["Officials confirmed the closure & reopening."]),
        ("<p>Short <b>bold</b> entry.</p><script>var tracker = 1;</script><style>p {}</style>", ["Short bold entry."]),
    ],
)
def test_extract_html_falls_back_to_block_text_for_fragments(fragment, expected_lines):
    assert extract_html(fragment).text.split("\n") == expected_lines


def test_extract_html_of_empty_input_is_empty():
    page = extract_html("")
    assert page.text == "" and page.removed == [] and page.title is None


def test_visible_lines_splits_blocks_and_skips_comments():
    tree = parse_html("<div><h2>Head</h2><!-- hidden note --><p>One <i>two</i></p>tail text<ul><li>a</li><li>b</li></ul></div>")
    assert visible_lines(tree) == ["Head", "One two", "tail text", "a", "b"]


def test_removed_is_bounded():
    links = "".join(f"<li><a href='/{i}'>Link number {i}</a></li>" for i in range(1000))
    page = extract_html(f"<html><body><ul>{links}</ul>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</body></html>")
    assert len(page.removed) <= MAX_REMOVED_BLOCKS


def test_find_publication_date_reads_meta_and_returns_none_without_a_date():
    assert find_publication_date(PAGE) == "2024-03-05"
    assert find_publication_date("<html><body><p>No date here at all.</p></body></html>") is None


def test_clean_html_record_builds_document():
    doc = clean(Record(source="fire.html", body=PAGE, kind="html"))
    assert doc.title == "Warehouse fire in port district"
    assert doc.published == "2024-03-05"
    assert doc.outlet == "Harbour Times"
    assert doc.text.split("\n\n")[:1] == PARAGRAPHS[:1]
    assert "Home" in doc.boilerplate


def test_clean_feed_fragment_body_is_never_empty():
    doc = clean(Record(source="feed.rss", position="entry 1", body="<p>Storm closes <a href='/x'>schools</a>.</p>", kind="html", title="Storm", date="2024-01-02"))
    assert doc.text == "Storm closes schools."
    assert doc.title == "Storm" and doc.published == "2024-01-02"


def test_read_html_decodes_latin1_pages():
    data = "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\u00e9 cr\u00e8me in M\u00fcnchen</p></body></html>".encode("latin-1")
    (record,) = read_html(data, "latin.html")
    assert isinstance(record, Record) and "Caf\u00e9 cr\u00e8me in M\u00fcnchen" in record.body


def test_read_html_rejects_binary_bytes():
    (error,) = read_html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image.html")
    assert isinstance(error, ReadError) and error.source == "image.html"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", ["theintercept.com-Gaza.html", "standard.co.uk.caribbean.html"])
def test_real_news_page_body_and_boilerplate(shared, name):
    folder = shared / "data" / "real-news" / "html" / "trafilatura"
    expected = next(v for v in json.loads((folder / "expected-snippets.json").read_text(encoding="utf-8")).values() if v["file"] == name)
    (record,) = read_html((folder / name).read_bytes(), name)
    doc = clean(record)
    text, boilerplate = _norm(doc.text), _norm("\n".join(doc.boilerplate))
    assert doc.published == expected["date"]
    assert all(_norm(w) in text for w in expected["with"])
    assert not any(_norm(w) in text for w in expected["without"])
    assert all(_norm(w) in boilerplate for w in expected["without"])


def test_real_news_page_metadata(shared):
    folder = shared / "data" / "real-news" / "html" / "newspaper4k"
    (record,) = read_html((folder / "time_001.html").read_bytes(), "time_001.html")
    doc = clean(record)
    assert doc.published == "2023-11-02"
    assert doc.url == "https://time.com/6330957/james-hansen-climate-warning-geoengineering-study/"
    assert doc.outlet == "TIME"
    assert "Hansen" in doc.title
