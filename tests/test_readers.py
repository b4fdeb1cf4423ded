"""Readers: every input kind gives the same kind of Record, and bad input a ReadError."""
from __future__ import annotations

import gzip
import io
import json
import tracemalloc

import pytest

from newstrace.model import ReadError, Record
from newstrace.readers import read_paths, read_stream

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2024-05-06T10:00:00Z">
<link rel="canonical" href="https://example.org/{slug}"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{body}</p><p>Officials said the inquiry would take several months to complete and report back.</p>
<p>The committee is expected to publish its first findings in the autumn, the ministry said.</p></article>
<footer>All rights reserved.</footer></body></html>"""


def read_all(*paths: str) -> list:
    return list(read_paths([str(p) for p in paths]))


def records(items) -> list[Record]:
    return [i for i in items if isinstance(i, Record)]


def errors(items) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def html_page(title: str = "Bridge inquiry opens", slug: str = "bridge", body: str = "An inquiry into the collapse of the bridge opened on Monday in the capital.") -> str:
    return ARTICLE_HTML.format(title=title, slug=slug, body=body)


# -- plain text ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, date, body_start",
    [
        ("date 2025-01-22\nMembers met on Monday.", "2025-01-22", "Members met"),
        (" date 2025-01-22 Members met on Monday.", "2025-01-22", "Members met"),
        ("Date: 2024-12-01\n\nHeadline\n\nBody text.", "2024-12-01", "Headline"),
        ("No header here. Members met on Monday.", None, "No header"),
        ("update 2025-01-22 is not a header", None, "update"),
    ],
)
def test_read_text_takes_date_header_off_the_body(tmp_path, content, date, body_start):
    path = tmp_path / "a.txt"
    path.write_text(content, encoding="utf-8")
    [record] = records(read_all(path))
    assert record.date == date
    assert record.body.startswith(body_start)
    assert record.kind == "text"


def test_read_text_detects_latin1(tmp_path):
    path = tmp_path / "latin1.txt"
    text = "Le président a visité la façade de l'église à São Paulo. Über die Brücke gingen Tausende, sagte der Bürgermeister."
    path.write_bytes(text.encode("latin-1"))
    [record] = records(read_all(path))
    assert record.body == text


def test_read_text_handles_utf8_bom_and_utf16(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfErdo\xc4\x9fan spoke.")
    (tmp_path / "u16.txt").write_bytes("Erdoğan spoke in Ankara.".encode("utf-16"))
    bodies = sorted(r.body for r in records(read_all(tmp_path)))
    assert bodies == ["Erdoğan spoke in Ankara.", "Erdoğan spoke."]


# -- HTML, feeds, JSON, WARC -------------------------------------------------------


def test_read_html_gives_an_html_record(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page(), encoding="utf-8")
    [record] = records(read_all(path))
    assert record.kind == "html" and "<article>" in record.body


def test_read_html_without_extension_is_sniffed(tmp_path):
    path = tmp_path / "page"
    path.write_text(html_page(), encoding="utf-8")
    [record] = records(read_all(path))
    assert record.kind == "html"


def test_read_rss_gives_one_record_per_entry(shared):
    items = read_all(shared / "data/real-news/feeds/guardian-us.rss")
    recs = records(items)
    assert len(recs) == 55 and not errors(items)
    first = recs[0]
    assert first.title and first.date == "2018-01-31" and first.url.startswith("https://www.theguardian.com/")
    assert first.position == "entry 1" and first.outlet == "The Guardian"


def test_read_atom_and_nonstandard_pubdate(shared):
    atom = records(read_all(shared / "data/real-news/feeds/heise-developer.atom"))
    assert len(atom) == 15 and all(r.date and r.date.startswith("2016-") for r in atom)
    [nbc] = records(read_all(shared / "data/real-news/feeds/nbcnewyork-nonstandard-pubdate.rss"))
    assert nbc.date == "2023-12-16"


def test_read_json_feed(shared):
    recs = records(read_all(shared / "data/real-news/feeds/npr-technology.jsonfeed.json"))
    assert len(recs) == 25 and all(r.url for r in recs)


def test_news_please_output_loads_unchanged(shared):
    [record] = records(read_all(shared / "data/real-news/news-please/sample.json"))
    assert record.title.startswith("Moscow to Kiev")
    assert record.date == "2017-07-17" and record.outlet == "www.rt.com"
    assert record.url == "https://www.rt.com/news/203203-ukraine-russia-troops-border/"


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "T", "text": "Body one."},
        {"title": "T", "maintext": "Body one.", "date_publish": "2017-07-17 17:03:00"},
        {"title": "T", "body": "Body one.", "published": "2017-07-17T10:00:00Z"},
        {"title": "T", "content": "Body one.", "date": "17 July 2017", "source_domain": "x.org"},
    ],
)
def test_read_jsonl_common_field_names(tmp_path, fields):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(fields) + "\n", encoding="utf-8")
    [record] = records(read_all(path))
    assert record.body == "Body one." and record.title == "T" and record.position == "line 1"
    if "date" in fields or "date_publish" in fields or "published" in fields:
        assert record.date == "2017-07-17"


def test_read_warc_takes_html_responses_only(shared):
    items = read_all(shared / "data/real-news/warc/warcio-example.warc.gz")
    [record] = records(items)
    assert record.url == "http://example.com/" and record.kind == "html" and not errors(items)


def write_warc(path, pages: list[tuple[str, str]]) -> None:
    """A synthetic WARC.gz with one HTML response record per (url, html)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers)
            writer.write_record(record)


