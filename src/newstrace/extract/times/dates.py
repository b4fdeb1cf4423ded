"""Rules for calendar dates: written dates, months, years, decades, weekdays and day words."""
from __future__ import annotations

import datetime as dt
import re

from newstrace.extract.times.patterns import (
    DAY_WORDS, DECADE_WORDS, PARTS_OF_DAY, WEEKDAYS, _B, _DAYNUM, _E, _FULL_MONTH, _MONTH, _PART, _TEENS, _TENS,
    _UNITS, _WEEKDAY, _YEAR, _alt, _any, _i, _vocab,
)
from newstrace.extract.times.values import (
    Norm, _day_value, _is_day, _mod, _month_num, _num, _safe_date, _shift_word, _weekday_date, _yearless_day,
    _yearless_month, rule,
)


@rule("iso_date", rf"{_B}(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d)?)?{_E}")
def _iso_date(m, ctx, start) -> Norm:
    if not _is_day(int(m["m"]), int(m["d"])):
        return None
    value = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["hh"]:
        return "TIME", f"{value}T{m['hh']}:{m['mm']}", None
    return "DATE", value, None


@rule("slash_date", rf"{_B}(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>\d\d|\d{{4}}){_E}")
def _slash_date(m, ctx, start) -> Norm:
    if not _is_day(int(m["m"]), int(m["d"])):
        return None
    year = int(m["y"])
    if year < 100:
        year += 1900 if year > 30 else 2000
    return "DATE", _safe_date(year, int(m["m"]), int(m["d"])), None


@rule(
    "month_day",
    rf"{_B}(?:(?P<shift>{_i('last|next|this')})\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:(?P<mod>{_i('early|late|mid')})[\s-])?(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAYNUM})|(?P<d2>{_DAYNUM})\s+(?:of\s+)?(?P<m2>{_MONTH}))(?:\s*,?\s*(?P<y>{_YEAR}))?{_E}",
)
def _month_day(m, ctx, start) -> Norm:
    month = _month_num(m["m1"] or m["m2"])
    day = int(re.match(r"\d+", m["d1"] or m["d2"]).group())
    if not _is_day(month, day):
        return None  # "Feb. 30": not a date
    if m["y"]:
        return "DATE", _safe_date(int(m["y"]), month, day), None
    if m["shift"] and ctx.dct is not None:
        return "DATE", _shifted_day(ctx.dct, month, day, m["shift"].lower()), None
    return "DATE", _yearless_day(ctx, month, day, m.start("m1") if m["m1"] else m.start("m2")), None


def _shifted_day(dct: dt.date, month: int, day: int, shift: str) -> str:
    """'last Oct. 23': the latest Oct. 23 before publication; 'next', the first after; 'this', this year's."""
    year = dct.year
    if shift == "last" and (month, day) >= (dct.month, dct.day):
        year -= 1
    elif shift == "next" and (month, day) <= (dct.month, dct.day):
        year += 1
    return _safe_date(year, month, day)


@rule(
    "month_year",
    rf"{_B}(?:(?P<mod>{_i('early|late|mid|the end of|the beginning of|the start of|the middle of')})[\s-]+)?(?P<m>{_MONTH})\s*(?:,|\s+of)?\s*(?P<y>{_YEAR}){_E}",
)
def _month_year(m, ctx, start) -> Norm:
    return "DATE", f"{int(m['y'])}-{_month_num(m['m']):02d}", _mod(m["mod"])


@rule(
    "month_this_year",
    rf"{_B}(?:(?P<mod>{_i('early|late|mid')})[\s-]+)?(?P<m>{_MONTH})\s+(?:of\s+)?(?P<shift>{_i('this|last|next')})\s+year{_E}",
)
def _month_this_year(m, ctx, start) -> Norm:
    """'January this year', 'June last year'."""
    step = {"this": 0, "last": -1, "next": 1}[m["shift"].lower()]
    year = str(ctx.dct.year + step) if ctx.dct else "XXXX"
    return "DATE", f"{year}-{_month_num(m['m']):02d}", _mod(m["mod"])


@rule(
    "month",
    rf"{_B}(?:(?P<mod>{_i('early|late|mid|the end of|the beginning of|the start of|the middle of')})[\s-]+)?(?:(?P<shift>{_i('last|this|next|past|coming')})\s+)?(?P<m>{_FULL_MONTH}|{_alt(_vocab('monthabbr'), any_case=False)}\.){_E}",
)
def _month(m, ctx, start) -> Norm:
    word = m["m"]
    if word.lower() in ("may", "march") and not (m["mod"] or m["shift"]) and ctx.pos_at(m.start("m")) != "PROPN":
        return None  # "May I ask", "They March on": the verb, not the month
    month = _month_num(word)
    return "DATE", _yearless_month(ctx, month, m.start("m"), _shift_word(m["shift"])), _mod(m["mod"])


@rule(
    "year",
    rf"{_B}(?:(?P<mod>{_i('early|late|mid|the end of|the beginning of|the start of|the middle of')})[\s-]+)?(?P<fiscal>{_i('fiscal|calendar')}\s+(?:year\s+)?)?(?P<y>{_YEAR}){_E}",
)
def _year(m, ctx, start) -> Norm:
    if not (m["mod"] or m["fiscal"]) and ctx.ent_at(m.start("y")) in _NOT_YEAR_ENTS:
        return None
    return "DATE", m["y"], _mod(m["mod"])


