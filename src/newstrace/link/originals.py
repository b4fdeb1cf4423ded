"""Which of two copied reports is the original: only evidence that points one way decides.

Each clue looks at the pair and names the report it takes for the original,
or says nothing:

- an earlier publication date;
- a title marker ("Revised:", "UPDATE", "CORRECTED") on one report only:
  the other came first;
- a publication date on one report only: the other dropped it;
- a dateline ("KESSEL, March 5 (Reuters) -") in one report only: the
  other dropped it;
- one report naming the other's outlet while the other does not name it
  back: in its text ("the Kessel Courier reported"), or, when the other is
  a news agency (its outlet or its site, data/link_wires.tsv), anywhere the
  agency is credited: byline, dateline ("(Reuters) -"), copyright line
  ("© AFP", kept in the removed furniture).

When the clues that speak all name the same report, it is the original,
and the reason lists them. When none speaks, or they disagree, the
original is unknown (None: the contract's Link has no other value for
it), and the reason says which. Page furniture (navigation, share links)
is never a clue: a copy strips it as often as it adds it.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from newstrace import lexicons
from newstrace.extract.entities.names import fold
from newstrace.link import text as lt
from newstrace.model import Document
from newstrace.nlp.index import find_dateline

#: Title flags that mark a report as a later edit of another.
REVISION_FLAGS = frozenset({"revised", "updated", "corrected"})
#: An outlet name shorter than this (folded) is too likely an ordinary word to count as cited.
MIN_OUTLET = 4

Clue = tuple[str, str]  # (id of the report the clue takes for the original, why)


def likely_original(a: Document, b: Document) -> tuple[str | None, str]:
    """The likely original of a copied pair and why; None, with the reason, when the evidence does not point one way."""
    clues = [clue for find in CLUES for clue in find(a, b)]
    named = {original for original, _ in clues}
    if len(named) == 1:
        return clues[0][0], f"{clues[0][0]} is the likely original: " + "; ".join(why for _, why in clues)
    if named:
        return None, "the original is unknown: the clues disagree (" + "; ".join(why for _, why in clues) + ")"
    return None, "the original is unknown: nothing tells which came first" + _furniture_note(a, b)


def _furniture_note(a: Document, b: Document) -> str:
    if len(a.boilerplate) == len(b.boilerplate):
        return ""
    padded = a if len(a.boilerplate) > len(b.boilerplate) else b
    return f" ({padded.id} carries more page furniture, which tells nothing)"


# -- the clues ------------------------------------------------------------------


def date_clue(a: Document, b: Document) -> Iterator[Clue]:
    if a.published and b.published and a.published != b.published:
        first, other = (a, b) if a.published < b.published else (b, a)
        yield first.id, f"{first.id} was published first ({first.published}, the other {other.published})"


def title_clue(a: Document, b: Document) -> Iterator[Clue]:
    marked = [(d, sorted(REVISION_FLAGS & set(d.title_flags))) for d in (a, b)]
    flagged = [(d, flags) for d, flags in marked if flags]
    if len(flagged) == 1:
        edited, flags = flagged[0]
        other = b if edited is a else a
        yield other.id, f"{edited.id}'s title is marked {flags[0]!r}"


def dropped_date_clue(a: Document, b: Document) -> Iterator[Clue]:
    if bool(a.published) != bool(b.published):
        dated, undated = (a, b) if a.published else (b, a)
        yield dated.id, f"{undated.id} dropped the publication date"


def dateline_clue(a: Document, b: Document) -> Iterator[Clue]:
    lines = {d.id: find_dateline(d.text) for d in (a, b)}
    if bool(lines[a.id]) != bool(lines[b.id]):
        kept, dropped = (a, b) if lines[a.id] else (b, a)
        start, end = lines[kept.id]
        yield kept.id, f"{dropped.id} dropped the dateline {kept.text[start:end].strip()!r}"


def citation_clue(a: Document, b: Document) -> Iterator[Clue]:
    a_names_b, b_names_a = _names(a, b), _names(b, a)
    if b_names_a and not a_names_b:
        yield a.id, f"{b.id} {b_names_a}"
    elif a_names_b and not b_names_a:
        yield b.id, f"{a.id} {a_names_b}"


CLUES: tuple[Callable[[Document, Document], Iterator[Clue]], ...] = (
    date_clue, title_clue, dropped_date_clue, dateline_clue, citation_clue)


# -- who names whom ---------------------------------------------------------------


def _names(citing: Document, cited: Document) -> str | None:
    """How `citing` names `cited`'s outlet ("credits Reuters, cited's outlet", "cites ..."), or None."""
    wire = wire_of(cited)
    if wire and wire in credited_wires(citing):
        return f"credits {wire}, the outlet of the other"
    outlet = " ".join(lt.words(cited.outlet or ""))
    if len(outlet) >= MIN_OUTLET and not _is_domain(cited.outlet) and f" {outlet} " in f" {' '.join(lt.words(citing.text))} ":
        return f"cites the other's outlet, {cited.outlet}"
    return None


def _is_domain(outlet: str | None) -> bool:
    return bool(outlet) and " " not in outlet.strip() and "." in outlet


@functools.cache
def wires() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(canonical name, names as credits write them, web domains) of each news agency in data/link_wires.tsv."""
    return tuple((row[0], tuple(row[1].split("|")), tuple(row[2].split("|"))) for row in lexicons.table("link_wires.tsv"))


@functools.cache
def _credit_pattern() -> re.Pattern:
    names = sorted({name for _, names, _ in wires() for name in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def wire_of(doc: Document) -> str | None:
    """The news agency a report is published by (its outlet or its URL's site), or None."""
    outlet = fold(doc.outlet or "")
    host = (urlsplit(doc.url).hostname or "") if doc.url else ""
    for canonical, names, domains in wires():
        if outlet and outlet in {fold(n) for n in (canonical, *names)} | {fold(d) for d in domains}:
            return canonical
        if any(host == d or host.endswith("." + d) for d in domains):
            return canonical
    return None


def credited_wires(doc: Document) -> set[str]:
    """The agencies a report names, as a credit or a source: in its text (dateline and byline included) and its removed credits."""
    canonical = {name: wire for wire, names, _ in wires() for name in names}
    return {canonical[m.group(1)] for part in (doc.text, *doc.boilerplate) for m in _credit_pattern().finditer(part)}
