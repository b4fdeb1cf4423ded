"""Display-only helpers for pages: highlighted text and small SVG plots.

All document text is untrusted. Highlighted HTML is put together from
`escape()`d pieces joined into `Markup`, so no stored character ever reaches
the page unescaped; templates autoescape everything else.
"""
from __future__ import annotations

import math
from datetime import date
from dataclasses import dataclass, field

from markupsafe import Markup, escape

PAIR_COLOURS = 6


@dataclass
class Mark:
    """A highlighted span: `classes` go on every piece of it, `anchor` on its first piece."""

    start: int
    end: int
    classes: str
    title: str = ""
    anchor: str | None = None
    refs: list[str] = field(default_factory=list)


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The text cut at every mark boundary; each piece is a <span> with the classes of the marks over it."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starting: dict[int, list[Mark]] = {}
    for mark in marks:
        starting.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    anchored: set[str] = set()
    pieces: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > left] + starting.get(left, [])
        piece = str(escape(text[left:right]))
        pieces.append(_span(piece, active, left, anchored) if active else piece)
    return Markup("".join(pieces))  # every piece above went through escape()


def _span(piece: str, active: list[Mark], left: int, anchored: set[str]) -> str:
    """One piece of escaped text in a <span>; every attribute value is escape()d here."""
    classes = " ".join(dict.fromkeys(c for m in active for c in m.classes.split()))
    title = "\n".join(dict.fromkeys(m.title for m in active if m.title))
    refs = " ".join(dict.fromkeys(r for m in active for r in m.refs))
    anchor = next((m.anchor for m in active if m.anchor and m.start == left and m.anchor not in anchored), None)
    attrs = f' class="{escape(classes)}"'
    if anchor:
        anchored.add(anchor)
        attrs += f' id="{escape(anchor)}"'
    if title:
        attrs += f' title="{escape(title)}"'
    if refs:
        attrs += f' data-refs="{escape(refs)}"'
    return f"<span{attrs}>{piece}</span>"


# -- the layers of a document as marks ------------------------------------------


def document_marks(doc: dict) -> list[Mark]:
    """Marks for every layer of a document dict (CONTRACT.md field names)."""
    marks: list[Mark] = []
    for entity in doc.get("entities") or []:
        for mention in entity.get("mentions") or []:
            marks.append(Mark(mention["start"], mention["end"], f"L-entities ent-{entity['type']}",
                              f"entity {entity['id']} · {entity['type']} · {entity['name']}", None, [entity["id"]]))
    for quote in doc.get("quotes") or []:
        speaker = quote.get("speaker") or {}
        who = speaker.get("text") or "unknown speaker"
        marks.append(Mark(quote["start"], quote["end"], "L-quotes hl-quote", f"quote {quote['id']} · speaker: {who}", quote["id"], [quote["id"]]))
        if speaker.get("start") is not None:
            marks.append(Mark(speaker["start"], speaker["end"], "L-quotes hl-speaker", f"speaker of quote {quote['id']}", None, [quote["id"]]))
        marks += _span_mark(quote.get("cue"), "L-quotes hl-qcue", f"cue of quote {quote['id']}", quote["id"])
    for attribution in doc.get("attributions") or []:
        marks += _attribution_marks(attribution)
    for figure in doc.get("figures") or []:
        marks.append(Mark(figure["start"], figure["end"], "L-figures hl-figure", _figure_title(figure), figure["id"], [figure["id"]]))
    for time in doc.get("times") or []:
        marks.append(Mark(time["start"], time["end"], "L-times hl-time",
                          f"time {time['id']} · {time['type']} {time.get('value') or ''}", time["id"], [time["id"]]))
    for event in doc.get("events") or []:
        marks += _span_mark(event.get("trigger"), "L-events hl-event", _event_title(event), event["id"])
    return marks


def _span_mark(span: dict | None, classes: str, title: str, ref: str, anchor: bool = True) -> list[Mark]:
    if not span or span.get("start") is None:
        return []
    return [Mark(span["start"], span["end"], classes, title, ref if anchor else None, [ref])]