_NOT_YEAR_ENTS = {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}


@rule("spelled_year", rf"{_B}(?:(?P<m>{_FULL_MONTH})\s+)?(?P<c>(?i:nineteen))[\s-]+(?P<y>(?i:(?:{_TENS})(?:[\s-](?:{_UNITS}))?|{_TEENS}|hundred)){_E}")
def _spelled_year(m, ctx, start) -> Norm:
    """'nineteen ninety-six' (transcripts) -> 1996."""
    rest = m["y"].lower().replace("-", " ").split()
    if rest == ["hundred"]:
        year = 1900
    else:
        year = 1900 + sum(int(_num(w)) for w in rest)
    if m["m"]:
        return "DATE", f"{year}-{_month_num(m['m']):02d}", None
    return "DATE", str(year), None


@rule("year_two_thousand", rf"{_B}(?:(?i:the\s+year)\s+)?(?i:two\s+thousand)(?:\s+(?i:and\s+)?(?P<n>{_i(_UNITS + '|' + _TEENS)}))?{_E}")
def _year_two_thousand(m, ctx, start) -> Norm:
    """'the year two thousand', 'two thousand and one' (transcripts)."""
    if not m.group().lower().startswith("the year") and not m["n"]:
        return None  # "two thousand people": a number
    return "DATE", str(2000 + (int(_num(m["n"])) if m["n"] else 0)), None


@rule("spelled_decade", rf"{_B}(?i:the)\s+(?:(?P<mod>{_i('early|late|mid')})[\s-]+)?(?:'(?P<d>[2-9])0s|(?P<w>{_i('|'.join(DECADE_WORDS))})){_E}")
def _spelled_decade(m, ctx, start) -> Norm:
    """'the nineties', "the '80s" -> 199, 198 (twentieth-century decades, as news uses them)."""
    digit = int(m["d"]) if m["d"] else DECADE_WORDS[m["w"].lower()]
    return "DATE", f"19{digit}", _mod(m["mod"])


@rule("century", rf"{_B}(?:(?i:the)\s+)?(?P<n>[1-9]|1\d|2[01])(?:st|nd|rd|th)[\s-]+(?i:century){_E}")
def _century(m, ctx, start) -> Norm:
    """'the 20th century' -> 19 (TIMEX3 writes a century as its first two digits)."""
    return "DATE", f"{int(m['n']) - 1:02d}", None


@rule("decade", rf"{_B}(?:the\s+)?(?:(?P<mod>{_i('early|late|mid')})[\s-]+)?(?P<y>1[5-9]\d|20\d)0'?s{_E}")
def _decade(m, ctx, start) -> Norm:
    return "DATE", m["y"], _mod(m["mod"])


@rule(
    "weekday",
    rf"{_B}(?:(?P<shift>{_i('last|this|next|past|coming')})\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?{_E}",
)
def _weekday(m, ctx, start) -> Norm:
    weekday = WEEKDAYS[m["wd"].lower()]
    day = _weekday_date(ctx, weekday, start, _shift_word(m["shift"]))
    value = _day_value(day) if day else f"XXXX-WXX-{weekday}"
    if m["part"]:
        return "TIME", f"{value}T{PARTS_OF_DAY[m['part'].lower()]}", None
    return "DATE", value, None


@rule("weekday_set", rf"{_B}(?:(?:{_i('every|each')})\s+(?P<wd1>{_WEEKDAY})(?:\s+(?P<part1>{_PART})s?)?|(?P<wd2>{_WEEKDAY})s(?:\s+(?P<part2>{_PART})s?)?|(?P<wd3>{_WEEKDAY})\s+(?P<part3>{_PART})s){_E}")
def _weekday_set(m, ctx, start) -> Norm:
    """'every Tuesday', 'on Tuesdays', 'Tuesday nights' -> XXXX-WXX-2(TNI)."""
    weekday = WEEKDAYS[(m["wd1"] or m["wd2"] or m["wd3"]).lower()]
    part = m["part1"] or m["part2"] or m["part3"]
    suffix = f"T{PARTS_OF_DAY[part.lower().rstrip('s')]}" if part and part.lower().rstrip("s") in PARTS_OF_DAY else ""
    return "SET", f"XXXX-WXX-{weekday}{suffix}", None


@rule("day_word", rf"{_B}(?P<w>{_alt(DAY_WORDS)})(?:\s+(?P<part>{_PART}))?{_E}")
def _day_word(m, ctx, start) -> Norm:
    word = " ".join(m["w"].lower().split())
    part = PARTS_OF_DAY.get(m["part"].lower()) if m["part"] else ("NI" if word == "tonight" else None)
    if ctx.dct is None:
        value = "XXXX-XX-XX"
    else:
        value = _day_value(ctx.dct + dt.timedelta(days=DAY_WORDS[word]))
    if part:
        return "TIME", f"{value}T{part}", None
    return "DATE", value, None


@rule("this_part", rf"{_B}(?P<shift>{_any('this_part')})\s+(?P<part>{_PART}){_E}")
def _this_part(m, ctx, start) -> Norm:
    """'this morning', 'last night' -> 2025-01-22TMO, 2025-01-21TNI."""
    shift = " ".join(m["shift"].lower().split())
    part = PARTS_OF_DAY[m["part"].lower()]
    offset = -1 if "last" in shift.split() else 0  # "last night" is the night before publication
    value = _day_value(ctx.dct + dt.timedelta(days=offset)) if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{value}T{part}", None
