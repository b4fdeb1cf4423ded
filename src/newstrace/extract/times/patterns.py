"""The times layer's vocabulary and regex building blocks, read once from `data/times_*`."""
from __future__ import annotations

import re

from newstrace import lexicons


WORDS_FILE = "times_words.tsv"
HOLIDAYS_FILE = "times_holidays.tsv"

def _vocab(kind: str) -> dict[str, str]:
    return {row[1]: row[2] for row in lexicons.table(WORDS_FILE) if row[0] == kind}


MONTHS = {w: int(v) for w, v in {**_vocab("month"), **_vocab("monthabbr")}.items()}
WEEKDAYS = {w: int(v) for w, v in _vocab("weekday").items()}
NUMBERS = _vocab("number")
UNITS = _vocab("unit")
PARTS_OF_DAY = _vocab("partofday")
SEASONS = _vocab("season")
ORDINALS = {w: int(v) for w, v in _vocab("ordinal").items()}
REFS = _vocab("ref")
SET_ADVERBS = _vocab("setadv")
SET_ADJECTIVES = _vocab("setadj")
MODS = _vocab("mod")
DAY_WORDS = {w: int(v) for w, v in _vocab("dayword").items()}
HOLIDAYS = {row[0]: row[1] for row in lexicons.table(HOLIDAYS_FILE)}


def _alt(words, *, any_case: bool = True) -> str:
    """A regex alternation of `words`, longest first; `any_case` or Capitalised only."""
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    if any_case:
        return f"(?i:{body})"
    caps = "|".join(re.escape(w.capitalize()) + "|" + re.escape(w.upper()) for w in ordered)
    return f"(?:{caps})"


_FULL_MONTH = _alt(_vocab("month"), any_case=False)
_MONTH = rf"(?:{_FULL_MONTH}|{_alt(_vocab('monthabbr'), any_case=False)}\.?)"
_WEEKDAY = _alt(WEEKDAYS, any_case=False)
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUM_WORD = _alt([w for w in NUMBERS if w not in ("some",)])
_NUM = rf"(?:\d+(?:\.\d+)?|(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine))|{_NUM_WORD})"
_UNIT = r"(?i:(?:year|month|week|day|hour|minute|second|decade|centur(?:y|ie)|quarter|fortnight|millenni(?:um|a))s?)"
_PART = _alt(PARTS_OF_DAY)
_SEASON = _alt(SEASONS)
_ORD = _alt(ORDINALS)
_B = r"(?<![\w$£€.,/-])"  # left edge: not inside a word, number or amount
_E = r"(?![\w%]|[.,/-]\d|-\w)"  # right edge: not inside a word, number or compound


def _i(text: str) -> str:
    """Case-insensitive group for a literal regex fragment."""
    return f"(?i:{text})"
