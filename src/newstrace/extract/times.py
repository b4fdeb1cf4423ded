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

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from newstrace import lexicons
from newstrace.extract import stage
from newstrace.model import Document


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


# --- the resolution context ---------------------------------------------------


@dataclass
class Context:
    """What a normaliser may look at: the publication date, the tense, what came before."""

    dct: dt.date | None
    tense: Callable[[int], str | None]
    pos_at: Callable[[int], str]
    ent_at: Callable[[int], str]
    text: str = ""
    anchor_year: int | None = None  # the year of the last date written with one
    last_quarter: str | None = None  # the last quarter named ("2025-Q3") and where it ended
    last_quarter_end: int = 0
    dated: dict = field(default_factory=dict)  # (month, day) -> year, from dates written with a year
    last_day: dt.date | None = None  # the last day-precise date, for "the same day"
    last_day_value: str | None = None
    last_day_end: int = 0
    last_year: int | None = None  # the year of the last date mentioned, for "that year"

    def fixed_year(self, month: int, day: int | None = None) -> int | None:
        """The year a yearless date takes from the text, if the text fixes one.

        The same month and day written earlier with a year ("October 7, 2023" ...
        "October 7") is the same date. With no publication date to read it from,
        the year of the last date written with one holds. (Carrying that year to
        any later yearless date, within the paragraph or the whole text, scored
        lower on TempEval-3 than reading it from the publication date: news
        reports jump between past dates and the present.)
        """
        if day is not None and (month, day) in self.dated:
            return self.dated[(month, day)]
        if self.dct is None:
            return self.anchor_year
        return None


@dataclass
class Found:
    """One rule's match, before normalisation."""

    start: int
    end: int
    rule: str
    match: re.Match


Norm = tuple[str, str, str | None] | None  # (type, value, mod) or None to drop the match


# --- small helpers ------------------------------------------------------------


