"""Rules for durations and sets (recurring times)."""
from __future__ import annotations

import re

from newstrace.extract.times.patterns import (
    REFS, SET_ADJECTIVES, SET_ADVERBS, _B, _E, _FULL_MONTH, _MOD_WORDS, _NUM, _UNIT, _YEAR, _alt, _any, _i,
    phrase_values,
)
from newstrace.extract.times.values import Norm, _duration, _mod, _month_num, _num, _unit, rule


_VAGUE_VALUES = phrase_values("vague_duration")
_HALVES = phrase_values("half_duration")


@rule(
    "duration",
    rf"{_B}(?:(?P<mod>{_i(_MOD_WORDS)})\s+|(?P<pre>(?i:(?:the\s+)?(?:past|last|next|first|previous|coming|final|latest|following|other|initial|remaining)))\s+)?(?P<n>{_NUM})(?:\s+{_i('more|additional|extra')})?[\s-]+(?P<unit>{_UNIT})(?P<old>-old|\s+old)?{_E}",
)
def _duration_rule(m, ctx, start) -> Norm:
    n = _num(m["n"])
    if n is None or m["old"]:
        return None
    unit_word = m["unit"].lower()
    if re.fullmatch(_YEAR, m["n"]) and not unit_word.endswith("s"):
        return None  # "the 1988 quarter": a year, not 1,988 quarters
    if unit_word == "quarters" and ctx.text[m.start("unit") - 1] == "-":
        return None  # "three-quarters of the vote": a fraction
    if unit_word.startswith("second") and not re.match(r"\d|(?i:one|two|three|four|five|ten|few|several|thirty|twenty|fifteen)\b", m["n"]):
        return None  # "a second phase": an ordinal, not a duration
    return "DURATION", _duration(n, _unit(unit_word)), _mod(m["mod"])


@rule("vague_duration", rf"{_B}(?:(?P<pre>{_any('vague_duration')})\s+)(?P<unit>{_i('years|months|weeks|days|decades|hours|minutes|centuries')}){_E}")
def _vague_duration(m, ctx, start) -> Norm:
    """'several years', 'recent months' -> PXY, PXM; 'the past few years' -> PAST_REF (as TimeBank writes them)."""
    pre = " ".join(m["pre"].lower().split())
    if _VAGUE_VALUES.get(pre) == "PAST_REF":
        return "DATE", "PAST_REF", None
    return "DURATION", _duration("X", _unit(m["unit"])), None


@rule("bare_duration", rf"\b{_i('for|over|within|in|after')}\s+(?P<span>(?P<unit>{_i('years|months|weeks|days|decades|centuries|hours')})){_E}")
def _bare_duration(m, ctx, start) -> Norm:
    """'for years', 'within days': an unknown number of units."""
    return "DURATION", _duration("X", _unit(m["unit"])), None


@rule("half_duration", rf"{_B}(?P<w>{_i('half an hour|half a day|half a year|half an? (?:hour|day|year|month|century)')}){_E}")
def _half_duration(m, ctx, start) -> Norm:
    w = " ".join(m["w"].lower().split())
    table = _HALVES
    return ("DURATION", table[w], None) if w in table else None


@rule(
    "and_a_half",
    rf"{_B}(?:(?P<mod>{_i(_MOD_WORDS)})\s+)?(?P<n>{_i('an?|one')}|{_NUM})(?:\s+(?:1/2|½)[\s-]+(?P<unit1>{_UNIT})|[\s-]+(?P<unit2>{_UNIT})\s+{_i('and a half')}|\s+{_i('and a half')}[\s-]+(?P<unit3>{_UNIT})){_E}",
)
def _and_a_half(m, ctx, start) -> Norm:
    """'5 1/2 hours', 'a minute and a half', 'two and a half years' -> PT5H30M, PT1M30S, P2Y6M."""
    n = "1" if m["n"].lower() in ("a", "an", "one") else _num(m["n"])
    if n is None or not n.isdigit():
        return None
    value = _duration_and_half(int(n), _unit(m["unit1"] or m["unit2"] or m["unit3"]))
    return ("DURATION", value, _mod(m["mod"])) if value else None


#: half of a unit in the next smaller one, as TIMEX3 writes "2 1/2 years" (P2Y6M)
_HALF_UNIT = {"Y": "6M", "M": "15D", "D": "T12H", "TH": "30M", "TM": "30S"}


def _duration_and_half(whole: int, unit: str) -> str | None:
    """n units and a half, as one TIMEX3 duration; None for units without a smaller one."""
    if unit.startswith("T") and unit in _HALF_UNIT:
        return f"PT{whole}{unit[1]}{_HALF_UNIT[unit]}"
    if unit in _HALF_UNIT:
        return f"P{whole}{unit}{_HALF_UNIT[unit]}"
    return None


@rule("ref", rf"{_B}(?P<w>{_alt(REFS)}){_E}")
def _ref(m, ctx, start) -> Norm:
    w = " ".join(m["w"].lower().split())
    if w == "current" and ctx.pos_at(m.start()) not in ("ADJ",):
        return None
    return "DATE", REFS[w], None


@rule("set_adverb", rf"{_B}(?P<w>{_alt({**SET_ADVERBS, **SET_ADJECTIVES})}){_E}")
def _set_adverb(m, ctx, start) -> Norm:
    """'held annually', 'daily rallies': a SET. A period adjective of business news
    ('a quarterly dividend', 'monthly payments') names the figure's period, not a recurrence
    (TimeBank leaves it out); the day-to-hour frequencies are times in either use."""
    word = m["w"].lower()
    if word in SET_ADJECTIVES:
        return "SET", SET_ADJECTIVES[word], None
    if ctx.pos_at(start) == "ADJ":
        return None
    return "SET", SET_ADVERBS[word], None


@rule("set_every", rf"{_B}(?P<q>{_i('every|each|per|a|an')})\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_i('year|month|week|day|hour|minute|night|quarter|decade|weekend|years|months|weeks|days|hours|minutes')}){_E}")
def _set_every(m, ctx, start) -> Norm:
    q = m["q"].lower()
    if q in ("a", "an"):
        # "$5 a year", "twice a day": only after an amount or a frequency word
        before = ctx.text[max(0, m.start() - 20) : m.start()].lower()
        if not re.search(r"(?:\d|once|twice|times|million|billion|thousand|hundred|percent|%)\W*$", before):
            return None
    n = _num(m["n"]) if m["n"] else "1"
    if n is None:
        return None
    unit = m["unit"].lower().rstrip("s")
    letter = "D" if unit == "night" else ("2D" if unit == "weekend" else _unit(unit))
    if letter == "2D":
        return "SET", "XXXX-WXX-WE", None
    return "SET", _duration(n, letter), None


@rule("each_month", rf"{_B}{_i('every|each')}\s+(?P<m>{_FULL_MONTH}){_E}")
def _each_month(m, ctx, start) -> Norm:
    return "SET", f"XXXX-{_month_num(m['m']):02d}", None
