"""The caps: a page too big to parse or too slow to read is cut and recorded, and the run goes on."""
from __future__ import annotations

import json
import threading
import time

import pytest
from test_cli import run

from newstrace.caps import TimeCapExceeded, time_cap
from newstrace.model import Document, ReadError, Record
from newstrace.pipeline import process_batch
from newstrace.settings import MAX_DOM_TAGS

ARTICLE = "<html><body><article><h1>Harbour talks</h1><p>Union leaders met port owners in Rotterdam on Monday, officials said.</p></article></body></html>"


def long_page(paragraphs: int) -> str:
    body = "".join(f"<p>Paragraph {i} of a long report on the harbour talks in Rotterdam, where union leaders met again.</p>"
                   for i in range(paragraphs))
    return f"<html><body><article><h1>A long report</h1>{body}</article></body></html>"


def test_a_page_over_the_tag_cap_is_a_recorded_error_and_the_next_page_is_read():
    huge = "<html><body>" + "<b>x</b>" * (MAX_DOM_TAGS // 2 + 1) + "</body></html>"
    out = list(process_batch([Record(source="huge.html", body=huge, kind="html"),
                              Record(source="ok.html", body=ARTICLE, kind="html")], extract=False))
    assert isinstance(out[0], ReadError) and out[0].source == "huge.html"
    assert "tags, over the cap" in out[0].reason
    assert isinstance(out[1], Document) and "Rotterdam" in out[1].text


def test_a_page_slower_than_the_time_cap_is_cut_with_its_position_and_the_run_goes_on():
    """8,000 paragraphs take trafilatura about 2.5 s here; a one-paragraph page about 0.02 s once warm."""
    warm = Record(source="warm.html", body=ARTICLE, kind="html")
    slow = Record(source="feed.warc", position="record 3", body=long_page(8000), kind="html")
    started = time.perf_counter()
    out = list(process_batch([warm, slow, Record(source="ok.html", body=ARTICLE, kind="html")], extract=False,
                             time_cap_seconds=0.5))
    assert time.perf_counter() - started < 2.4
    error = out[1]
    assert isinstance(error, ReadError) and (error.source, error.position) == ("feed.warc", "record 3")
    assert "took over 0.5 s and was cut" in error.reason
    assert isinstance(out[2], Document) and "Rotterdam" in out[2].text


def test_the_time_cap_is_not_swallowed_by_a_broad_except():
    """trafilatura, htmldate and the stages catch Exception; the alarm must get past them."""
    with pytest.raises(TimeCapExceeded):
        with time_cap(0.01):
            try:
                while True:
                    pass
            except Exception:  # noqa: BLE001 - the trap
                pass


def test_the_time_cap_is_skipped_off_the_main_thread():
    done = []
    worker = threading.Thread(target=lambda: done.append(_sleep_under_cap()))
    worker.start()
    worker.join()
    assert done == ["finished"]


def _sleep_under_cap() -> str:
    with time_cap(0.001):
        time.sleep(0.01)
    return "finished"


def test_ingest_records_a_page_over_the_cap_exits_1_and_keeps_the_rest(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "huge.html").write_text("<html><body>" + "<i></i>" * (MAX_DOM_TAGS // 2 + 1) + "</body></html>")
    (folder / "ok.html").write_text(ARTICLE)
    db = str(tmp_path / "s.db")
    code, _, err = run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(folder))
    assert code == 1
    assert "huge.html" in err and "over the cap" in err
    code, out, _ = run(monkeypatch, capsys, "stats", "--db", db, "--format", "json")
    assert json.loads(out)["documents"] == 1


def test_extraction_over_the_time_cap_keeps_the_text_without_layers(nlp):
    """300 sentences take the stages well over a second; a one-line report a few milliseconds."""
    text = "\n\n".join(f"Police said {i} people were arrested in Rotterdam on Monday after the talks failed." for i in range(300))
    records = [Record(source="warm.txt", body="Union leaders met in Rotterdam on Monday."),
               Record(source="long.txt", body=text), Record(source="ok.txt", body="Police arrested 7 people in Rotterdam.")]
    out = list(process_batch(records, time_cap_seconds=0.15))
    errors = [item for item in out if isinstance(item, ReadError)]
    docs = {item.source["path"]: item for item in out if isinstance(item, Document)}
    assert [e.source for e in errors] == ["long.txt"]
    assert "extracting this document took over 0.15 s" in errors[0].reason
    assert docs["long.txt"].text.startswith("Police said 0 people") and docs["long.txt"].figures == []
    assert docs["ok.txt"].figures  # the run went on, with its layers


def test_the_time_cap_is_raised_again_when_a_raise_was_lost():
    """Python ignores an exception raised in a weakref callback or __del__; the alarm repeats until the block ends."""
    lost = []
    with pytest.raises(TimeCapExceeded):
        with time_cap(0.01):
            while True:
                try:
                    while True:
                        pass
                except TimeCapExceeded:
                    if lost:
                        raise
                    lost.append("the first raise, swallowed as GC would")
    assert lost