def _num(word: str) -> str | None:
    """'three' -> '3', '2.5' -> '2.5', 'several' -> 'X'."""
    w = " ".join(word.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return w.rstrip("0").rstrip(".") if "." in w else str(int(w))
    if w in NUMBERS:
        return NUMBERS[w]
    m = re.fullmatch(r"(\w+)-(\w+)", w)
    if m and m.group(1) in NUMBERS and m.group(2) in NUMBERS:
        return str(int(NUMBERS[m.group(1)]) + int(NUMBERS[m.group(2)]))
    return None


def _unit(word: str) -> str:
    w = word.lower()
    for stem in sorted(UNITS, key=len, reverse=True):
        if w.startswith(stem):
            return UNITS[stem]
    if w.startswith("millenni"):
        return "1000Y"
    return "Y"


def _duration(n: str, unit: str) -> str:
    """TIMEX3 duration: ('3', 'D') -> P3D, ('2', 'TH') -> PT2H, ('2', '10Y') -> P20Y."""
    if unit[:-1].isdigit():  # decade, century: a multiple of years or weeks
        mult, unit = int(unit[:-1]), unit[-1]
        n = "X" if n == "X" else _fmt_number(float(n) * mult)
    if n == "0.5":
        halves = {"Y": ("6", "M"), "M": ("2", "W"), "W": ("3.5", "D"), "D": ("12", "TH"), "TH": ("30", "TM"), "TM": ("30", "TS")}
        n, unit = halves.get(unit, (n, unit))
    if unit.startswith("T"):
        return f"PT{n}{unit[1]}"
    return f"P{n}{unit}"


def _fmt_number(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


def _mod(word: str | None) -> str | None:
    if not word:
        return None
    return MODS.get(" ".join(word.lower().rstrip("-").split()))


def _day_value(d: dt.date) -> str:
    return d.isoformat()


def _week_value(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _yearless_day(ctx: Context, month: int, day: int, start: int) -> str:
    """Year for a month-day: the year last fixed in the text, else by tense around the publication date."""
    fixed = ctx.fixed_year(month, day)
    if fixed is not None:
        return _safe_date(fixed, month, day)
    if ctx.dct is None:
        return f"XXXX-{month:02d}-{day:02d}"
    year = ctx.dct.year + _nearest_year_shift(month - ctx.dct.month)
    gap = (_clamped_date(year, month, day) - ctx.dct).days
    if abs(gap) > TENSE_SLACK_DAYS:
        tense = ctx.tense(start)
        if tense == "past" and gap > 0:
            year -= 1
        elif tense == "future" and gap < 0:
            year += 1
    return _safe_date(year, month, day)


def _clamped_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, 28))


def _yearless_month(ctx: Context, month: int, start: int, shift: str | None = None) -> str:
    if shift in ("last", "past", "previous"):
        if ctx.dct is None:
            return f"XXXX-{month:02d}"
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        return f"{year}-{month:02d}"
    if shift in ("next", "coming"):
        if ctx.dct is None:
            return f"XXXX-{month:02d}"
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        return f"{year}-{month:02d}"
    if shift == "this":
        return f"{ctx.dct.year}-{month:02d}" if ctx.dct else f"XXXX-{month:02d}"
    fixed = ctx.fixed_year(month)
    if fixed is not None:
        return f"{fixed}-{month:02d}"
    if ctx.dct is None:
        return f"XXXX-{month:02d}"
    year = ctx.dct.year + _nearest_year_shift(month - ctx.dct.month)
    gap = (year * 12 + month) - (ctx.dct.year * 12 + ctx.dct.month)
    if abs(gap) > TENSE_SLACK_DAYS // 30:
        tense = ctx.tense(start)
        if tense == "past" and gap > 0:
            year -= 1
        elif tense == "future" and gap < 0:
            year += 1
    return f"{year}-{month:02d}"


#: A yearless date this close to publication keeps its nearest reading whatever the
#: tense ("extended the offer to Nov. 20", "said on Jan. 13"); past it, the tense decides.
TENSE_SLACK_DAYS = 60


def _nearest_year_shift(month_gap: int) -> int:
    """-1, 0 or 1: the reading of a month that lies within half a year of publication."""
    if month_gap > 6:
        return -1
    if month_gap < -6:
        return 1
    return 0


def _is_day(month: int, day: int) -> bool:
    """Could `month`/`day` be a date in some year (Feb. 29 included)?"""
    try:
        dt.date(2000, month, day)
    except ValueError:
        return False
    return True


def _safe_date(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year}-{month:02d}-{day:02d}"


#: with no past or future tense, a weekday is the nearest one: up to this many days back, else ahead
NEAREST_WEEKDAY_BACK = 4


def _weekday_date(ctx: Context, weekday: int, start: int, shift: str | None) -> dt.date | None:
    """The date of a weekday (1 = Monday): backwards in a past-tense sentence, forwards in a future one."""
    if ctx.dct is None:
        return None
    base = ctx.dct
    delta = weekday - 1 - base.weekday()
    if shift in ("last", "past", "previous"):
        return base + dt.timedelta(days=delta - 7 if delta >= 0 else delta)
    if shift in ("next", "coming"):
        return base + dt.timedelta(days=delta + 7 if delta <= 0 else delta)
    if shift == "this":
        return base + dt.timedelta(days=delta)
    tense = ctx.tense(start)
    if tense == "future":
        return base + dt.timedelta(days=delta if delta >= 0 else delta + 7)
    if tense in (None, "present"):  # "the summit opens Friday": the nearest one, leaning back
        past = delta if delta <= 0 else delta - 7
        return base + dt.timedelta(days=past if past >= -NEAREST_WEEKDAY_BACK else past + 7)
    return base + dt.timedelta(days=delta if delta <= 0 else delta - 7)


def _quarter_year(ctx: Context, quarter: int, start: int) -> str:
    if ctx.anchor_year is not None and ctx.dct is None:
        return str(ctx.anchor_year)
    if ctx.dct is None:
        return "XXXX"
    year = ctx.dct.year
    first_month = 3 * (quarter - 1) + 1
    if first_month > ctx.dct.month and ctx.tense(start) != "future":
        year -= 1
    return str(year)


def _shift_word(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().split()[-1]
    return {"the": None}.get(w, w)


# --- rules: pattern -> normaliser ----------------------------------------------

RULES: list[tuple[str, re.Pattern, Callable[[re.Match, Context, int], Norm]]] = []


def rule(name: str, pattern: str):
    """Register a normaliser for `pattern` (compiled once, at import)."""
    compiled = re.compile(pattern)

    def register(fn):
        RULES.append((name, compiled, fn))
        return fn

    return register


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


_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"


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


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}


@rule("spelled_decade", rf"{_B}(?i:the)\s+(?:(?P<mod>{_i('early|late|mid')})[\s-]+)?(?:'(?P<d>[2-9])0s|(?P<w>{_i('|'.join(_DECADE_WORDS))})){_E}")
def _spelled_decade(m, ctx, start) -> Norm:
    """'the nineties', "the '80s" -> 199, 198 (twentieth-century decades, as news uses them)."""
    digit = int(m["d"]) if m["d"] else _DECADE_WORDS[m["w"].lower()]
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


@rule("this_part", rf"{_B}(?P<shift>{_i('this|last|early this|late last|later this|earlier this')})\s+(?P<part>{_PART}){_E}")
def _this_part(m, ctx, start) -> Norm:
    """'this morning', 'last night' -> 2025-01-22TMO, 2025-01-21TNI."""
    shift = " ".join(m["shift"].lower().split())
    part = PARTS_OF_DAY[m["part"].lower()]
    offset = -1 if "last" in shift.split() else 0  # "last night" is the night before publication
    value = _day_value(ctx.dct + dt.timedelta(days=offset)) if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{value}T{part}", None


_REL_UNIT = r"(?i:year|month|week|weekend|quarter|decade|century|day)"


@rule(
    "relative_unit",
    rf"{_B}(?:(?P<mod>{_i('early|late|earlier|later|the end of|the beginning of|the start of|the middle of|the rest of|mid')})[\s-]+)?(?P<shift>{_i('this|last|next|the past|the previous|the coming|the current|the same|the next|past|previous|coming|current')})\s+(?P<unit>{_REL_UNIT}){_E}",
)
def _relative_unit(m, ctx, start) -> Norm:
    shift = m["shift"].lower().split()[-1]
    unit = m["unit"].lower()
    mod = _mod(m["mod"])
    if m["mod"] and m["mod"].lower().startswith("the rest"):
        mod = None
    step = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[shift]
    if shift in ("past", "coming", "next") and m["shift"].lower().startswith("the") and unit not in ("year", "week", "weekend"):
        # "the past month", "the next month": a stretch of time ending (starting) now
        return "DURATION", _duration("1", _unit(unit)), mod
    if unit == "day":
        if shift == "same" and ctx.last_day_value:
            return "DATE", ctx.last_day_value, None
        if ctx.dct is None or shift == "same":
            return "DATE", "XXXX-XX-XX", None
        return "DATE", _day_value(ctx.dct + dt.timedelta(days=step)), mod
    if unit == "weekend":
        return "DATE", _weekend_value(ctx, start, step if shift not in ("this", "current") else None), mod
    return "DATE", _relative_value(ctx, unit, step), mod


@rule("the_weekend", rf"{_B}(?i:the\s+weekend){_E}")
def _the_weekend(m, ctx, start) -> Norm:
    return "DATE", _weekend_value(ctx, start, None), None


def _weekend_value(ctx: Context, start: int, step: int | None) -> str:
    """'last weekend', 'this weekend', 'the weekend' -> 2025-W03-WE; with no step, the tense picks past or next."""
    if ctx.dct is None:
        return "XXXX-WXX-WE"
    if step is None:
        step = 1 if ctx.tense(start) in ("future", "present") else -1
    saturday_gap = (5 - ctx.dct.weekday()) % 7  # days to the coming Saturday (0 on a Saturday)
    if step > 0:
        saturday = ctx.dct + dt.timedelta(days=saturday_gap)
    else:
        saturday = ctx.dct + dt.timedelta(days=saturday_gap - 7 if saturday_gap else 0)
        if ctx.dct.weekday() == 6:
            saturday = ctx.dct - dt.timedelta(days=1)
    return _week_value(saturday) + "-WE"


def _relative_value(ctx: Context, unit: str, step: int) -> str:
    """The calendar unit `step` units away from the publication date ('last week' -> 2025-W03)."""
    dct = ctx.dct
    if unit == "year":
        return str(dct.year + step) if dct else "XXXX"
    if unit == "decade":
        return str(dct.year // 10 + step) if dct else "XXX"
    if unit == "century":
        return str(dct.year // 100 + step) if dct else "XX"
    if unit == "month":
        if not dct:
            return "XXXX-XX"
        y, mth = _add_months(dct.year, dct.month, step)
        return f"{y}-{mth:02d}"
    if unit in ("week", "weekend"):
        suffix = "-WE" if unit == "weekend" else ""
        if not dct:
            return f"XXXX-WXX{suffix}"
        return _week_value(dct + dt.timedelta(weeks=step)) + suffix
    if unit == "quarter":
        if not dct:
            return "XXXX-QX"
        q = (dct.month - 1) // 3 + 1 + step
        y = dct.year + (q - 1) // 4
        return f"{y}-Q{(q - 1) % 4 + 1}"
    return "XXXX"


@rule("that_year", rf"{_B}(?:(?P<mod>{_i('earlier|later|early|late')})\s+(?:in\s+)?)?(?P<w>{_i('that year|that same year|the same year|the following year|the year after')}){_E}")
def _that_year(m, ctx, start) -> Norm:
    """'that year', 'the following year': the year last mentioned in the text (or after it)."""
    if ctx.last_year is None:
        return "DATE", "XXXX", _mod(m["mod"])
    w = " ".join(m["w"].lower().split())
    step = 1 if w in ("the following year", "the year after") else 0
    return "DATE", str(ctx.last_year + step), _mod(m["mod"])


@rule("same_day", rf"{_B}(?P<w>{_i('the same day|that same day|that day|the next day|the following day|the previous day|the day before|the day after')}){_E}")
def _same_day(m, ctx, start) -> Norm:
    w = " ".join(m["w"].lower().split())
    offset = {"the next day": 1, "the following day": 1, "the day after": 1, "the previous day": -1, "the day before": -1}.get(w, 0)
    if offset == 0 and ctx.last_day_value:
        return "DATE", ctx.last_day_value, None
    if ctx.last_day is None:
        return "DATE", "XXXX-XX-XX", None
    return "DATE", _day_value(ctx.last_day + dt.timedelta(days=offset)), None


@rule(
    "ago",
    rf"{_B}(?:(?P<mod>{_i('about|around|some|nearly|almost|roughly|more than|over|less than|at least')})\s+)?(?P<n>{_NUM})[\s-]+(?P<unit>{_UNIT})\s+(?P<dir>{_i('ago|earlier|from now|hence')}){_E}",
)
def _ago(m, ctx, start) -> Norm:
    n = _num(m["n"])
    unit = _unit(m["unit"])
    sign = -1 if m["dir"].lower() in ("ago", "earlier") else 1
    mod = _mod(m["mod"])
    base = ctx.dct
    if n == "1" and unit == "Y" and sign < 0 and not mod:
        return _year_before(ctx, start)
    if n in (None, "X") or "." in n or base is None:  # "a few years ago", or no publication date
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod
    return "DATE", _shifted(base, unit, int(n) * sign), mod


def _shifted(base: dt.date, unit: str, k: int) -> str:
    if unit == "Y":
        return str(base.year + k)
    if unit.endswith("Y") and unit[:-1].isdigit():
        return str(base.year + k * int(unit[:-1]))
    if unit == "M":
        y, mth = _add_months(base.year, base.month, k)
        return f"{y}-{mth:02d}"
    if unit == "W":
        return _week_value(base + dt.timedelta(weeks=k))
    if unit == "D":
        return _day_value(base + dt.timedelta(days=k))
    if unit == "Q":
        y, mth = _add_months(base.year, base.month, 3 * k)
        return f"{y}-Q{(mth - 1) // 3 + 1}"
    return _day_value(base)


@rule("year_earlier", rf"{_B}(?:the\s+)?(?P<w>{_i('a year earlier|a year ago|year-earlier|year-ago|a year before|the year before|the prior year|the previous year|last year')}){_E}")
def _year_earlier(m, ctx, start) -> Norm:
    if m["w"].lower().split()[-1] == "year":  # "last year", "the previous year": a whole year
        return "DATE", str(ctx.dct.year - 1) if ctx.dct else "XXXX", None
    return _year_before(ctx, start)


def _year_before(ctx: Context, start: int) -> Norm:
    """'a year earlier': the year before; the same quarter a year before when a quarter was just named."""
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", ctx.last_quarter or "")
    if quarter and start - ctx.last_quarter_end < QUARTER_REACH:
        return "DATE", f"{int(quarter[1]) - 1}-Q{quarter[2]}", None
    if ctx.dct is None:
        return "DATE", "XXXX", None
    return "DATE", str(ctx.dct.year - 1), None


#: how far (in characters) "a year earlier" looks back for a quarter it compares with
QUARTER_REACH = 400


@rule(
    "quarter",
    rf"{_B}(?:the\s+)?(?:(?P<pre>{_i('fiscal|this year.s|last year.s|next year.s|calendar|year-ago|year-earlier|comparable|corresponding')}|(?P<py>{_YEAR}))\s+)?(?P<q>{_ORD})[\s-]+(?:{_i('fiscal|calendar')}[\s-]+)?(?P<kind>{_i('quarter|half|period')})(?:\s+(?:of|in)\s+(?:{_i('fiscal')}\s+)?(?P<y>{_YEAR}))?{_E}",
)
def _quarter(m, ctx, start) -> Norm:
    q = ORDINALS[m["q"].lower()]
    kind = m["kind"].lower()
    if kind == "half":
        if q > 2:
            return None
        year = m["y"] or (str(ctx.dct.year) if ctx.dct else "XXXX")
        return "DATE", f"{year}-H{q}", None
    if kind == "period" or q > 4:
        return None
    pre = (m["pre"] or "").lower()
    if m["y"] or m["py"]:
        year = m["y"] or m["py"]
    elif pre.startswith("last") or pre.startswith("year-"):
        year = str(ctx.dct.year - 1) if ctx.dct else "XXXX"
    elif pre.startswith("next"):
        year = str(ctx.dct.year + 1) if ctx.dct else "XXXX"
    elif pre.startswith("this"):
        year = str(ctx.dct.year) if ctx.dct else "XXXX"
    else:
        year = _quarter_year(ctx, q, start)
    return "DATE", f"{year}-Q{q}", None


@rule("latest_quarter", rf"{_B}(?P<w>{_i('the latest quarter|the most recent quarter|the quarter|the latest period|the period|the year-ago quarter|the year-earlier quarter|the year-ago period|the year-earlier period')}){_E}")
def _latest_quarter(m, ctx, start) -> Norm:
    """A company's reporting quarter: the last quarter completed before publication."""
    if ctx.dct is None:
        return None
    w = " ".join(m["w"].lower().split())
    if w == "the period" or (w == "the quarter" and ctx.tense(start) == "future"):
        return None
    y, mth = _add_months(ctx.dct.year, ctx.dct.month, -3)
    if "year-" in w:
        y -= 1
    return "DATE", f"{y}-Q{(mth - 1) // 3 + 1}", None


@rule("season", rf"{_B}(?:(?P<shift>{_i('last|this|next|early|late|the|past')})\s+)(?P<s>{_SEASON})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?{_E}")
def _season(m, ctx, start) -> Norm:
    code = SEASONS[m["s"].lower()]
    shift = m["shift"].lower()
    if m["y"]:
        return "DATE", f"{m['y']}-{code}", _mod(shift if shift in ("early", "late") else None)
    if shift == "the":
        return None  # "the fall of the regime", "the spring offensive"
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}", _mod(shift if shift in ("early", "late") else None)
    season_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.dct.year
    if shift in ("last", "past"):
        year = year if season_month < ctx.dct.month - 2 else year - 1
    elif shift == "next":
        year = year if season_month > ctx.dct.month else year + 1
    elif shift in ("early", "late") and ctx.tense(start) != "future" and season_month > ctx.dct.month:
        year -= 1
    return "DATE", f"{year}-{code}", _mod(shift if shift in ("early", "late") else None)


_MOD_WORDS = "about|around|some|nearly|almost|roughly|approximately|more than|less than|at least|up to|no more than"


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


@rule("vague_duration", rf"{_B}(?:(?P<pre>{_i('recent|coming|past|next|several|many|few|the past few|the last few|the next few|the past several|a few|the past|the last')})\s+)(?P<unit>{_i('years|months|weeks|days|decades|hours|minutes|centuries')}){_E}")
def _vague_duration(m, ctx, start) -> Norm:
    """'several years', 'recent months' -> PXY, PXM; 'the past few years' -> PAST_REF (as TimeBank writes them)."""
    pre = " ".join(m["pre"].lower().split())
    if pre in ("past", "the past", "the last few", "the past few", "the past several"):
        return "DATE", "PAST_REF", None
    return "DURATION", _duration("X", _unit(m["unit"])), None


@rule("bare_duration", rf"\b{_i('for|over|within|in|after')}\s+(?P<span>(?P<unit>{_i('years|months|weeks|days|decades|centuries|hours')})){_E}")
def _bare_duration(m, ctx, start) -> Norm:
    """'for years', 'within days': an unknown number of units."""
    return "DURATION", _duration("X", _unit(m["unit"])), None


@rule("half_duration", rf"{_B}(?P<w>{_i('half an hour|half a day|half a year|half an? (?:hour|day|year|month|century)')}){_E}")
def _half_duration(m, ctx, start) -> Norm:
    w = " ".join(m["w"].lower().split())
    table = {"half an hour": "PT30M", "half a day": "PT12H", "half a year": "P6M", "half a month": "P2W", "half a century": "P50Y"}
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


_TIME_ZONE = r"(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|(?i:local time))"


@rule(
    "clock",
    rf"{_B}(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?i:a\.m\.|p\.m\.|am\b|pm\b))|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)\s+(?P<tz>{_TIME_ZONE})|(?P<w>{_i('noon|midnight|midday')}))"
    rf"(?:(?:\s+{_TIME_ZONE})?,?\s+(?:on\s+)?(?:(?P<wd>{_WEEKDAY})|(?P<dm>{_MONTH})\s+(?P<dd>{_DAYNUM})){_E})?",
)
def _clock(m, ctx, start) -> Norm:
    if m["w"]:
        hh, mm = ("24", "00") if m["w"].lower() == "midnight" else ("12", "00")  # midnight ends its day
    else:
        h = int(m["h"] or m["h2"])
        mm = m["mi"] or m["mi2"] or "00"
        ap = (m["ap"] or "").lower().replace(".", "")
        if ap == "pm" and h < 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
        if h > 23:
            return None
        hh = f"{h:02d}"
    if m["wd"]:  # "noon Thursday", "4 a.m. EDT Thursday"
        weekday = WEEKDAYS[m["wd"].lower()]
        date = _weekday_date(ctx, weekday, m.start("wd"), None)
        day = _day_value(date) if date else f"XXXX-WXX-{weekday}"
    elif m["dm"]:  # "5 p.m. EST Nov. 9"
        month, day_num = _month_num(m["dm"]), int(re.match(r"\d+", m["dd"]).group())
        if not _is_day(month, day_num):
            return None
        day = _yearless_day(ctx, month, day_num, m.start("dm"))
    else:
        day = _day_of_clock(ctx, start)
    return "TIME", f"{day}T{hh}:{mm}", None


def _day_of_clock(ctx: Context, start: int) -> str:
    """A clock time falls on the date named earlier in its sentence, else on the publication date."""
    if ctx.last_day_value and not re.search(r"[.!?]\s", ctx.text[ctx.last_day_end : start]):
        return ctx.last_day_value
    return _day_value(ctx.dct) if ctx.dct else "XXXX-XX-XX"


def _holiday_pattern() -> str:
    names = sorted(HOLIDAYS, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w).replace("'", "['’]?") for w in name.split()) for name in names)
    return f"(?i:{body})"


