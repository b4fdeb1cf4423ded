"""Data files: every one has a provenance line, and the PLOVER lexicon's rows are checked when it loads."""
from __future__ import annotations

from importlib import resources

import pytest

from newstrace import lexicons
from newstrace.extract.events import lexicon, triggers
from newstrace.lexicons import DataFileError


def test_entries_refuses_a_data_file_without_a_provenance_line():
    with pytest.raises(DataFileError, match="events_test.txt: the first line must be a '#' line"):
        lexicons.entries("attack\nstrike\n", "events_test.txt")


def test_entries_drops_comments_and_blank_lines():
    assert lexicons.entries("# from a test\nattack\n\n# more\n strike \n", "events_test.txt") == ("attack", "strike")


def test_every_data_file_starts_with_a_provenance_line():
    for path in resources.files("newstrace.data").iterdir():
        if path.name.endswith((".txt", ".tsv")):
            assert lexicons.lines(path.name) is not None


def test_load_lexicon_refuses_an_unknown_requirement_naming_the_file():
    rows = [("attack", "VERB", "ASSAULT", "-", "obj"), ("pursue", "VERB", "COERCE", "-", "actr-obj")]
    with pytest.raises(DataFileError, match=r"plover.tsv: unknown requirement 'actr-obj'"):
        lexicon.senses(rows)


@pytest.mark.parametrize("requires", ["obj=", "obj=strike||protest", "to=city"])
def test_load_lexicon_refuses_a_head_requirement_without_words_or_kind(requires):
    with pytest.raises(DataFileError, match="unknown requirement"):
        lexicon.senses([("stop", "VERB", "RETREAT", "-", requires)])


def test_load_lexicon_reads_the_shipped_lexicon_and_every_requirement_has_a_check():
    assert lexicon.load_lexicon().single
    assert set(triggers.CHECKS) == lexicon.REQUIREMENTS
    assert set(triggers.HEAD_CHECKS) == lexicon.HEAD_REQUIREMENTS
