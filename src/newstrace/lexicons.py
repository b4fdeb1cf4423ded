"""Word lists and lexicons, read once per process from `newstrace/data/`.

Every data file starts with `#` lines giving its provenance; blank lines and
`#` lines are skipped. A line may hold tab-separated columns.
"""
from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def lines(name: str) -> tuple[str, ...]:
    """The entries of data file `name`, comments and blank lines dropped."""
    raw = resources.files("newstrace.data").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.rstrip("\n")
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.strip())
    return tuple(out)


@functools.cache
def words(name: str) -> frozenset[str]:
    """Data file `name` as a set of lower-cased entries."""
    return frozenset(line.lower() for line in lines(name))


@functools.cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Data file `name` as rows of tab-separated columns."""
    return tuple(tuple(col.strip() for col in line.split("\t")) for line in lines(name))
