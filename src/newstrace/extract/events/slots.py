"""The slots of an event: actors and targets (subjects, objects, passives, a noun's possessor or "by" phrase), place and date."""
from __future__ import annotations

from newstrace import lexicons
from newstrace.extract.events.grammar import (
    QUANTITY_HEADS, SUBJECT_DEPS, _content_head, _depth_below, _headline_subject, _headline_verb_read_as_noun,
    _passive_subjects, _phrase_bounds, _tree_distance,
)
from newstrace.extract.events.layers import ARGUMENT_ENTITY_TYPES, DATED_VALUE, SAME_DAY, Mentions
from newstrace.extract.events.lexicon import Lexicon, Sense
from newstrace.model import Document

PREPOSITIONS = lexicons.groups("events_prepositions.tsv")
PLACE_ENTITY_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions of a locative phrase ("in Gaza").
PLACE_PREPS = PREPOSITIONS["place"]
#: Prepositions whose object is an event's target ("attack on the city").
TARGET_PREPS = PREPOSITIONS["target"]
#: Prepositions whose object is an event noun's actor ("an attack by rebels").
NOUN_ACTOR_PREPS = PREPOSITIONS["noun-actor"]
#: Types whose noun's "of" phrase names who acts ("a gathering of leaders"), not who suffers.
OF_IS_ACTOR = frozenset({"CONSULT", "PROTEST", "MOBILIZE", "COOPERATE"})
INHERIT_SUBJECT_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "ccomp"})
#: Pronouns that open a relative clause: the actor is the noun the clause hangs on.
RELATIVE_PRONOUNS = lexicons.words("events_relative_pronouns.txt")
#: Pronouns that never stand for an actor ("it", "something").
NON_ACTOR_PRONOUNS = lexicons.words("events_non_actor_pronouns.txt")
MAX_DATE_DISTANCE = 6


def _is_actor_like(token, mentions: Mentions, lex: Lexicon) -> bool:
    if token.lower_ in QUANTITY_HEADS:  # "hundreds of fighters" is the fighters; "police charged dozens" is people
        head = _content_head(token)
        return head is token or _is_actor_like(head, mentions, lex)
    if token.pos_ == "PRON":
        return token.lower_ not in NON_ACTOR_PRONOUNS
    if token.lemma_.lower() in lex.actor_nouns or token.lower_ in lex.actor_nouns or token.pos_ == "PROPN":
        return True
    start, end = _phrase_bounds(token)
    head_mentions = mentions.within(token.idx, token.idx + len(token))
    return bool(head_mentions) or any(m[3] in ARGUMENT_ENTITY_TYPES for m in mentions.within(start, end)
                                      if _depth_below(token, m, token.doc) <= 1)


