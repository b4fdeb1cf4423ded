"""Linking on Spark: the single-machine linker's decisions, found by groupBy on keys, never a cross join."""
from __future__ import annotations

from newstrace.link.copies import COPY_KINDS
from newstrace.spark import link as sl

from spark_fixtures import corpus, corpus_runs  # noqa: F401


def test_copy_links_on_spark_are_the_single_machine_linkers(spark, corpus_runs):
    expected = {(a, b, kind) for a, b, kind in corpus_runs["expected"].all_links() if kind in COPY_KINDS}
    found = {(link["a"], link["b"], link["kind"]) for link in sl.copy_links(spark, str(corpus_runs["out"])).collect()}
    assert len(expected) >= 20
    assert found == expected


def test_bucket_pairs_pair_each_document_with_its_earlier_bucket_mates_only():
    members = [((0, 2), "c"), ((0, 0), "a"), ((1, 0), "d"), ((0, 1), "b")]
    assert list(sl.bucket_pairs(members)) == [("b", "a"), ("c", "a"), ("c", "b"), ("d", "a"), ("d", "b"), ("d", "c")]


def test_bucket_pairs_cap_candidates_and_skip_stop_keys(monkeypatch):
    monkeypatch.setattr(sl, "MAX_CANDIDATES", 2)
    members = [((0, i), f"d{i}") for i in range(5)]
    assert [pair for pair in sl.bucket_pairs(members) if pair[0] == "d4"] == [("d4", "d2"), ("d4", "d3")]
    monkeypatch.setattr(sl, "MAX_DOCS_PER_KEY", 4)
    assert list(sl.bucket_pairs(members)) == []
