"""Resolving a time's value: the context a normaliser reads (publication date, tense,
what the text named before) and the date arithmetic of TIMEX3 values; the rule registry."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from newstrace.extract.times.patterns import MODS, MONTHS, NUMBERS, UNITS


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