@rule("holiday", rf"{_B}(?:(?P<shift>{_i('last|this|next')})\s+)?(?P<h>{_holiday_pattern()})(?:\s*,?\s*(?P<y>{_YEAR}))?{_E}")
def _holiday(m, ctx, start) -> Norm:
    """'Thanksgiving Day', 'Christmas 2023', 'Good Friday': the date in the year the context gives."""
    first = m["h"][0]
    if not first.isupper():
        return None
    key = " ".join(m["h"].lower().replace("’", "'").split())
    key = key if key in HOLIDAYS else key.replace("'", "")
    rule_text = HOLIDAYS.get(key) or next((v for k, v in HOLIDAYS.items() if k.replace("'", "") == key), None)
    if rule_text is None:
        return None
    if m["y"]:
        year = int(m["y"])
    elif ctx.dct is not None:
        probe = _holiday_date(rule_text, ctx.dct.year)
        shift = (m["shift"] or "").lower()
        if shift in ("last", "this", "next"):
            year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[shift]
            if shift == "last" and probe < ctx.dct:
                year += 1
            elif shift == "next" and probe > ctx.dct:
                year -= 1
        else:
            year = int(_yearless_day(ctx, probe.month, probe.day, m.start("h"))[:4])
    elif ctx.anchor_year is not None:
        year = ctx.anchor_year
    else:
        fixed = re.fullmatch(r"(\d\d)-(\d\d)", rule_text)
        return ("DATE", f"XXXX-{fixed[1]}-{fixed[2]}", None) if fixed else ("DATE", "XXXX-XX-XX", None)
    return "DATE", _holiday_date(rule_text, year).isoformat(), None


