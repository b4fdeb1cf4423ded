"""Finding: every rule's matches pooled, the longest kept, values resolved in text order."""
from __future__ import annotations

import bisect
import datetime as dt
import re

from newstrace.extract.times.patterns import _E, _PART, PARTS_OF_DAY
from newstrace.extract.times.tense import _parse_lookups
from newstrace.extract.times.values import RULES, Context, Found, Norm


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
