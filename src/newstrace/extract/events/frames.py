"""Assembling events: verb on verb ("refused to withdraw", "vowed to attack"), light verbs and event nouns, obligations."""
from __future__ import annotations

from dataclasses import dataclass

from newstrace import lexicons
from newstrace.extract.events.grammar import (
    PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, _governor, _headline_verb_read_as_noun, _pos_class, _verb_lemma_in,
)
from newstrace.extract.events.layers import Mentions
from newstrace.extract.events.lexicon import Lexicon, Sense
from newstrace.extract.events.modality import (
    CONCESSIONS, THREAT_SOURCES, _announced, _announced_type, _has_future_modal, _negated, _threat_mode,
)
from newstrace.extract.events.slots import _is_actor_like, _noun_arguments, _subject, _verb_arguments

#: Events that do not report their object as happening: a request, refusal, promise or threat of it.
UNREALIZED_FRAMES = frozenset({"REQUEST", "REJECT", "AGREE", "THREATEN", "CONCEDE"})
CONFLICT_ACTS = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "THREATEN"})
#: Modals that make a reported clause an obligation ("X said Iraq must cooperate").
OBLIGATION_MODALS = lexicons.groups("events_modals.tsv")["obligation"]
#: Verbs of promising: a promised conflict act is a threat ("vowed to attack").
PROMISE_VERBS = lexicons.words("events_promise_verbs.txt")
#: Nouns for a ceasefire, and verbs by which one is carried out rather than declared.
CEASEFIRE_NOUNS = lexicons.words("events_ceasefire_nouns.txt")
CEASEFIRE_KEPT_VERBS = lexicons.words("events_ceasefire_kept_verbs.txt")
#: Mode a request or refusal takes from what is requested or refused (PLOVER REQUEST/REJECT modes).
YIELD_MODES = {"CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "change"}


@dataclass
class Draft:
    """One event before its record is built: the trigger, its sense and type, and the tokens of its slots."""

    token: object
    sense: Sense
    type: str
    mode: str | None
    actor_tokens: list
    target_tokens: list
    place_heads: list


def _lent_nouns(parse, triggers: dict, lex: Lexicon) -> dict:
    """Light verb index -> the event noun it supports ("launched an attack", "engaged in fighting")."""
    lent = {}
    for i in triggers:
        token = parse[i]
        if _pos_class(token) != "NOUN":
            continue
        gov = _governor(token)
        phrase = token.head if token.dep_ == "compound" else token
        if gov is None or not _verb_lemma_in(gov, lex.light_verbs):
            continue
        if phrase.dep_ == "dobj" or phrase.dep_ == "pobj" and phrase.head.lower_ == "in" and gov.i not in lent:
            lent[gov.i] = i  # the object wins: "made concessions in talks" lends the concessions
    return lent


def _inner_events(token, triggers: dict, lent: dict) -> list:
    """Events `token` governs as its infinitive, object or for/to complement."""
    inner = []
    for c in token.children:
        if c.dep_ == "xcomp" and c.i in lent:
            inner.append((c, token.doc[lent[c.i]]))  # "vowed to launch an attack": the attack
        elif c.i in triggers and (c.dep_ == "xcomp" or (c.dep_ == "dobj" and _pos_class(c) == "NOUN")):
            inner.append((c, c))
        elif c.dep_ == "prep" and c.lower_ in ("for", "to"):
            inner += [(g, g) for g in c.children if g.dep_ in ("pobj", "pcomp") and g.i in triggers]
    if _headline_verb_read_as_noun(token) and token.head.i in triggers:
        inner.append((token.head, token.head))  # "Government Lifts Curfew": the root noun is its object
    return inner


def _fold_verb_on_verb(parse, triggers: dict, lent: dict) -> tuple[dict, set]:
    """Types after verb-on-verb rules, and the triggers folded into an outer event."""
    types = {i: (s.type, s.mode) for i, s in triggers.items()}
    folded = set()
    for i, sense in triggers.items():
        for via, event in _inner_events(parse[i], triggers, lent):
            if sense.type not in UNREALIZED_FRAMES and via.dep_ != "xcomp" and not (
                    sense.mode == "discontinue" and triggers[event.i].type in CONFLICT_ACTS):
                continue  # "condemned the attack": the attack stands on its own
            inner_sense = triggers[event.i]
            folded.update({via.i, event.i})
            if via.i in lent:
                folded.add(lent[via.i])
            if via.dep_ == "xcomp" and inner_sense.type in THREAT_SOURCES and (
                    sense.type == "THREATEN" or parse[i].lemma_.lower() in PROMISE_VERBS):
                types[i] = ("THREATEN", _threat_mode(inner_sense))
            elif sense.mode == "discontinue" and inner_sense.type in CONFLICT_ACTS:
                types[i] = ("RETREAT", None)  # "suspended their attacks": a material de-escalation
            elif sense.type == "AGREE" and (inner_sense.type in CONCESSIONS or inner_sense.mode == "discontinue"):
                types[i] = ("CONCEDE", None)  # "agreed to withdraw": a promised concession
            elif sense.type in ("REQUEST", "REJECT") and types[i][1] is None:
                types[i] = (sense.type, YIELD_MODES.get(inner_sense.type))
    return types, folded


def _obligations(parse, triggers: dict, lent: dict) -> list:
    """Reported obligations, which PLOVER codes as demands: "X said Iraq must cooperate"."""
    out = []
    for token in parse:
        if token.dep_ != "ccomp" or token.head.pos_ != "VERB" or _negated(token):
            continue
        if any(c.dep_ == "aux" and c.lower_ in OBLIGATION_MODALS for c in token.children):
            inner = triggers.get(lent.get(token.i, token.i))
            out.append((token, YIELD_MODES.get(inner.type) if inner else None))
    return out


def _drafts(parse, triggers: dict, mentions: Mentions, lex: Lexicon) -> list[Draft]:
    lent = _lent_nouns(parse, triggers, lex)
    types, folded = _fold_verb_on_verb(parse, triggers, lent)
    drafts = []
    for token, mode in _obligations(parse, triggers, lent):
        folded.update({token.i, lent.get(token.i, token.i)})
        subject = _subject(token.head)
        obliged = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        drafts.append(Draft(token, Sense("REQUEST", None, None), "REQUEST", mode,
                            [subject] if subject is not None else [], obliged, [token]))
    for i, sense in sorted(triggers.items()):
        if i in folded or (i in lent and lent[i] not in folded):  # a light verb that took its noun in ("called off the strike") speaks for it
            continue
        draft = _draft(parse[i], sense, types[i], lent, mentions, lex)
        if draft is not None and not any(a.lemma_.lower() in lex.non_agents for a in draft.actor_tokens):
            drafts.append(draft)
    return sorted(drafts, key=lambda d: d.token.i)


def _draft(token, sense: Sense, typed: tuple, lent: dict, mentions: Mentions, lex: Lexicon) -> Draft | None:
    """The event at one trigger, or None when an event noun has nothing to anchor it."""
    type_, mode = typed
    if _pos_class(token) == "VERB":
        if _announced(token, lex):
            type_, mode = _announced_type(sense, type_, mode)
        actors, targets = _verb_arguments(token, skip=set())
        return Draft(token, sense, type_, mode, actors, targets, [token])
    actors, targets = _noun_arguments(token, sense, mentions)
    gov = _governor(token)
    if _ceasefire_in_effect(token, gov, lex):
        type_, mode = "RETREAT", "ceasefire"
    place_heads = [token]
    if gov is not None and lent.get(gov.i) == token.i:
        if _negated(gov):
            return None
        if _announced(gov, lex):
            type_, mode = _announced_type(sense, type_, mode)
        gov_actors, gov_targets = _verb_arguments(gov, skip={token.i})
        actors = actors or gov_actors
        targets = targets or [t for t in gov_targets if t.dep_ != "dobj"]
        place_heads.append(gov)
    elif gov is not None and token.dep_ in ("nsubj", "nsubjpass") and gov.lemma_.lower() in lex.occur_verbs:
        place_heads.append(gov)
    elif token.dep_ == "pobj" and token.head.dep_ == "agent" and not targets:
        targets = [c for c in token.head.head.children if c.dep_ in PASSIVE_SUBJECT_DEPS]  # "hit by an attack"
        place_heads.append(token.head.head)
    elif _on_event(token, mentions, lex):
        actors = [token.head.head]  # "an activist on hunger strike": the activist strikes
    elif _under_measure(token, sense):
        targets = [token.head.head]  # "a village under lockdown": the village is coerced
    elif not actors and not targets and not _verbless_root(token):
        return None
    return Draft(token, sense, type_, mode, actors, targets, place_heads)


def _on_event(token, mentions: Mentions, lex: Lexicon) -> bool:
    """True for an event noun after "on" that hangs on a person: "workers on strike", "troops on patrol"."""
    return token.dep_ == "pobj" and token.head.lower_ == "on" and _pos_class(token.head.head) == "NOUN" \
        and _is_actor_like(token.head.head, mentions, lex)


def _verbless_root(token) -> bool:
    """An event noun that heads a sentence with no verb, or is joined to that head: "Deadly clashes in Gaza".

    Such a sentence (a headline, a caption) reports the event it names, as
    the subject of an occurrence verb does ("fighting erupted").
    """
    head = token.head if token.dep_ == "conj" else token
    return head.dep_ == "ROOT" and _pos_class(head) == "NOUN"


def _under_measure(token, sense: Sense) -> bool:
    """A coercive measure after "under" that hangs on a noun: "a village under lockdown", "a city under siege"."""
    return sense.type == "COERCE" and token.dep_ == "pobj" and token.head.lower_ == "under" \
        and token.head.head.pos_ in ("NOUN", "PROPN")


def _ceasefire_in_effect(token, gov, lex: Lexicon) -> bool:
    """A ceasefire that begins, holds or is observed is carried out (PLOVER RETREAT), not only declared (CONCEDE)."""
    if token.lemma_.lower() not in CEASEFIRE_NOUNS or gov is None or _has_future_modal(gov):
        return False
    verb = gov.lemma_.lower()
    return verb in CEASEFIRE_KEPT_VERBS or (token.dep_ == "nsubj" and (verb in lex.occur_verbs or verb == "hold"))