def _holiday_date(rule_text: str, year: int) -> dt.date:
    from dateutil.easter import easter

    if rule_text.startswith("easter"):
        return easter(year) + dt.timedelta(days=int(rule_text[6:]))
    parts = rule_text.split("-") if not rule_text.startswith("-") else ["-1"] + rule_text[3:].split("-")
    if len(parts) == 2:
        return dt.date(year, int(parts[0]), int(parts[1]))
    nth, weekday, month = int(parts[0]), int(parts[1]), int(parts[2])
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - 1 - first.weekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - (weekday - 1)) % 7)


# --- finding and resolving ----------------------------------------------------

_PART_OF = re.compile(rf"\b(?P<part>{_PART})\s+of\s+(?:the\s+)?$")
_PART_AFTER = re.compile(rf"^\s+(?P<part>{_PART}){_E}")


def find_times(text: str, published: str | None, parse=None) -> list[dict]:
    """Time expressions in `text`: dicts with start, end, type, value and mod, in text order."""
    ctx = _context(text, published, parse)
    candidates = [c for c in _candidates(text) if _normalise(c, _context(text, published, parse, ctx)) is not None]
    chosen = _longest_non_overlapping(candidates)
    found: list[dict] = []
    for i, cand in enumerate(chosen):
        norm = _normalise(cand, ctx)
        if norm is None:
            continue
        kind, value, mod = norm
        room = (found[-1]["end"] if found else 0, chosen[i + 1].start if i + 1 < len(chosen) else len(text))
        start, end, kind, value = _attach_parts_of_day(text, cand.start, cand.end, kind, value, room)
        found.append({"start": start, "end": end, "type": kind, "value": value, "mod": mod})
        _remember(ctx, cand, kind, value)
    _date_clocks_by_following_day(text, found)
    return found


