"""Shared fixtures: the spaCy model once per session, a parse helper, paths to ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.model import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False, help="run slow tests too")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def nlp():
    from newstrace.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def make_doc(nlp):
    """Build a Document and its parse from a text: `doc, parse = make_doc(text, published=...)`."""

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
