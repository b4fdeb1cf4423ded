"""Linking on Spark: the single-machine linker's decisions, found by groupBy on keys, never a cross join."""
from __future__ import annotations

import json
import sys

import pytest

from newstrace import spark as ns
from newstrace.errors import UsageError
from newstrace.ingest import ingest
from newstrace.link import assign_global_ids
from newstrace.link.entities import EntityIndex
from newstrace.spark import link as sl
from newstrace.store import SQLiteStore

from spark_fixtures import _export, _same_export, _single_machine, corpus, small_corpus  # noqa: F401


def _linked_on_spark(spark, paths, tmp_path, extract):
    """Run and link the paths on Spark, then import into a fresh store, which loads the links as they are."""
    out = tmp_path / "out"
    ran = ns.run_spark(paths, str(out), spark, extract=extract, link=True)
    store = SQLiteStore(str(tmp_path / "spark.db"))
    imported = ns.import_dir(str(out), store, spark)
    assert imported.linked.documents == ran.linked["documents"], "the import should load the links, not link again"
    return sl.SparkLinkReport(**{**ran.linked}), store, out


@pytest.fixture(scope="module")
def linked_runs(spark, corpus, tmp_path_factory):
    """The generated corpus linked on one machine, and on Spark."""
    tmp = tmp_path_factory.mktemp("spark-link")
    expected, _ = _single_machine([str(corpus)], tmp / "one.db", extract=False)
    report, store, out = _linked_on_spark(spark, [str(corpus)], tmp, extract=False)
    yield {"expected": expected, "report": report, "store": store, "out": out}
    expected.close()
    store.close()


def test_links_and_stories_on_spark_export_byte_identical_json_to_the_single_machine_linker(linked_runs):
    expected, store = linked_runs["expected"], linked_runs["store"]
    assert _same_export(_export(store), _export(expected))
    kinds = {kind for _, _, kind in expected.all_links()}
    assert {"exact_copy", "near_copy"} <= kinds, "the corpus should hold copies to link"
    assert any(len(s["documents"]) > 1 for s in store.stories())


def test_spark_link_report_counts_documents_pairs_and_time(linked_runs):
    report = linked_runs["report"]
    assert report.documents == sum(1 for _ in linked_runs["expected"].linked_ids())
    assert report.pairs_compared > 0 and report.component_rounds["stories"] >= 1
    assert set(report.seconds) >= {"features", "global_ids", "document_links", "event_pairs"}
    assert sum(report.links.values()) == sum(1 for _ in linked_runs["expected"].all_links())


def test_a_store_linked_on_spark_links_new_documents_as_the_single_machine_one_does(linked_runs, corpus, tmp_path):
    """The indexes are loaded too, so a later ingest links incrementally against them."""
    extra = tmp_path / "later.jsonl"
    first = json.loads((next(corpus.glob("wire_*.jsonl"))).read_text().splitlines()[0])
    extra.write_text(json.dumps({**first, "url": "https://late.example.org/1", "outlet": "late.example.org"}) + "\n")
    for store in (linked_runs["expected"], linked_runs["store"]):
        ingest([str(extra)], store, extract=False)
    assert _same_export(_export(linked_runs["store"]), _export(linked_runs["expected"]))


def test_entities_events_and_clusters_on_spark_match_the_single_machine_linker(spark, small_corpus, tmp_path):
    expected, _ = _single_machine([str(small_corpus)], tmp_path / "one.db", extract=True)
    _, store, _ = _linked_on_spark(spark, [str(small_corpus)], tmp_path, extract=True)
    exported = json.loads(_export(store))
    assert exported["entities"] and sum(bool(d["events"]) for d in exported["documents"]) >= 3
    assert _same_export(_export(store), _export(expected))
    assert sorted(map(sorted, (p.items() for p in store.event_pairs()))) == sorted(map(sorted, (p.items() for p in expected.event_pairs())))


def test_an_import_into_a_store_holding_other_documents_links_them_all_on_this_machine(spark, linked_runs, corpus, tmp_path):
    """The Spark run never saw the documents already stored, so its links are not enough there."""
    earlier = tmp_path / "earlier.jsonl"
    line = json.loads(next(corpus.glob("wire_*.jsonl")).read_text().splitlines()[1])
    earlier.write_text(json.dumps({**line, "url": "https://earlier.example.org/1"}) + "\n")
    with SQLiteStore(str(tmp_path / "mixed.db")) as store, SQLiteStore(str(tmp_path / "one.db")) as expected:
        ingest([str(earlier)], store, extract=False, link_after=False)
        imported = ns.import_dir(str(linked_runs["out"]), store, spark)
        assert imported.linked.documents == linked_runs["report"].documents + 1  # linked here, the stored one too
        ingest([str(earlier)], expected, extract=False, link_after=False)
        ingest([str(corpus)], expected, extract=False)
        assert _same_export(_export(store), _export(expected))


def test_loading_links_into_a_store_with_linked_documents_is_refused(linked_runs):
    with pytest.raises(UsageError, match="already holds linked documents"):
        ns.load_links(None, str(linked_runs["out"]), linked_runs["expected"])


# -- the rules, one by one ---------------------------------------------------------


def test_each_document_meets_every_earlier_one_sharing_a_key():
    members = [((0, 2), "c", 1), ((0, 0), "a", 1), ((1, 0), "d", 2), ((0, 1), "b", 1)]
    assert list(sl.bucket_predecessors(members)) == [("b", (["a"], 1)), ("c", (["a", "b"], 1)), ("d", (["a", "b", "c"], 2))]


