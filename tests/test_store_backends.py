"""The store behaviours on both backends: SQLite and PostgreSQL (a throwaway server, see pg.py)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from pg import postgres_database, postgres_server, postgres_url, store, store_url  # noqa: F401

from newstrace import query
from newstrace.clean import clean
from newstrace.errors import BadQuery, StoreError
from newstrace.link import link
from newstrace.model import ReadError, Record
from newstrace.store import open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def doc_from(text: str, path: str = "a.txt", date: str | None = "2024-01-02", title: str | None = None):
    return clean(Record(source=path, body=text, date=date, title=title))


def entity(eid: str, name: str, type_: str = "ORG") -> dict:
    return {"id": eid, "type": type_, "name": name, "aliases": [], "mentions": [], "global_id": None}


# -- documents, versions, errors ------------------------------------------------

def test_document_round_trips_with_every_field(store):
    doc = doc_from("Revised: A headline here\n\nThe body of the article, with “quotes”, Erdoğan and 0.1 + 0.2.")
    doc.entities = [{"id": "e1", "type": "PERSON", "name": "Erdoğan", "aliases": [], "mentions": [], "global_id": None}]
    doc.figures = [{"id": "f1", "start": 0, "end": 3, "text": "0.1", "value": 0.30000000000000004, "low": 1e-07, "high": 10**20}]
    store.put_documents([doc])
    assert store.get_document(doc.id).to_dict() == doc.to_dict()


def test_same_document_twice_changes_nothing(store):
    first = store.put_documents([doc_from("Same text.")])
    second = store.put_documents([doc_from("Same text.")])
    assert second.unchanged == first.added and not second.added and store.stats()["documents"] == 1


def test_edited_version_keeps_both_and_relates_them(store):
    old, new = doc_from("The first version of the story."), doc_from("The second, corrected version of the story.")
    store.put_documents([old])
    assert store.put_documents([new]).versions == [(old.id, new.id)]
    assert store.get_document(old.id).versions == [new.id] and store.get_document(new.id).versions == [old.id]
    assert store.stats()["version_pairs"] == 1


def test_layers_added_later_update_the_document_but_a_plain_reingest_keeps_them(store):
    plain = doc_from("Text to extract.")
    store.put_documents([plain])
    extracted = doc_from("Text to extract.")
    extracted.sentences = [[0, 16]]
    assert store.put_documents([extracted]).updated == [plain.id]
    assert store.put_documents([doc_from("Text to extract.")]).unchanged == [plain.id]
    assert store.get_document(plain.id).sentences == [[0, 16]] and store.stats()["extracted"] == 1


def test_a_failed_batch_stores_nothing(store):
    with pytest.raises(ZeroDivisionError):
        store.put_documents(doc_from("Kept?") if i < 1 else 1 / 0 for i in range(2))
    assert store.stats()["documents"] == 0


def test_id_prefix_finds_a_document_and_an_ambiguous_prefix_is_an_error(store):
    doc, other = doc_from("Prefix lookup."), doc_from("Another one.", path="b.txt")
    store.put_documents([doc, other])
    assert store.get_document(doc.id[:6]).id == doc.id
    assert store.get_document("zzzz") is None and store.get_document("%") is None
    with pytest.raises(BadQuery):
        store.get_document("")


def test_errors_are_recorded_once_with_a_count(store):
    error = ReadError("bad.jsonl", "line 3", "invalid JSON", "fix the line")
    store.put_errors([error])
    store.put_errors([error, ReadError("bad.html", None, "empty page", "check the file")])
    rows = list(store.errors())
    assert [(r["path"], r["position"], r["count"]) for r in rows] == [("bad.jsonl", "line 3", 2), ("bad.html", "", 1)]
    assert store.stats()["errors"] == 2


def test_list_and_stats_agree(store):
    store.put_documents([doc_from("One.", date="2024-01-05"), doc_from("Two.", path="b.txt", date="2023-12-31")])
    assert [row["chars"] for row in store.list_documents()] == [4, 4]
    stats = store.stats()
    assert (stats["earliest"], stats["latest"], stats["characters"], stats["sources"]) == ("2023-12-31", "2024-01-05", 8, 2)


def _counted(store) -> tuple:
    stats = store.stats()
    return stats["documents"], stats["extracted"], stats["characters"], store.layer_counts()


def test_stats_count_layers_added_later_and_a_store_made_before_the_counts_is_filled_in(store_url):
    plain, other = doc_from("Text to extract."), doc_from("Another text here.", path="b.txt")
    extracted = doc_from("Text to extract.")
    extracted.sentences = [[0, 16]]
    extracted.entities = [entity("e1", "Text"), entity("e2", "Extract")]
    extracted.figures = [{"id": "f1", "start": 0, "end": 4, "text": "Text"}]
    with open_store(store_url) as store:
        store.put_documents([plain, other])
        store.put_documents([extracted])
        counted = _counted(store)
        assert counted == (2, 1, 34, {"entities": 2, "times": 0, "figures": 1, "quotes": 0, "attributions": 0, "events": 0})
        store.db.execute("DROP TABLE document_counts")  # as a store made before 0007_document_counts
        store.db.execute("DROP INDEX documents_outlet")
        store.db.execute("DELETE FROM migrations WHERE name = '0007_document_counts'")
    with open_store(store_url) as reopened:
        assert _counted(reopened) == counted


def test_stats_never_read_the_documents_text_or_json():
    """/stats at 100k documents took seconds when it summed the text's length and each JSON layer's."""
    from newstrace.store import SQLiteStore

    store = SQLiteStore(":memory:")
    store.put_documents([doc_from("One report.")])
    read: set[tuple[str, str]] = set()

    def authorizer(action, table, column, *_):
        if action == 20:  # SQLITE_READ: a column a statement reads, checked when it is prepared
            read.add((table, column))
        return 0  # SQLITE_OK

    store.db.set_authorizer(authorizer)
    query.corpus_stats(store)
    store.db.set_authorizer(None)
    assert read and not read & {("documents", "text"), ("documents", "data")}


# -- search ---------------------------------------------------------------------

@pytest.fixture
def searchable(store):
    store.put_documents([
        doc_from("Hamas officials met in Istanbul on Monday.", path="a.txt"),
        doc_from("A storm hit Brittany and the strike went on in Rotterdam.", path="b.txt"),
        doc_from("The strike in Rotterdam ended after talks.", path="c.txt"),
    ])
    return store


@pytest.mark.parametrize(
    "query, paths",
    [
        ("Istanbul", ["a.txt"]),
        ('"storm hit"', ["b.txt"]),
        ('"hit storm"', []),
        ("strike AND Rotterdam", ["b.txt", "c.txt"]),
        ("strike Rotterdam", ["b.txt", "c.txt"]),
        ("strike NOT storm", ["c.txt"]),
        ("Istanbul OR Brittany", ["a.txt", "b.txt"]),
        ("(Istanbul OR storm) AND Monday", ["a.txt"]),
        ("Rotter*", ["b.txt", "c.txt"]),
        ("nothing", []),
    ],
)
def test_search_finds_words_phrases_and_boolean_queries(searchable, query, paths):
    assert sorted(r["path"] for r in searchable.search(query)) == paths


def test_search_snippet_marks_the_hit(searchable):
    [row] = searchable.search("Brittany")
    assert "[Brittany]" in row["snippet"]


def test_search_without_accents_finds_accented_words(store):
    if hasattr(store, "accent_folding") and not store.accent_folding():
        pytest.skip("the PostgreSQL server has no unaccent extension")
    store.put_documents([doc_from("Erdoğan spoke in Ankara.")])
    assert len(store.search("Erdogan")) == 1


@pytest.mark.parametrize("query, syntax", [('"unclosed', "auto"), ("AND AND", "auto"), ("title:", "fts"), ("storm OR", "auto"),
                                           ("(storm", "auto"), ("NOT storm", "auto"), ("", "auto"), ("  ", "words")])
def test_malformed_search_is_a_clear_one_line_error(searchable, query, syntax):
    with pytest.raises(BadQuery) as caught:
        searchable.search(query, syntax=syntax)
    message = str(caught.value)
    assert message.startswith("malformed search query") and "\n" not in message


@pytest.fixture
def wordy(store):
    store.put_documents([
        doc_from("Covid-19 cases rose in Lyon, officials said.", path="covid.txt"),
        doc_from("Doctors said covid 19 wards were full.", path="covid-spaced.txt"),
        doc_from("The U.S. embassy said talks would go on.", path="us.txt"),
        doc_from("US forces left the base on Monday.", path="us-plain.txt"),
        doc_from("Sean O'Brien said the union would strike.", path="obrien.txt"),
        doc_from("O’Brien, a union leader, spoke on Monday.", path="obrien-curly.txt"),
        doc_from("Brien O. met union leaders in Dublin.", path="brien-o.txt"),
    ])
    return store


@pytest.mark.parametrize("query, paths", [
    ("covid-19", ["covid-spaced.txt", "covid.txt"]),
    ("Covid-19 cases", ["covid.txt"]),
    ("U.S.", ["us.txt"]),
    ("U.S. embassy", ["us.txt"]),
    ("O'Brien", ["obrien-curly.txt", "obrien.txt"]),
    ("O'Brien said", ["obrien.txt"]),
    ('"O\'Brien said" union', ["obrien.txt"]),
    ("union -", ["brien-o.txt", "obrien-curly.txt", "obrien.txt"]),
    ("title:", []),
    ("-", []),
    ("O'Brien\x00 said", ["obrien.txt"]),  # a NUL ended FTS5's reading of the phrase (found by schemathesis)
])
def test_search_reads_a_query_without_operators_as_words(wordy, query, paths):
    """Hyphens, dots and apostrophes belong to the word; the same hits on both backends."""
    assert sorted(r["path"] for r in wordy.search(query)) == paths


@pytest.mark.parametrize("query, syntax, paths", [
    ("covid-19 OR U.S.", "words", []),  # OR is a word here, and no report says it
    ('"covid-19" OR "U.S."', "fts", ["covid-spaced.txt", "covid.txt", "us.txt"]),
    ('"covid-19" OR "U.S."', "auto", ["covid-spaced.txt", "covid.txt", "us.txt"]),
    ("union NOT Monday", "auto", ["brien-o.txt", "obrien.txt"]),
    ("Bri*", "auto", ["brien-o.txt", "obrien-curly.txt", "obrien.txt"]),
])
def test_search_syntax_can_be_forced_and_operators_keep_fts5_syntax(wordy, query, syntax, paths):
    assert sorted(r["path"] for r in wordy.search(query, syntax=syntax)) == paths


# -- schema ---------------------------------------------------------------------

def test_migrations_run_once_and_are_recorded(store_url):
    with open_store(store_url) as first:
        names = first.migrations()
        first.put_documents([doc_from("Kept across reopen.")])
    with open_store(store_url) as again:
        assert again.migrations() == names and names[:5] == ["0001_documents", "0002_errors", "0003_search", "0004_links", "0005_event_views"]
        assert again.stats()["documents"] == 1


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://someone:secret@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "cannot connect to PostgreSQL" in str(caught.value) and "secret" not in str(caught.value)


def test_a_nul_character_from_a_reader_is_dropped_and_stores_on_postgresql(postgres_url):
    with open_store(postgres_url) as opened:
        opened.put_documents([doc_from("Before\x00after.")])
        [stored] = list(opened.documents())
        assert stored.text == "Beforeafter."


def test_a_nul_character_in_a_hand_built_document_is_a_clear_error_on_postgresql(postgres_url):
    doc = doc_from("Before after.")
    doc.text = "Before\x00after."
    with open_store(postgres_url) as opened:
        with pytest.raises(StoreError) as caught:
            opened.put_documents([doc])
        assert "NUL" in str(caught.value) and opened.stats()["documents"] == 0


# -- the linking tables ------------------------------------------------------------

def test_key_tables_count_shared_keys_and_skip_crowded_ones(store, monkeypatch):
    store.add_keys("lsh_bands", "d1", ["k1", "k2", "k3"])
    store.add_keys("lsh_bands", "d2", ["k2", "k3"])
    store.add_keys("lsh_bands", "d2", ["k3"])
    assert store.refs_with_keys("lsh_bands", ["k1", "k2", "k3", "k9"]) == {"d1": 3, "d2": 2}
    monkeypatch.setattr("newstrace.store.links.MAX_DOCS_PER_KEY", 1)
    assert store.refs_with_keys("lsh_bands", ["k1", "k2"]) == {"d1": 1}


def test_links_are_stored_once_per_pair_and_seen_from_each_side(store):
    evidence = [{"a": [0, 5], "b": [10, 15], "score": 0.9}]
    store.put_link("b", "a", {"kind": "rewrite", "score": 0.8, "original": "a", "evidence": evidence, "reason": "r1"})
    store.put_link("a", "b", {"kind": "exact_copy", "score": 1.0, "original": "a", "evidence": evidence, "reason": "r2"})
    assert list(store.all_links()) == [("a", "b", "exact_copy")] and store.linked_pair("b", "a") == "exact_copy"
    [from_b] = store.links_of("b")
    assert from_b["other"] == "a" and from_b["evidence"] == [{"a": [10, 15], "b": [0, 5], "score": 0.9}]


def test_global_entities_gather_aliases_and_documents(store):
    store.put_entity_global("d1", entity("e1", "Hamas"), "g1", ["hamas"])
    store.put_entity_global("d2", {**entity("e4", "the Hamas movement"), "aliases": ["Hamas"]}, "g1", ["hamas movement"])
    assert store.global_for_keys(["nope", "hamas movement", "hamas"]) == {"hamas movement": "g1", "hamas": "g1"}
    assert list(store.global_entities()) == [{"global_id": "g1", "name": "Hamas", "type": "ORG",
                                               "aliases": ["the Hamas movement"], "documents": ["d1", "d2"]}]
    assert store.global_ids_of("d2") == {"e4": "g1"}


def test_event_views_pairs_clusters_stories_and_records_round_trip(store):
    store.put_event_view("d1:v1", {"type": "CONSULT", "date": "2023-10-07"})
    store.put_event_pair("d2:v1", "d1:v1", True, None, "same actors")
    store.put_event_pair("d1:v1", "d3:v2", False, "date", "other date")
    store.add_keys("event_keys", "d1:v1", ["CONSULT|hamas"])
    store.replace_event_clusters({"d1:v1": "c1", "d2:v1": "c1"})
    origins = [{"doc": "d1", "reports": 2}]
    store.replace_stories([{"id": "s1", "label": "Talks", "first_reported": "d1", "documents": ["d1", "d2"], "origins": origins}])
    store.replace_corpus_records("conflicts", [{"id": "x2", "n": 2}, {"id": "x1", "n": 1}])
    assert store.event_view_data("d1:v1") == {"type": "CONSULT", "date": "2023-10-07"} and store.event_view_data("no") is None
    assert [(p["a"], p["b"], p["same"]) for p in store.event_pairs(same=True)] == [("d1:v1", "d2:v1", 1)]
    assert list(store.all_event_refs()) == ["d1:v1"] and store.clusters_of("d1") == {"v1": "c1"}
    assert store.story_of("d2") == "s1" and list(store.stories())[0]["documents"] == ["d1", "d2"]
    assert list(store.stories())[0]["origins"] == origins
    assert store.corpus_records("conflicts") == [{"id": "x1", "n": 1}, {"id": "x2", "n": 2}]
    store.reset_links()
    assert not list(store.event_pairs()) and not list(store.stories()) and store.corpus_records("conflicts") == []


def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.mark_linked("d1", "h1")
            raise RuntimeError("stop")
    assert store.ids_with_hash("h1") == []
    with store.transaction():
        store.mark_linked("d1", "h1")
    assert store.ids_with_hash("h1") == ["d1"]


# -- the same results on both backends -------------------------------------------

@pytest.fixture(scope="module")
def examples_on_both(tmp_path_factory, postgres_server):
    """The examples ingested, extracted and linked once into a SQLite file and once into PostgreSQL."""
    import psycopg

    from newstrace.ingest import ingest

    name = f"newstrace_examples_{os.getpid()}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    stores = [open_store(str(tmp_path_factory.mktemp("examples") / "ex.db")), open_store(f"{postgres_server}/{name}")]
    for opened in stores:
        ingest([str(EXAMPLES)], opened)
    yield stores
    for opened in stores:
        opened.close()
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _export(store) -> dict:
    """Everything the CLI export and the web pages show, as plain data (search: only what is found)."""
    first = next(query.documents(store))["id"]
    stories = query.story_page(store)["items"]
    entities = query.entity_page(store)["items"]
    counted = next((f["counts"] for f in query.figures(store)["items"] if f.get("counts")), "killed")
    return {
        "documents": list(query.documents(store)), "corpus": query.corpus(store), "stats": query.corpus_stats(store),
        "pages": [query.document_page(store), query.link_page(store), query.conflicts(store), query.events(store),
                  query.events(store, type="CONSULT"), query.figures(store), query.figures(store, counts=counted),
                  query.sources_graph(store),
                  query.document(store, first[:7])],
        # Ranking and snippets are each engine's own (bm25 and ts_rank_cd); what is found must agree.
        "found": sorted(row["id"] for row in query.search_page(store, "strike OR flood*")["items"]),
        "story": [query.story(store, s["id"]) for s in stories[:3]],
        "entities": [entities, *[query.entity(store, e["global_id"]) for e in entities[:3]]],
    }


def test_ingest_and_link_give_identical_exports_on_both_backends(examples_on_both):
    sqlite_store, postgres_store = examples_on_both
    exported = _export(sqlite_store)
    assert exported["stats"]["documents"] >= 5 and exported["corpus"]["stories"]
    assert _export(postgres_store) == exported


def test_cli_export_is_byte_identical_on_both_backends(examples_on_both, tmp_path):
    from typer.testing import CliRunner

    from newstrace.cli import app

    written = []
    for opened, name in zip(examples_on_both, ("sqlite.json", "postgresql.json")):
        location = getattr(opened, "url", None) or opened.path
        result = CliRunner().invoke(app, ["export", "--db", location, "--format", "json", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        written.append((tmp_path / name).read_bytes())
    assert written[0] == written[1] and len(written[0]) > 1000


def test_web_pages_and_their_json_are_the_same_on_both_backends(examples_on_both):
    from starlette.testclient import TestClient

    from newstrace.web.app import create_app

    sqlite_store = examples_on_both[0]
    first = query.document_page(sqlite_store)["items"][0]["id"]
    link = query.link_page(sqlite_store)["items"][0]
    story = query.story_page(sqlite_store)["items"][0]["id"]
    entity = query.entity_page(sqlite_store)["items"][0]["global_id"]
    paths = ["/documents", f"/documents/{first}", f"/copies/{link['a']}/{link['b']}", "/links", "/stories", f"/stories/{story}",
             "/entities", f"/entities/{entity}", "/events", "/events?type=CONSULT", "/figures", "/conflicts", "/sources",
             "/stats", "/errors"]
    seen = []
    for opened in examples_on_both:
        client = TestClient(create_app(getattr(opened, "url", None) or opened.path), base_url="http://localhost")
        responses = [client.get(prefix + path) for path in paths for prefix in ("", "/api/v1")]
        assert all(r.status_code == 200 for r in responses), [(r.url, r.status_code) for r in responses if r.status_code != 200]
        seen.append([r.text for r in responses])
    assert seen[0] == seen[1]


def test_full_relink_gives_the_same_export_on_postgresql(examples_on_both):
    postgres_store = examples_on_both[1]
    before = list(query.documents(postgres_store)), query.corpus(postgres_store)
    link(postgres_store, full=True)
    assert (list(query.documents(postgres_store)), query.corpus(postgres_store)) == before


# -- concurrency ------------------------------------------------------------------

def test_concurrent_ingest_and_reads_from_two_connections(store_url):
    with open_store(store_url):
        pass  # migrate first, as `newstrace ingest` would
    batches = [[doc_from(f"Report {n} about the strike in Rotterdam, part {i}.", path=f"{n}-{i}.txt") for i in range(5)] for n in range(8)]
    failures: list[BaseException] = []

    def guarded(work):
        def run():
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                failures.append(exc)
        return threading.Thread(target=run)

    def write(order):
        with open_store(store_url) as writer:
            for batch in order:
                writer.put_documents(batch)
                writer.put_errors([ReadError("bad.txt", None, "unreadable", "check it")])

    def read():
        with open_store(store_url) as reader:
            for _ in range(20):
                for row in reader.list_documents(limit=100):
                    assert reader.get_document(row["id"]) is not None
                reader.search("Rotterdam")
                reader.stats()

    threads = [guarded(lambda: write(batches)), guarded(lambda: write(batches[::-1])), guarded(read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with open_store(store_url) as after:
        assert after.stats()["documents"] == 40 and len(after.search("Rotterdam", limit=100)) == 40
        assert [row["count"] for row in after.errors()] == [16]


def test_two_connections_migrating_a_new_postgresql_database_at_once(postgres_server):
    import psycopg

    name = f"newstrace_race_{os.getpid()}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    found: list = []

    def migrate():
        try:
            with open_store(f"{postgres_server}/{name}") as opened:
                found.append(opened.migrations())
        except Exception as exc:  # noqa: BLE001 - reported below
            found.append(exc)

    threads = [threading.Thread(target=migrate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    from newstrace.store.dialect import Postgres
    from newstrace.store.schema import migrations

    every = [name for name, _ in migrations(Postgres())]
    assert len(found) == 3 and all(names == every for names in found), found


# -- the command line ---------------------------------------------------------------

def test_cli_ingest_into_postgresql(postgres_url, tmp_path):
    from typer.testing import CliRunner

    from newstrace.cli import app

    (tmp_path / "one.txt").write_text("Union leaders met the owners in Rotterdam on Monday to end the strike.\n")
    result = CliRunner().invoke(app, ["ingest", "--db", postgres_url, "--no-extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with open_store(postgres_url) as opened:
        assert opened.stats()["documents"] == 1 and opened.search("Rotterdam")