def _attribution_marks(attribution: dict) -> list[Mark]:
    ident = attribution["id"]
    source = attribution.get("source") or {}
    chain = " via ".join([source.get("text") or "?"] + [v.get("text") or "?" for v in attribution.get("via") or []])
    flags = ", ".join(f for f in ("hedged", "contested") if attribution.get(f))
    claim = f"claim {ident} · {chain} ({attribution.get('source_kind')})" + (f" · {flags}" if flags else "")
    return (_span_mark(attribution.get("content"), "L-attributions hl-claim", claim, ident)
            + _span_mark(source, "L-attributions hl-source", f"source of {ident} · {attribution.get('source_kind')}", ident, anchor=False)
            + _span_mark(attribution.get("cue"), "L-attributions hl-acue", f"cue of {ident}", ident, anchor=False))


def _figure_title(figure: dict) -> str:
    parts = [f"figure {figure['id']}", f"{figure.get('qualifier') or ''} {figure.get('value')} {figure.get('unit') or ''}".strip()]
    if figure.get("counts"):
        parts.append(f"counts {figure['counts']}")
    if figure.get("claimed_by"):
        parts.append(f"claimed by {figure['claimed_by']}")
    return " · ".join(parts)


def _event_title(event: dict) -> str:
    actors = ", ".join(a["text"] for a in event.get("actors") or []) or "?"
    targets = ", ".join(t["text"] for t in event.get("targets") or [])
    return f"event {event['id']} · {event['type']} · {actors}" + (f" → {targets}" if targets else "") + (f" · {event['date']}" if event.get("date") else "")


def passage_marks(evidence: list[dict], side: str) -> list[Mark]:
    """Marks for the aligned passages of a link on one side ("a" or "b"), numbered the same on both."""
    marks = []
    for number, passage in enumerate(evidence, 1):
        start, end = passage[side]
        marks.append(Mark(start, end, f"hl-pair pair-{(number - 1) % PAIR_COLOURS}",
                          f"passage {number} · similarity {passage.get('score')}", f"{side}-p{number}", [f"p{number}"]))
    return marks


def snippet(text: str, marks: list[list[int]]) -> Markup:
    return highlight(text, [Mark(s, e, "hit") for s, e in marks])


# -- small SVG plots ---------------------------------------------------------------


def date_bars(by_date: list[dict], width: int = 800, height: int = 120) -> dict:
    """Bars for events per day on a time axis: [{x, y, w, h, date, n}] plus the first and last date.

    Month values (2026-03) count on the month's first day; values without a year are left out.
    """
    totals: dict[date, int] = {}
    for row in by_date or []:
        day = _day(row.get("date") or "")
        if day:
            totals[day] = totals.get(day, 0) + row["n"]
    if not totals:
        return {"bars": [], "width": width, "height": height}
    first, last = min(totals), max(totals)
    span = (last - first).days + 1
    step, top, room = width / span, max(totals.values()), height - 20
    bars = [{"x": round((day - first).days * step, 1), "w": round(max(step - 1, 2), 1), "h": round(n / top * room, 1),
             "y": round(room - n / top * room, 1), "date": day.isoformat(), "n": n} for day, n in sorted(totals.items())]
    return {"bars": bars, "width": width, "height": height, "first": first.isoformat(), "last": last.isoformat(), "top": top}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return None


def circle_layout(graph: dict, size: int = 640) -> dict:
    """Places the source graph's nodes on a circle, outlets first; edges become lines."""
    nodes = sorted(graph["nodes"], key=lambda n: (n["kind"] != "outlet", n["kind"], n["id"]))
    centre, radius = size / 2, size / 2 - 60
    places = {}
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1)
        places[node["id"]] = {**node, "x": round(centre + radius * math.cos(angle), 1), "y": round(centre + radius * math.sin(angle), 1),
                              "r": round(3 + 2 * math.log1p(node["weight"]), 1), "right": math.cos(angle) >= 0}
    lines = [{"x1": places[e["from"]]["x"], "y1": places[e["from"]]["y"], "x2": places[e["to"]]["x"], "y2": places[e["to"]]["y"],
              "w": round(0.6 + math.log1p(e["count"]), 1), "kind": e["kind"], "count": e["count"],
              "title": f"{places[e['from']]['label']} → {places[e['to']]['label']} ({e['count']})"}
             for e in graph["edges"] if e["from"] in places and e["to"] in places]
    return {"nodes": list(places.values()), "lines": lines, "size": size}
