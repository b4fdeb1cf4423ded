"""The `times` layer: time expressions with TIMEX3 values.

Finding is rule-based (regexes built once from `data/times_words.tsv` and
`data/times_holidays.tsv`), in the spirit of HeidelTime: every rule is a
pattern plus a normaliser. Matches from all rules are pooled and the longest
wins where they overlap. Values are then resolved in text order against
`doc.published`, so that

- a past or future reading ("on Tuesday") follows the tense of the verb that
  governs the expression in spaCy's parse;
- a yearless date repeats the year of the same date written earlier with one
  ("October 7" after "October 7, 2023"), and with no publication date takes
  the year last written in the text, else keeps X ("XXXX-12"), never today's;
- "the same day", "that year" and "a year earlier" (after a quarter) refer
  back to what the text named before them.

`find_times` is the finder (testable without a Document); `add_times` is the
stage; `times_in_span` lets later stages (events) pick the times of a sentence.
"""
from __future__ import annotations

from newstrace.extract import stage
from newstrace.model import Document

# the rule modules register their rules on import, in this order (ties go to earlier rules)
from newstrace.extract.times import dates, relative, durations, clock  # noqa: F401,E402  isort: skip
from newstrace.extract.times.find import PREFERRED, find_times  # noqa: E402
from newstrace.extract.times.patterns import (  # noqa: F401,E402
    DAY_WORDS, HOLIDAYS, MODS, MONTHS, NUMBERS, ORDINALS, PARTS_OF_DAY, REFS, SEASONS, SET_ADJECTIVES, SET_ADVERBS,
    UNITS, WEEKDAYS,
)
from newstrace.extract.times.tense import verb_tense  # noqa: E402
from newstrace.extract.times.relative import QUARTER_REACH  # noqa: F401,E402
from newstrace.extract.times.values import NEAREST_WEEKDAY_BACK, RULES, TENSE_SLACK_DAYS, Context, rule  # noqa: F401,E402


@stage(assigns="times", requires=("sentences",))
def add_times(doc: Document, parse) -> Document:
    """Return `doc` with its `times` layer set."""
    doc.times = [
        doc.span(t["start"], t["end"], id=f"t{i}", type=t["type"], value=t["value"], mod=t["mod"])
        for i, t in enumerate(find_times(doc.text, doc.published, parse), 1)
    ]
    return doc


def times_in_span(doc: Document, start: int, end: int) -> list[dict]:
    """The times of `doc` that lie inside [start, end), e.g. one sentence (for the events stage)."""
    return [t for t in doc.times if t["start"] >= start and t["end"] <= end]
