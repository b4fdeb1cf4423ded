"""Rules for clock times and holidays."""
from __future__ import annotations

import datetime as dt
import re

from newstrace.extract.times.patterns import (
    HOLIDAYS, WEEKDAYS, _B, _DAYNUM, _E, _MONTH, _TIME_ZONE, _WEEKDAY, _YEAR, _i,
)
from newstrace.extract.times.values import (
    Context, Norm, _day_value, _is_day, _month_num, _weekday_date, _yearless_day, rule,
)


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