def test_read_warc_of_news_pages(tmp_path):
    path = tmp_path / "news.warc.gz"
    write_warc(path, [(f"https://example.org/{i}", html_page(slug=str(i))) for i in range(3)])
    recs = records(read_all(path))
    assert [r.url for r in recs] == [f"https://example.org/{i}" for i in range(3)]
    assert [r.position for r in recs] == ["record 1", "record 2", "record 3"]


def test_folders_are_read_recursively_and_globs_expand(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("First article text.")
    (tmp_path / "a" / "b" / "two.txt").write_text("Second article text.")
    (tmp_path / "a" / ".hidden.txt").write_text("Not read.")
    assert len(records(read_all(tmp_path / "a"))) == 2
    assert len(records(read_paths([str(tmp_path / "a" / "**" / "*.txt")]))) == 2


def test_stdin_is_read_with_dash():
    stream = io.BufferedReader(io.BytesIO(b"date 2024-01-02\nA report from standard input."))
    [record] = records(read_stream(stream, "-"))
    assert record.date == "2024-01-02" and record.source == "-"


# -- bad input ---------------------------------------------------------------------


def only_error(items) -> ReadError:
    [error] = errors(items)
    return error


def test_empty_file_is_one_clear_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    error = only_error(read_all(path))
    assert error.source == str(path) and "empty" in error.reason and error.hint


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    error = only_error(read_all(path))
    assert "binary" in error.reason


def test_missing_path_is_reported_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A good article.")
    items = read_all(tmp_path / "missing.txt", good)
    assert "no such file" in only_error(items).reason
    assert len(records(items)) == 1


def test_invalid_json_line_names_the_line_and_keeps_good_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"text": "one"}), "{not json", json.dumps({"text": "three"}), "[1, 2]"]
    path.write_text("\n".join(lines) + "\n")
    items = read_all(path)
    assert [r.body for r in records(items)] == ["one", "three"]
    assert [e.position for e in errors(items)] == ["line 2", "line 4"]
    assert "invalid JSON" in errors(items)[0].reason


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    payload = "".join(json.dumps({"text": f"Article number {i} " + "x" * 200}) + "\n" for i in range(300))
    data = gzip.compress(payload.encode())
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read_all(path)
    assert 0 < len(records(items)) < 300
    error = errors(items)[-1]
    assert "truncated" in error.reason and error.source == str(path)


def test_truncated_warc_keeps_the_records_before_the_break(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path, [(f"https://example.org/{i}", html_page(slug=str(i))) for i in range(4)])
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])
    items = read_all(path)
    assert 1 <= len(records(items)) < 4
    assert "truncated or corrupt WARC" in errors(items)[-1].reason


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("share", [0.3, 0.45, 0.7, 0.9])  # four records of one size: no cut on a record boundary
def test_a_warc_cut_anywhere_is_a_recorded_error_naming_the_record(tmp_path, compressed, share):
    full = tmp_path / "full.warc.gz"
    write_warc(full, [(f"https://example.org/{i}", html_page(slug=str(i))) for i in range(4)])
    data = full.read_bytes() if compressed else gzip.decompress(full.read_bytes())
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    path.write_bytes(data[: int(len(data) * share)])
    items = read_all(path)
    error = errors(items)[-1]
    assert "truncated or corrupt WARC" in error.reason and error.source == str(path)
    assert error.position == f"record {len(records(items)) + 1}"  # the cut record, after the ones kept


def test_a_stray_nul_in_a_text_article_is_removed_and_recorded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Police arrested five people on Monday.\x00 They were released later.")
    items = read_all(path)
    [record] = records(items)
    assert record.body == "Police arrested five people on Monday. They were released later."
    error = only_error(items)
    assert "removed 1 control character" in error.reason and error.position == "character 38"


def test_oversized_single_article_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 400_000)  # 2 MB
    items = list(read_paths([str(path)], max_bytes=100_000))
    assert "larger than" in only_error(items).reason


def test_jsonl_is_streamed_with_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"title": "t", "text": "y" * 2000}) + "\n"
    with open(path, "w") as handle:
        for _ in range(5000):  # about 10 MB
            handle.write(line)
    tracemalloc.start()
    count = sum(1 for item in read_paths([str(path)]) if isinstance(item, Record))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 5000
    assert peak < 2_000_000


def test_html_with_scripts_keeps_script_out_of_the_body(tmp_path):
    from newstrace.clean import clean

    page = html_page(body="The council voted on Monday to close the old bridge for repairs next month.")
    page = page.replace("</h1>", "</h1><script>alert('owned'); var secret = 1;</script>")
    path = tmp_path / "script.html"
    path.write_text(page)
    [record] = records(read_all(path))
    doc = clean(record)
    assert "alert" not in doc.text and "secret" not in doc.text
    assert "close the old bridge" in doc.text
