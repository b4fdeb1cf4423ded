"""Word lists and lexicons, read once per process from `newstrace/data/`: the one loader of data files.

Every data file starts with a `#` line giving its provenance: a file whose
first line is not one is refused (`DataFileError`, naming the file) when it
is first read. After that, blank lines and `#` lines are skipped. A line
may hold tab-separated columns.
"""
from __future__ import annotations

import functools
from importlib import resources


class DataFileError(ValueError):
    """A data file that breaks the rules: no provenance line, or a row its reader cannot use."""


def entries(raw: str, name: str) -> tuple[str, ...]:
    """The entries of data file `name` whose text is `raw`; raises `DataFileError` without a provenance line."""
    first = raw.splitlines()[0] if raw else ""
    if not first.startswith("#"):
        raise DataFileError(f"{name}: the first line must be a '#' line saying where the entries come from, not {first[:60]!r}")
    return tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@functools.cache
def lines(name: str) -> tuple[str, ...]:
    """The entries of data file `name`, comments and blank lines dropped."""
    return entries(resources.files("newstrace.data").joinpath(name).read_text(encoding="utf-8"), name)


@functools.cache
def words(name: str) -> frozenset[str]:
    """Data file `name` as a set of lower-cased entries."""
    return frozenset(line.lower() for line in lines(name))


@functools.cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Data file `name` as rows of tab-separated columns."""
    return tuple(tuple(col.strip() for col in line.split("\t")) for line in lines(name))


@functools.cache
def groups(name: str) -> dict[str, frozenset[str]]:
    """Data file `name`, rows of (group, word), as a set of lower-cased words per group."""
    out: dict[str, set[str]] = {}
    for row in table(name):
        if len(row) != 2:
            raise DataFileError(f"{name}: a row must be a group and a word, tab-separated, not {chr(9).join(row)!r}")
        out.setdefault(row[0], set()).add(row[1].lower())
    return {group: frozenset(members) for group, members in out.items()}
