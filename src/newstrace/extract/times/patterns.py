"""The times layer's vocabulary and regex building blocks, read once from `data/times_*`."""
from __future__ import annotations

import re

from newstrace import lexicons


WORDS_FILE = "times_words.tsv"
HOLIDAYS_FILE = "times_holidays.tsv"
PHRASES_FILE = "times_phrases.tsv"

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
DECADE_WORDS = {w: int(v) for w, v in lexicons.table("times_decades.tsv")}


def _spelled(kind: str) -> str:
    """The number words of `kind` (tens, units, teens) as one alternation, in file order."""
    return "|".join(w for k, w in lexicons.table("times_spelled_numbers.tsv") if k == kind)


def phrases(group: str) -> list[str]:
    """The phrases of one group of `times_phrases.tsv`, in file order (the order a rule tries them)."""
    return [row[1] for row in lexicons.table(PHRASES_FILE) if row[0] == group]


def phrase_values(group: str) -> dict[str, str]:
    """Phrase -> value for one group of `times_phrases.tsv`, for the rows that give one."""
    return {row[1]: row[2] for row in lexicons.table(PHRASES_FILE) if row[0] == group and len(row) > 2}


_TENS = _spelled("tens")
_UNITS = _spelled("units")
_TEENS = _spelled("teens")


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
_NUM = rf"(?:\d+(?:\.\d+)?|(?i:(?:{_TENS})-(?:{_UNITS}))|{_NUM_WORD})"
_UNIT = r"(?i:(?:year|month|week|day|hour|minute|second|decade|centur(?:y|ie)|quarter|fortnight|millenni(?:um|a))s?)"
_PART = _alt(PARTS_OF_DAY)
_SEASON = _alt(SEASONS)
_ORD = _alt(ORDINALS)
_B = r"(?<![\w$£€.,/-])"  # left edge: not inside a word, number or amount
_E = r"(?![\w%]|[.,/-]\d|-\w)"  # right edge: not inside a word, number or compound


def _i(text: str) -> str:
    """Case-insensitive group for a literal regex fragment."""
    return f"(?i:{text})"


def _any(group: str) -> str:
    """Case-insensitive alternation of a phrase group, in file order."""
    return _i("|".join(phrases(group)))


_MOD_WORDS = "|".join(phrases("approx_mod"))
_TIME_ZONE = rf"(?:{'|'.join(phrases('time_zone'))}|(?i:local time))"
