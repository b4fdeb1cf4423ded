"""Events across documents: which event mentions tell the same real-world event.

Two mentions are compared slot by slot (type, trigger, date, place, participants);
the first slot that keeps them apart is named in the decision, so an
analyst sees why "another meeting in the same city" stayed separate.
Dates compare at the coarser precision of the two ("2013" holds
"2013-08-02"); undated mentions fall back on the reports' publication
dates. The rules are measured on the ECB+ dev topics by `eval/ecbplus.py`,
whose topics each hold two similar events.
Candidates come from blocking keys (type with month, type with participant),
never from all pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from newstrace.extract.entities.names import fold

MAX_DAYS_APART = 1
#: Undated mentions in reports published further apart than this are not joined.
MAX_REPORT_DAYS_APART = 7
#: Inflections `trigger_key` takes off: (suffix, replacement, shortest stem left).
TRIGGER_SUFFIXES = (("ies", "y", 3), ("sses", "ss", 2), ("shes", "sh", 2), ("ches", "ch", 2), ("xes", "x", 2),
                    ("ing", "", 3), ("ed", "", 3), ("s", "", 3))
#: Doubled final consonants undone after -ing/-ed ("stopped" -> "stop", but "killed" -> "kill").
UNDOUBLE = frozenset("bdgmnprt")
#: Trigger lemmas sharing this many first letters are one word family (measured on ECB+ dev, eval/ecbplus.py).
TRIGGER_STEM = 5
MIN_SHARED_PARTICIPANTS_UNDATED = 2


@dataclass
class EventView:
    """What the comparison needs of one event mention."""

    ref: str  # "doc_id:event_id"
    doc: str
    type: str
    date: str | None
    place: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    trigger: str = ""
    lemma: str = ""  # the trigger's lemma where a parse gave it, else `trigger_key(trigger)`
    published: str | None = None  # the report's publication date


@dataclass
class EventDecision:
    same: bool
    slot: str
    reason: str


def event_view(doc, event: dict, global_ids: dict[str, str]) -> EventView:
    """An EventView from a stored document's event, with entities replaced by global ids."""
    def keys(ref: dict) -> set[str]:
        if ref.get("entity") and ref["entity"] in global_ids:
            return {global_ids[ref["entity"]]}
        head = fold(ref.get("text") or "").split()
        return {f"word:{head[-1]}"} if head else set()

    participants = set()
    for ref in (event.get("actors") or []) + (event.get("targets") or []):
        participants |= keys(ref)
    place = keys(event["place"]) if event.get("place") else set()
    return EventView(
        ref=f"{doc.id}:{event['id']}", doc=doc.id, type=event.get("type") or "",
        date=event.get("date"), place=place, participants=participants,
        trigger=(event.get("trigger") or {}).get("text", ""),
        lemma=trigger_key((event.get("trigger") or {}).get("text", "")), published=doc.published,
    )


def similar_triggers(a: str, b: str) -> bool:
    """Same lemma, or one word family ("announce", "announcement"): a shared stem of TRIGGER_STEM letters."""
    if not a or not b:
        return False
    if a == b or a.rstrip("e") == b.rstrip("e"):  # "fire" and "fir(ed)"
        return True
    return len(a) >= TRIGGER_STEM and len(b) >= TRIGGER_STEM and a[:TRIGGER_STEM] == b[:TRIGGER_STEM]


def trigger_key(text: str) -> str:
    """A crude lemma of a trigger's head word, for when no parse is at hand: "Air strikes" -> "strike"."""
    words = fold(text).split()
    if not words:
        return ""
    word = words[-1]
    for suffix, keep, shortest in TRIGGER_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word[-2] in "siu":
                continue  # "crisis", "press", "bus"
            stem = word[: len(word) - len(suffix)] + keep
            doubled = suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] in UNDOUBLE
            return stem[:-1] if doubled else stem
    return word


def blocking_keys(view: EventView) -> list[str]:
    """Keys under which a candidate counterpart must be filed: same type, and month or participant."""
    keys = [f"{view.type}|month:{view.date[:7]}"] if view.date and view.date[:4].isdigit() else []
    keys += [f"{view.type}|who:{p}" for p in sorted(view.participants)]
    return keys


def compare_events(a: EventView, b: EventView, docs_linked: bool) -> EventDecision:
    """Same event or not, naming the slot that settled it.

    Slots in order: type (when both are typed), trigger (untyped mentions need
    the same trigger lemma), date (event dates, else the reports' dates),
    place, participants. `docs_linked` says the two reports are copies of each
    other or the same story: only then may an undated mention join, and there
    the same trigger stands in for shared participants when one side names
    none (ECB+: lemma match within a document cluster).
    """
    if a.type and b.type and a.type != b.type:
        return EventDecision(False, "type", f"different event types ({a.type} and {b.type})")
    same_trigger = similar_triggers(a.lemma, b.lemma)
    if not (a.type and b.type) and not same_trigger:
        return EventDecision(False, "trigger", f"untyped, and told with different words ({a.trigger!r} and {b.trigger!r})")
    days = _days_apart(a.date, b.date)
    if days is not None and days > MAX_DAYS_APART:
        return EventDecision(False, "date", f"dated {a.date} and {b.date}, {days} days apart")
    report_days = _days_apart(a.published, b.published) if days is None else None
    if report_days is not None and report_days > MAX_REPORT_DAYS_APART:
        return EventDecision(False, "date", f"not both dated, and reported {report_days} days apart ({a.published} and {b.published})")
    if a.place and b.place and not (a.place & b.place):
        return EventDecision(False, "place", "they take place in different places")
    shared = a.participants & b.participants
    if not shared and (a.participants and b.participants or not (docs_linked and same_trigger)):
        return EventDecision(False, "participants", "no participant in common")
    if days is None and not docs_linked:
        known = a.date or b.date
        why = f"only one is dated ({known})" if known else "neither is dated"
        return EventDecision(False, "date", f"{why}, and the reports are not linked by a copy or story")
    if days is None and len(shared) < MIN_SHARED_PARTICIPANTS_UNDATED and not same_trigger:
        return EventDecision(False, "participants", f"undated, with only {len(shared)} shared participant(s) and different triggers")
    slot = "date" if days is not None else ("participants" if shared else "trigger")
    what = f"same type {a.type}" if a.type and b.type else f"same trigger {a.lemma!r}"
    return EventDecision(True, slot, f"{what}, {len(shared)} shared participant(s)" + (f", dates {days} day(s) apart" if days is not None else ", in linked reports"))


def _days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two TIMEX3 dates, at the coarser precision of the two; None when unknown.

    "2013" and "2013-08-02" are 0 apart (the year holds the day); "2013-07" and
    "2013-09" about 61; "2013" and "2014" about 365.
    """
    if not a or not b or not a[:4].isdigit() or not b[:4].isdigit():
        return None
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)
    except ValueError:
        pass
    months_a, months_b = _months(a), _months(b)
    if months_a is None or months_b is None:
        return 0 if a[:4] == b[:4] else abs(int(a[:4]) - int(b[:4])) * 365
    return abs(months_a - months_b) * 30 if a[:7] != b[:7] else 0


def _months(value: str) -> int | None:
    """Months since year 0 of a "YYYY-MM..." value; None at year precision."""
    if len(value) >= 7 and value[4] == "-" and value[5:7].isdigit():
        return int(value[:4]) * 12 + int(value[5:7])
    return None