#: what may stand between a clock time and the day it falls on: "10:35 a.m. (0735 GMT) Friday"
_CLOCK_TO_DAY = re.compile(r"\s*\([^()]{1,30}\)\s*,?\s*(?:on\s+)?")


def _date_clocks_by_following_day(text: str, found: list[dict]) -> None:
    """A clock time followed by a bracketed other-zone reading and then a day takes that day."""
    for clock, day in zip(found, found[1:]):
        if clock["type"] != "TIME" or not re.fullmatch(r"[\dX-]+T\d\d:\d\d", clock["value"]):
            continue
        if day["type"] == "DATE" and re.fullmatch(r"[\dX]{4}-\d\d-\d\d", day["value"]) and _CLOCK_TO_DAY.fullmatch(text, clock["end"], day["start"]):
            clock["value"] = day["value"] + clock["value"][clock["value"].index("T"):]


def _candidates(text: str) -> list[Found]:
    out = []
    for name, pattern, _fn in RULES:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                # a rule may match context around its expression and name the expression "span"
                start, end = _trim(text, *(m.span("span") if "span" in pattern.groupindex else m.span()))
                out.append(Found(start, end, name, m))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    while start < end and text[start] in " \t\n":
        start += 1
    return start, end


#: rules that win a tie with another rule over the very same words
PREFERRED = ("set_every", "weekday_set", "year_earlier")


