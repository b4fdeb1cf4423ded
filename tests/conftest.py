"""Shared fixtures: the spaCy model once per session, the full pipeline on a text, a parse helper, paths to ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.model import Document, Record

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False, help="run slow tests too")


#: A test that needs one of these starts a service (a Spark session, a PostgreSQL server): slow.
SLOW_FIXTURES = frozenset({"spark", "postgres_server", "postgres_database", "postgres_url"})


def is_slow(item) -> bool:
    """Marked slow, or needing Spark, PostgreSQL (the store suite's postgresql run) or the browser (tests/e2e)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return ("slow" in item.keywords or bool(SLOW_FIXTURES & set(getattr(item, "fixturenames", ())))
            or params.get("store_url") == "postgresql" or "e2e" in Path(str(item.fspath)).parts)


def pytest_collection_modifyitems(config, items):
    run_slow = config.getoption("--slow")
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
            if not run_slow:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def nlp():
    from newstrace.nlp import load_nlp

    return load_nlp()


#: The title `run_pipeline` gives a record when a test names none, so that cleaning keeps a
#: headline-like first line in the text (with no title, `clean` would take that line as the title).
TEST_TITLE = "A report made by a test"


@pytest.fixture(scope="session")
def run_pipeline(nlp):
    """The full per-document pipeline on a text: `doc = run_pipeline(text, published=..., title=...)`.

    Builds a Record and runs it through `newstrace.pipeline.process_batch`, as
    `newstrace ingest` does: cleaning, then the sentences and every stage
    (entities, times, quotes, attributions, figures, events) on one parse.
    Fails when cleaning changed the text, so a test's offsets into `text` stay
    offsets into `doc.text`, and when a stage raised (the pipeline yields that
    as a ReadError and goes on).
    """
    from newstrace.pipeline import process_batch

    def run(text: str, published: str | None = None, title: str | None = TEST_TITLE) -> Document:
        record = Record(source="test.txt", body=text, title=title, date=published)
        out = list(process_batch([record]))
        docs = [item for item in out if isinstance(item, Document)]
        assert len(docs) == 1 and len(out) == 1, [getattr(item, "message", lambda: item)() for item in out]
        doc = docs[0]
        assert doc.text == text, f"cleaning changed the test's text: {text!r} -> {doc.text!r}"
        return doc

    return run


@pytest.fixture(scope="session")
def make_doc(nlp):
    """A Document and its parse from a text, no stage run: `doc, parse = make_doc(text, published=...)`.

    For tests of one stage's finder on layers the test sets itself; a test of
    what a document ends up with uses `run_pipeline`.
    """

    def build(text: str, published: str | None = None, title: str | None = None):
        doc = Document(id="test", source={"path": "test.txt", "position": None}, text=text, published=published, title=title)
        parse = nlp(text)
        doc.sentences = [[s.start_char, s.end_char] for s in parse.sents]
        return doc, parse

    return build


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


#: Spark in local mode, small: the tests share one session.
SPARK_CONF = {"spark.driver.memory": "1g", "spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}


@pytest.fixture(scope="session")
def spark():
    from newstrace import spark as ns

    missing = ns.spark_available()
    if missing:
        pytest.skip(f"Spark cannot run here: {missing}")
    session = ns.spark_session("local[2]", SPARK_CONF, app_name="newstrace-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
