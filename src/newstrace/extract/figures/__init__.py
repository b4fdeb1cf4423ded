"""The `figures` layer: numbers a report gives, with what they count and who says so.

A figure is a run of number tokens in digits or words ("1,200", "1.2
million", "a million", "Forty-six thousand") or a vague amount ("dozens",
"hundreds of thousands"), plus an adjacent unit symbol or word ("$", "%",
"percent"), which the span includes.

Vague amounts follow ACLED's convention for vague fatality reports: the most
conservative reading is coded, "tens" 10, "dozens" 12, "hundreds" 100,
"thousands" 1000 and so on (data/figure_vague.tsv). Such a figure has
`vague` true, `value` = `low` = that reading, and `high` the largest reading
below the next order of magnitude ("hundreds": 100 to 999). "hundreds of
thousands" multiplies both readings. "several", "many" and "a few" are not
figures. An exact figure has `value` = `low` = `high`, except a range "10-15
people" (low 10, high 15, value 10) and a qualifier: "over"/"more than"/"at
least" leave `high` null, "up to" leaves `low` null.

Not figures: numbers inside a Time span, 4-digit years outside a noun phrase,
times of day ("10:30", "3 p.m."), scores ("1-0", "10-1": a pair of numbers
joined by a hyphen with no counted noun after it), ordinals, "one of",
"one" as a pronoun, model names ("Su-34"), list numbering ("1) boiled") and
page furniture ("page 2", data/figure_skip.txt). A qualifier word that is a
preposition of a verb ("talking about one area") qualifies nothing.

`counts` is read from the parse (data/figure_counts.tsv): the noun the number
modifies ("hostages", "deaths"), its "of" complement ("dozens of deaths"),
a participle or relative clause on that noun ("1,200 people killed"), the verb
that governs it ("killing over 1,200 people", "abduct hundreds", "causing
dozens to die", "have been displaced") or its predicate ("are dead"), or the
subject of "the death toll rose to 35". `claimed_by` is the innermost
attribution whose content covers the figure.
"""
from __future__ import annotations

from newstrace.extract import stage
from newstrace.extract.figures.finder import Figures
from newstrace.extract.figures.lexicon import Lexicon
from newstrace.model import Document


@stage(assigns="figures", requires=("entities", "attributions"))
def add_figures(doc: Document, parse) -> Document:
    """Return `doc` with its `figures` layer set."""
    return Figures.shared(Lexicon.load)(doc, parse)


__all__ = ["Figures", "Lexicon", "add_figures"]