def _argument(doc: Document, token, mentions: Mentions) -> dict:
    """`{text, entity, start, end}` for the phrase headed by `token`."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        token = token.head.head
    start, end = _phrase_bounds(token)
    entity = None
    best = 99
    for m in mentions.within(start, end):
        if m[2] is None:
            continue
        depth = _depth_below(token, m, token.doc)
        if depth < best:
            best, entity = depth, m[2]
    return doc.span(start, end, entity=entity)


def _subject(token):
    """The acting subject of verb `token`, climbing through xcomp/advcl/conj/"by doing"."""
    if _headline_verb_read_as_noun(token):
        return _headline_subject(token)
    t = token
    for _ in range(5):
        subjects = [c for c in t.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        if t.dep_ == "relcl":
            return t.head
        if t.dep_ == "acl" and t.tag_ == "VBG":
            return t.head
        if t.dep_ == "pcomp" and t.head.dep_ == "prep":
            t = t.head.head
            continue
        if t.dep_ not in INHERIT_SUBJECT_DEPS or t.head.i == t.i:
            return None
        if t.dep_ == "xcomp":
            objects = [c for c in t.head.children if c.dep_ in ("dobj", "dative")]
            if objects:
                return objects[0]
        if t.dep_ == "ccomp":
            return None
        t = t.head
    return None


def _verb_arguments(token, skip: set) -> tuple[list, list]:
    actors, targets = [], []
    passive = _passive_subjects(token)
    subject = None if passive else _subject(token)
    if passive:
        targets += passive
        for agent in (c for c in token.children if c.dep_ == "agent"):
            actors += [c for c in agent.children if c.dep_ == "pobj"]
    elif subject is not None:
        actors.append(subject)
    if _headline_verb_read_as_noun(token):
        targets.append(token.head)
    for child in token.children:
        if child.i in skip:
            continue
        if child.dep_ in ("dobj", "dative"):
            targets.append(child)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            targets += [c for c in child.children if c.dep_ == "pobj" and c.i not in skip]
    return actors, targets


def _noun_arguments(token, sense: Sense, mentions: Mentions) -> tuple[list, list]:
    actors, targets = [], []
    for child in token.children:
        if child.dep_ == "poss":
            actors.append(child)
        elif child.dep_ in ("compound", "amod", "nmod") and mentions.within(child.idx, child.idx + len(child)):
            if any(m[3] in ARGUMENT_ENTITY_TYPES for m in mentions.within(child.idx, child.idx + len(child))):
                actors.append(child)
        elif child.dep_ == "prep":
            pobjs = [c for c in child.children if c.dep_ == "pobj"]
            if child.lower_ in NOUN_ACTOR_PREPS:
                actors += pobjs
            elif child.lower_ == "of":
                (actors if sense.type in OF_IS_ACTOR else targets).extend(pobjs)
            elif child.lower_ in TARGET_PREPS and child.lower_ != "at":
                targets += pobjs
            elif child.lower_ == "between":
                actors += pobjs
    return actors, targets


def _time_tokens(doc: Document, parse) -> set[int]:
    """Indices of tokens inside a Time (or tagged DATE/TIME): never an actor or target."""
    out = {i for ent in parse.ents if ent.label_ in ("DATE", "TIME") for i in range(ent.start, ent.end)}
    for time in doc.times or []:
        if time.get("start") is None:
            continue
        span = parse.char_span(time["start"], time["end"], alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _is_argument(token, not_arguments: set[int]) -> bool:
    if token.i in not_arguments:
        return False
    if token.lower_ in RELATIVE_PRONOUNS and not (token.head.dep_ == "relcl"):
        return False
    return True


def _place(doc: Document, heads: list, mentions: Mentions) -> dict | None:
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                start, end = _phrase_bounds(pobj, keep_preps=False)
                places = [m for m in mentions.within(start, end) if m[3] in PLACE_ENTITY_TYPES]
                if places:
                    m = min(places, key=lambda m: _depth_below(pobj, m, pobj.doc))
                    return doc.span(start, end, entity=m[2])
    return None


def _date(doc: Document, parse, trigger, candidates: list[dict], attribution: dict | None) -> tuple:
    """(value, time id) of the dated Time nearest the trigger in its sentence, or (None, None)."""
    content = attribution.get("content") if attribution else None
    best = None
    for time in candidates:
        if isinstance(content, dict) and content.get("start") is not None \
                and not (content["start"] <= time["start"] and time["end"] <= content["end"]):
            continue
        span = parse.char_span(time["start"], time["end"], alignment_mode="expand")
        if span is None:
            continue
        distance = _tree_distance(trigger, span.root)
        key = (distance, abs(span.root.i - trigger.i))
        if distance <= MAX_DATE_DISTANCE and (best is None or key < best[0]):
            best = (key, time)
    if best is None:
        return None, None
    time = best[1]
    value = time.get("value")
    if not (isinstance(value, str) and DATED_VALUE.match(value)) and SAME_DAY.match(time.get("text", "").strip()):
        value = _last_date_before(doc, time["start"])
    return value, time.get("id")


def _last_date_before(doc: Document, offset: int) -> str | None:
    earlier = [t for t in doc.times or [] if t.get("end", 0) <= offset and isinstance(t.get("value"), str)
               and DATED_VALUE.match(t["value"])]
    return max(earlier, key=lambda t: t["start"])["value"] if earlier else None