def _longest_non_overlapping(cands: list[Found]) -> list[Found]:
    """Keep the longest match where matches overlap; ties go to PREFERRED rules, then to earlier ones."""
    order = {name: (PREFERRED.index(name) if name in PREFERRED else len(PREFERRED) + i) for i, (name, _, _) in enumerate(RULES)}
    ranked = sorted(cands, key=lambda c: (-(c.end - c.start), c.start, order[c.rule]))
    taken: list[tuple[int, int]] = []
    keep = []
    for c in ranked:
        i = bisect.bisect_left(taken, (c.start, c.end))
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        keep.append(c)
    return sorted(keep, key=lambda c: c.start)


_FUNCS = {name: fn for name, _, fn in RULES}


def _normalise(cand: Found, ctx: Context) -> Norm:
    """Run `cand`'s rule. Whether it returns None must not depend on what came before
    in the text: find_times runs every rule once on a blank context to choose spans."""
    return _FUNCS[cand.rule](cand.match, ctx, cand.start)


def _attach_parts_of_day(text: str, start: int, end: int, kind: str, value: str, room: tuple[int, int]):
    """'morning of October 7' -> one TIME spanning it, value 2023-10-07TMO.

    `room` is the free stretch around the expression, so it never grows over a neighbour.
    """
    if kind != "DATE" or not re.fullmatch(r"(?:\d{4}|XXXX)-\d\d-\d\d", value):
        return start, end, kind, value
    m = _PART_OF.search(text, max(room[0], start - 30), start)
    if m and m.end() == start:
        return m.start("part"), end, "TIME", f"{value}T{PARTS_OF_DAY[m['part'].lower()]}"
    m = _PART_AFTER.match(text[end : min(end + 20, room[1])])
    if m:
        return start, end + m.end("part"), "TIME", f"{value}T{PARTS_OF_DAY[m['part'].lower()]}"
    return start, end, kind, value


