"""SQLite-only store behaviours. What every backend must do is in test_store_backends.py,
which runs on SQLite and on a throwaway PostgreSQL server."""
from __future__ import annotations

import pytest

from newstrace.clean import clean
from newstrace.errors import StoreError
from newstrace.model import Record
from newstrace.store import SQLiteStore, open_store


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(str(tmp_path / "test.db")) as db:
        yield db


def doc_from(text: str, path: str = "a.txt", date: str | None = "2024-01-02", position: str | None = None):
    return clean(Record(source=path, position=position, body=text, date=date))


def test_same_text_from_another_source_is_another_document(store):
    store.put_documents([doc_from("Identical wire copy.", path="a.txt"), doc_from("Identical wire copy.", path="b.txt")])
    assert store.stats()["documents"] == 2 and store.stats()["version_pairs"] == 0


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError) as caught:
        open_store(str(path))
    assert str(path) in str(caught.value)
    assert path.read_text().startswith("this is not sqlite")