def test_shared_keys_are_counted_over_every_key_a_document_gives(spark):
    rows = spark.sparkContext.parallelize([((0, 0), "a", ["k1", "k2"]), ((0, 1), "b", ["k1", "k2", "k2"]), ((0, 2), "c", ["k2"])])
    counts = dict(sl.shared_key_counts(sl.keyed(rows, lambda row: row[2]), 2).collect())
    assert counts == {"b": {"a": 3}, "c": {"a": 1, "b": 1}}  # a key given twice counts twice, as in the store


def test_a_key_held_by_too_many_earlier_documents_tells_nothing(monkeypatch):
    monkeypatch.setattr(sl, "MAX_DOCS_PER_KEY", 2)
    members = [((0, i), f"d{i}", 1) for i in range(5)]
    later = [ref for ref, _ in sl.bucket_predecessors(members)]
    assert later == ["d1", "d2"]


def test_identical_texts_meet_the_earliest_documents_with_that_text(monkeypatch):
    monkeypatch.setattr(sl, "MAX_CANDIDATES", 2)
    members = [((0, i), f"d{i}") for i in range(4)]
    assert [pair for pair in sl.first_with_same_hash(members) if pair[0] == "d3"] == [("d3", "d0"), ("d3", "d1")]


def test_versions_of_one_source_meet_both_ways_round():
    assert sorted(sl.same_source_pairs(["a", "b"])) == [("a", "b"), ("b", "a")]


def test_the_global_pass_gives_the_ids_the_store_gives(tmp_path):
    docs = [("d1", [{"id": "e1", "name": "Benjamin Netanyahu", "type": "PERSON", "mentions": [None, None]}]),
            ("d2", [{"id": "e1", "name": "Netanyahu", "type": "PERSON", "mentions": [None]},
                    {"id": "e2", "name": "Hamas", "type": "ORG", "aliases": ["Islamic Resistance Movement"], "mentions": [None]}])]
    ids, blocks = sl.global_pass([((0, n), doc_id, entities) for n, (doc_id, entities) in enumerate(docs)])
    assert ids["d2"]["e1"] == ids["d1"]["e1"] and blocks["d2"][0] == f"ent:{ids['d2']['e1']}"
    with SQLiteStore(str(tmp_path / "s.db")) as store:
        from types import SimpleNamespace

        for doc_id, entities in docs:
            with store.transaction():
                assert assign_global_ids(store, SimpleNamespace(id=doc_id, entities=entities)) == ids[doc_id]


def test_the_entity_index_keeps_the_first_name_and_gathers_aliases():
    index = EntityIndex()
    index.put_entity_global("d1", {"name": "Recep Tayyip Erdoğan", "type": "PERSON"}, "g1", ["k1"])
    index.put_entity_global("d2", {"name": "Erdogan", "type": "PERSON", "aliases": ["Recep Tayyip Erdoğan"]}, "g1", ["k1", "k2"])
    assert index.entities["g1"] == {"name": "Recep Tayyip Erdoğan", "type": "PERSON", "aliases": ["Erdogan"], "votes": {"PERSON": 2}}
    index.put_entity_global("d3", {"name": "Erdogan", "type": "ORG"}, "g1", ["k1"])
    index.put_entity_global("d4", {"name": "Erdogan", "type": "ORG"}, "g1", ["k1"])
    assert index.entities["g1"]["type"] == "PERSON"  # two votes each: the tie goes to the first of TYPE_ORDER
    assert index.global_for_keys(["k2", "k3"]) == {"k2": "g1"}


def test_connected_components_label_each_vertex_with_the_smallest_of_its_group(spark):
    sc = spark.sparkContext
    vertices = sc.parallelize(["a", "b", "c", "d", "e", "f"])
    edges = sc.parallelize([("e", "d"), ("d", "c"), ("a", "b")])
    labels, rounds = sl.connected_components(vertices, edges, 2)
    assert dict(labels.collect()) == {"a": "a", "b": "a", "c": "c", "d": "c", "e": "c", "f": "f"}
    assert rounds >= 2


def test_cli_spark_links_on_spark_and_import_loads_the_links(spark, monkeypatch, capsys, tmp_path):
    from newstrace import cli

    (tmp_path / "in").mkdir()
    for name in ("a", "b"):
        (tmp_path / "in" / f"{name}.txt").write_text("Union leaders met the owners in Rotterdam on Monday to end the strike.\n")

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["newstrace", *args])
        with pytest.raises(SystemExit) as exited:
            cli.main()
        return exited.value.code, capsys.readouterr().err

    code, err = run("spark", str(tmp_path / "in"), "--out", str(tmp_path / "run"), "--master", "local[2]", "--no-extract",
                    "--json", str(tmp_path / "corpus.json"))
    assert code == 0, err
    exported = json.loads((tmp_path / "corpus.json").read_text(encoding="utf-8"))
    assert [doc["links"][0]["kind"] for doc in exported["documents"]] == ["exact_copy"] * 2
    assert "linked on Spark: 1 pairs compared, 1 exact_copy" in err and ns.has_links(str(tmp_path / "run"))
    code, err = run("import", str(tmp_path / "run"), "--db", str(tmp_path / "news.db"))
    assert code == 0, err
    with SQLiteStore(str(tmp_path / "news.db")) as store:
        assert [kind for _, _, kind in store.all_links()] == ["exact_copy"]