_EXPLICIT_YEAR_RULES = ("iso_date", "slash_date", "month_day", "month_year")


def _remember(ctx: Context, cand: Found, kind: str, value: str) -> None:
    """Track the year last fixed in the text and the last full date, for later expressions."""
    day = re.match(r"(\d{4})-(\d\d)-(\d\d)", value)
    if kind in ("DATE", "TIME") and re.match(r"\d{4}(?:$|-)", value):
        ctx.last_year = int(value[:4])
    looks_back = cand.rule in ("ago", "year_earlier") or re.search(r"(?i)year-|last year", cand.match.group())
    if re.fullmatch(r"\d{4}-Q[1-4]", value) and not looks_back:
        ctx.last_quarter, ctx.last_quarter_end = value, cand.end
    if cand.rule in _EXPLICIT_YEAR_RULES and "y" in cand.match.groupdict() and cand.match["y"]:
        ctx.anchor_year = int(value[:4])
        if day:
            ctx.dated[(int(day[2]), int(day[3]))] = int(day[1])
    if day and cand.rule != "clock":  # a clock time does not start a new day
        try:
            ctx.last_day = dt.date(int(day[1]), int(day[2]), int(day[3]))
            ctx.last_day_value, ctx.last_day_end = day.group(), cand.end
        except ValueError:
            pass
    elif re.match(r"XXXX-\d\d-\d\d", value):
        ctx.last_day, ctx.last_day_value, ctx.last_day_end = None, value[:10], cand.end


