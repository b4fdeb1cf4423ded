"""Rules for dates relative to the publication date or to what the text named before."""
from __future__ import annotations

import datetime as dt
import re

from newstrace.extract.times.patterns import (
    ORDINALS, SEASONS, _B, _E, _NUM, _ORD, _SEASON, _UNIT, _YEAR, _any, _i, phrase_values,
)
from newstrace.extract.times.values import (
    Context, Norm, _add_months, _day_value, _duration, _mod, _num, _quarter_year, _unit, _week_value, rule,
)


_THAT_YEAR_STEPS = phrase_values("that_year")
_SAME_DAY_STEPS = phrase_values("same_day")
_REL_UNIT = r"(?i:year|month|week|weekend|quarter|decade|century|day)"


@rule(
    "relative_unit",
    rf"{_B}(?:(?P<mod>{_any('relative_mod')})[\s-]+)?(?P<shift>{_any('relative_shift')})\s+(?P<unit>{_REL_UNIT}){_E}",
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


@rule("that_year", rf"{_B}(?:(?P<mod>{_i('earlier|later|early|late')})\s+(?:in\s+)?)?(?P<w>{_any('that_year')}){_E}")
def _that_year(m, ctx, start) -> Norm:
    """'that year', 'the following year': the year last mentioned in the text (or after it)."""
    if ctx.last_year is None:
        return "DATE", "XXXX", _mod(m["mod"])
    w = " ".join(m["w"].lower().split())
    step = int(_THAT_YEAR_STEPS[w])
    return "DATE", str(ctx.last_year + step), _mod(m["mod"])


@rule("same_day", rf"{_B}(?P<w>{_any('same_day')}){_E}")
def _same_day(m, ctx, start) -> Norm:
    w = " ".join(m["w"].lower().split())
    offset = int(_SAME_DAY_STEPS.get(w, 0))
    if offset == 0 and ctx.last_day_value:
        return "DATE", ctx.last_day_value, None
    if ctx.last_day is None:
        return "DATE", "XXXX-XX-XX", None
    return "DATE", _day_value(ctx.last_day + dt.timedelta(days=offset)), None


@rule(
    "ago",
    rf"{_B}(?:(?P<mod>{_any('ago_mod')})\s+)?(?P<n>{_NUM})[\s-]+(?P<unit>{_UNIT})\s+(?P<dir>{_any('ago_direction')}){_E}",
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


@rule("year_earlier", rf"{_B}(?:the\s+)?(?P<w>{_any('year_earlier')}){_E}")
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


@rule("latest_quarter", rf"{_B}(?P<w>{_any('latest_quarter')}){_E}")
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
