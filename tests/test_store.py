"""The store: round trips, upserts, versions, errors, search, migrations."""
from __future__ import annotations

import pytest

from newstrace.clean import clean
from newstrace.errors import BadQuery
from newstrace.model import ReadError, Record
from newstrace.store import SQLiteStore, open_store


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(str(tmp_path / "test.db")) as db:
        yield db


def doc_from(text: str, path: str = "a.txt", date: str | None = "2024-01-02", position: str | None = None):
    return clean(Record(source=path, position=position, body=text, date=date))


def test_document_round_trips_with_every_field(store):
    doc = doc_from("Revised: A headline here\n\nThe body of the article, with “quotes” and Erdoğan.")
    doc.entities = [{"id": "e1", "type": "PERSON", "name": "Erdoğan", "aliases": [], "mentions": [], "global_id": None}]
    store.put_documents([doc])
    back = store.get_document(doc.id)
    assert back.to_dict() == doc.to_dict()


def test_same_document_twice_changes_nothing(store):
    doc = doc_from("Same text.")
    first = store.put_documents([doc])
    second = store.put_documents([doc_from("Same text.")])
    assert first.added == [doc.id] and second.unchanged == [doc.id] and not second.added
    assert store.stats()["documents"] == 1


def test_edited_version_keeps_both_and_relates_them(store):
    old = doc_from("The first version of the story.")
    new = doc_from("The second, corrected version of the story.")
    store.put_documents([old])
    report = store.put_documents([new])
    assert report.versions == [(old.id, new.id)]
    assert store.get_document(old.id).versions == [new.id]
    assert store.get_document(new.id).versions == [old.id]


def test_same_text_from_another_source_is_another_document(store):
    store.put_documents([doc_from("Identical wire copy.", path="a.txt"), doc_from("Identical wire copy.", path="b.txt")])
    assert store.stats()["documents"] == 2 and store.stats()["version_pairs"] == 0


def test_layers_added_later_update_the_document_but_a_plain_reingest_keeps_them(store):
    plain = doc_from("Text to extract.")
    store.put_documents([plain])
    extracted = doc_from("Text to extract.")
    extracted.sentences = [[0, 16]]
    assert store.put_documents([extracted]).updated == [plain.id]
    assert store.put_documents([doc_from("Text to extract.")]).unchanged == [plain.id]
    assert store.get_document(plain.id).sentences == [[0, 16]]


def test_id_prefix_finds_a_document(store):
    doc = doc_from("Prefix lookup.")
    store.put_documents([doc])
    assert store.get_document(doc.id[:6]).id == doc.id
    assert store.get_document("zzzz") is None


def test_errors_are_recorded_once_with_a_count(store):
    error = ReadError("bad.jsonl", "line 3", "invalid JSON", "fix the line")
    store.put_errors([error])
    store.put_errors([error])
    [row] = list(store.errors())
    assert (row["path"], row["position"], row["count"]) == ("bad.jsonl", "line 3", 2)


def test_search_finds_words_and_phrases(store):
    store.put_documents([doc_from("Hamas officials met in Istanbul.", path="a.txt"), doc_from("A storm hit Brittany.", path="b.txt")])
    assert [r["path"] for r in store.search("Istanbul")] == ["a.txt"]
    assert [r["path"] for r in store.search('"storm hit"')] == ["b.txt"]
    assert store.search("nothing") == []


def test_search_without_accents_finds_accented_words(store):
    store.put_documents([doc_from("Erdoğan spoke in Ankara.")])
    assert len(store.search("Erdogan")) == 1


@pytest.mark.parametrize("query", ['"unclosed', "AND AND", "title:"])
def test_malformed_search_is_a_clear_error(store, query):
    with pytest.raises(BadQuery) as caught:
        store.search(query)
    assert "malformed search query" in str(caught.value)


def test_migrations_run_once_and_are_recorded(tmp_path):
    path = str(tmp_path / "m.db")
    with SQLiteStore(path) as first:
        names = first.migrations()
        first.put_documents([doc_from("Kept across reopen.")])
    with SQLiteStore(path) as again:
        assert again.migrations() == names and len(names) >= 3
        assert again.stats()["documents"] == 1


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    from newstrace.errors import StoreError

    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError) as caught:
        open_store(str(path))
    assert str(path) in str(caught.value)
    assert path.read_text().startswith("this is not sqlite")