def _context(text: str, published: str | None, parse, like: Context | None = None) -> Context:
    """A fresh resolution context; `like` lends its parse lookups (cheap copies for trial runs)."""
    if like is not None:
        return Context(dct=like.dct, tense=like.tense, pos_at=like.pos_at, ent_at=like.ent_at, text=text)
    dct = None
    if published:
        try:
            dct = dt.date.fromisoformat(published[:10])
        except ValueError:
            dct = None
    tense, pos_at, ent_at = _parse_lookups(parse)
    return Context(dct=dct, tense=tense, pos_at=pos_at, ent_at=ent_at, text=text)


def _parse_lookups(parse):
    """Functions from a character offset to the governing verb's tense and the token's POS."""
    if parse is None:
        return (lambda _: None), (lambda _: ""), (lambda _: "")
    starts = [t.idx for t in parse]

    def token_at(char: int):
        i = bisect.bisect_right(starts, char) - 1
        return parse[max(i, 0)] if len(parse) else None

    def pos_at(char: int) -> str:
        tok = token_at(char)
        return tok.pos_ if tok is not None else ""

    def ent_at(char: int) -> str:
        tok = token_at(char)
        return tok.ent_type_ if tok is not None else ""

    def tense(char: int) -> str | None:
        tok = token_at(char)
        return verb_tense(tok) if tok is not None else None

    return tense, pos_at, ent_at


_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "'d"}
_MODAL_FUTURE = {"must", "can", "may", "should", "ca"}  # not "could", "might": often past ("could not be found")
_PERFECT = {"has", "have", "had", "'ve", "'s"}
#: verbs whose to-infinitive looks ahead: "expected to meet on Tuesday"
_INTENT_LEMMAS = {"plan", "expect", "schedule", "intend", "hope", "want", "aim", "set", "due", "prepare", "agree", "vow", "promise", "threaten", "seek", "decide", "propose", "be"}


def verb_tense(tok) -> str | None:
    """'past', 'future' or 'present' for the verb that governs `tok`, None when no verb does.

    A time that modifies a noun ("Friday's ruling", "the Tuesday deadline") has no
    governing verb, and a participle or infinitive takes its tense from the verb above it.
    """
    if tok.dep_ in ("poss", "compound", "amod", "nmod") and tok.head.lower_ not in PARTS_OF_DAY:
        # "Friday's ruling angered them": a past verb dates the ruling; "get around
        # Friday's ruling" or "Thursday's closing price" say nothing about it
        return "past" if verb_tense(tok.head) == "past" else None
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            tense = _own_tense(tok)
            if tense != "inherit":
                return tense
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _own_tense(verb) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if "going" in words:
        return "future"
    if any(c.tag_ == "VBD" for c in auxes) or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and (words & _PERFECT or not auxes):
        return "past"
    if words & _MODAL_FUTURE:
        return "future"
    if verb.tag_ == "VB" and "to" in words:
        head = verb.head
        if head is not verb and head.lemma_ in _INTENT_LEMMAS:
            return "future"
        return "inherit"
    if verb.tag_ == "VBG" and not auxes:
        return "inherit"
    if verb.tag_ in ("VBZ", "VBP", "VBG") or words & {"is", "are", "am", "does", "do"}:
        return "present"
    return None


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
