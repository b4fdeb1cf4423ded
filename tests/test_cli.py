"""The CLI: exit codes, one-line errors, and each command over a small store."""
from __future__ import annotations

import json
import sys

import pytest

from newstrace import cli


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["newstrace", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("date 2024-03-01\nUPDATE: Harbour talks resume\n\nUnion leaders met port owners in Rotterdam on Monday.\n\nNext Article\n")
    (folder / "b.jsonl").write_text(json.dumps({"title": "Storm", "text": "A storm hit Brittany on Saturday.", "date": "2024-03-02"}) + "\n")
    return folder


def test_ingest_all_good_exits_0_and_is_idempotent(monkeypatch, capsys, corpus, tmp_path):
    db = str(tmp_path / "s.db")
    code, _, err = run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    assert code == 0 and "ingested into" in err
    code, _, _ = run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "stats", "--db", db, "--format", "json")
    assert json.loads(out)["documents"] == 2


def test_ingest_with_a_bad_input_exits_1_and_records_it(monkeypatch, capsys, corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "s.db")
    code, _, err = run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    assert code == 1
    assert f"newstrace: {corpus / 'empty.txt'}: empty file — " in err
    assert "Traceback" not in err
    code, out, _ = run(monkeypatch, capsys, "errors", "--db", db)
    assert "empty.txt: empty file" in out


def test_ingest_missing_path_exits_2_but_stores_the_rest(monkeypatch, capsys, corpus, tmp_path):
    db = str(tmp_path / "s.db")
    code, _, err = run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus), str(tmp_path / "nope"))
    assert code == 2 and "nope: no such file or folder" in err
    code, out, _ = run(monkeypatch, capsys, "stats", "--db", db, "--format", "json")
    assert json.loads(out)["documents"] == 2


def test_bad_flag_is_a_usage_error(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "ingest", "--no-such-flag", "x")
    assert code == 2 and "Traceback" not in err


def test_extract_prints_one_document_without_a_store(monkeypatch, capsys, corpus, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(monkeypatch, capsys, "extract", str(corpus / "a.txt"), "--format", "json", "--no-extract")
    doc = json.loads(out)
    assert code == 0 and doc["title"] == "Harbour talks resume" and doc["title_flags"] == ["updated"]
    assert doc["published"] == "2024-03-01" and doc["boilerplate"] == ["Next Article"]
    assert not (tmp_path / "newstrace.db").exists()


def test_export_json_and_jsonl(monkeypatch, capsys, corpus, tmp_path):
    db = str(tmp_path / "s.db")
    run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    code, out, _ = run(monkeypatch, capsys, "export", "--db", db, "--format", "json")
    exported = json.loads(out)
    assert code == 0 and len(exported["documents"]) == 2
    assert set(exported) >= {"documents", "entities", "stories", "event_clusters", "conflicts"}
    target = tmp_path / "out.jsonl"
    code, _, _ = run(monkeypatch, capsys, "export", "--db", db, "--format", "jsonl", "-o", str(target))
    lines = target.read_text().splitlines()
    assert code == 0 and len(lines) == 2 and json.loads(lines[0])["id"]


def test_export_is_deterministic(monkeypatch, capsys, corpus, tmp_path):
    outputs = []
    for name in ("one.db", "two.db"):
        db = str(tmp_path / name)
        run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
        outputs.append(run(monkeypatch, capsys, "export", "--db", db, "--format", "json")[1])
    assert outputs[0] == outputs[1]


def test_list_show_search(monkeypatch, capsys, corpus, tmp_path):
    db = str(tmp_path / "s.db")
    run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    code, out, _ = run(monkeypatch, capsys, "list", "--db", db, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 2
    code, out, _ = run(monkeypatch, capsys, "show", rows[0]["id"][:8], "--db", db)
    assert code == 0 and "Harbour talks resume" in out
    code, out, _ = run(monkeypatch, capsys, "search", "Rotterdam", "--db", db, "--format", "json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [rows[0]["id"]]


def test_malformed_search_and_unknown_id_are_one_line_errors(monkeypatch, capsys, corpus, tmp_path):
    db = str(tmp_path / "s.db")
    run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(corpus))
    code, _, err = run(monkeypatch, capsys, "search", '"unclosed', "--db", db)
    assert code == 2 and err.startswith("newstrace: malformed search query") and err.count("\n") == 1
    code, _, err = run(monkeypatch, capsys, "show", "ffffffff", "--db", db)
    assert code == 1 and "no document with id" in err and "Traceback" not in err


def test_db_from_environment(monkeypatch, capsys, corpus, tmp_path):
    monkeypatch.setenv("NEWSTRACE_DB", str(tmp_path / "env.db"))
    code, _, _ = run(monkeypatch, capsys, "ingest", "--no-extract", str(corpus))
    assert code == 0 and (tmp_path / "env.db").exists()


def test_serve_takes_its_settings_from_flags_and_the_environment(monkeypatch, capsys, tmp_path):
    import newstrace.web

    served = []
    monkeypatch.setattr(newstrace.web, "serve", lambda settings: served.append(settings))
    monkeypatch.setenv("NEWSTRACE_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("NEWSTRACE_TOKEN", "t0k")
    code, _, err = run(monkeypatch, capsys, "serve", "--port", "9001", "--workers", "2")
    assert code == 0 and f"serving {tmp_path / 'env.db'} at http://127.0.0.1:9001/ — uploads need the token" in err
    (settings,) = served
    assert (settings.db, settings.port, settings.workers, settings.token) == (str(tmp_path / "env.db"), 9001, 2, "t0k")


def test_serve_takes_allowed_hosts_repeated_and_refuses_one_with_a_port(monkeypatch, capsys, tmp_path):
    import newstrace.web

    served = []
    monkeypatch.setattr(newstrace.web, "serve", lambda settings: served.append(settings))
    db = str(tmp_path / "s.db")
    code, _, _ = run(monkeypatch, capsys, "serve", "--db", db, "--allowed-host", "news.example.org", "--allowed-host", "*.intranet.test")
    assert code == 0 and served[0].allowed_hosts == ("news.example.org", "*.intranet.test")
    code, _, err = run(monkeypatch, capsys, "serve", "--db", db, "--allowed-host", "news.example.org:8000")
    assert code == 2 and "not a host name" in err and len(served) == 1


def test_search_takes_words_with_hyphens_dots_and_apostrophes(monkeypatch, capsys, tmp_path):
    (tmp_path / "c.txt").write_text("Covid-19 rules\n\nCovid-19 rules changed, said O'Brien of the U.S. embassy.\n")
    db = str(tmp_path / "s.db")
    run(monkeypatch, capsys, "ingest", "--no-extract", "--db", db, str(tmp_path / "c.txt"))
    for words in ("covid-19", "U.S.", "O'Brien"):
        code, out, err = run(monkeypatch, capsys, "search", words, "--db", db, "--format", "json")
        assert code == 0 and len(json.loads(out)) == 1, (words, err)
    code, _, err = run(monkeypatch, capsys, "search", "covid-19", "--syntax", "fts", "--db", db)
    assert code == 2 and err.startswith("newstrace: malformed search query")
