"""How an act is reported: negated, announced (a future modal, a vow, an intent word) or hedged."""
from __future__ import annotations

from newstrace import lexicons
from newstrace.extract.events.grammar import _pos_class
from newstrace.extract.events.lexicon import Lexicon, Sense

MATERIAL_CONFLICT = frozenset({"ASSAULT", "COERCE", "SANCTION"})
THREAT_SOURCES = MATERIAL_CONFLICT | {"PROTEST", "MOBILIZE"}
INTENT_TO_COOPERATE = frozenset({"SUPPORT", "CONSULT", "RETREAT", "CONCEDE", "AID", "COOPERATE"})
CONCESSIONS = frozenset({"RETREAT", "CONCEDE"})
#: Modals that announce an act rather than report it ("will attack").
FUTURE_MODALS = lexicons.groups("events_modals.tsv")["future"]
#: Verbs of hearsay whose passive hedges what it governs ("were said to", "is believed to").
HEARSAY_VERBS = lexicons.words("events_hearsay_verbs.txt")

#: Mode a threat takes from the act threatened (PLOVER THREATEN modes).
THREAT_MODES = {
    "ASSAULT": "violence", "SANCTION": "relations", "PROTEST": "restrict", "MOBILIZE": "violence",
    ("COERCE", "arrest"): "arrest", ("COERCE", "seize"): "territory", ("COERCE", "restrict"): "restrict",
    ("COERCE", "ban"): "ban", ("COERCE", "deport"): "expel", ("COERCE", "curfew"): "restrict",
}


def _negated(token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    return _pos_class(token) == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def _has_future_modal(token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in token.children):
        return True
    return any(c.dep_ == "aux" and c.lower_ == "going" for c in token.children)


def _announced(token, lex: "Lexicon") -> bool:
    """True when the clause announces the act rather than reports it: "will attack", "is ready to withdraw"."""
    if _has_future_modal(token):
        return True
    if token.dep_ == "xcomp":
        up = token.head
        return up.lemma_.lower() in lex.intent_words or up.lower_ in lex.intent_words
    return False


def _announced_type(sense: Sense, type_: str, mode: str | None) -> tuple[str, str | None]:
    """PLOVER's reading of an announced act: a threat of conflict, an intent to cooperate."""
    if type_ != sense.type:  # already reframed by an outer verb
        return type_, mode
    if sense.type in THREAT_SOURCES:
        return "THREATEN", _threat_mode(sense)
    if sense.type in CONCESSIONS:
        return "CONCEDE", None  # a promised withdrawal or release is a verbal concession
    if sense.type in INTENT_TO_COOPERATE:
        return "AGREE", None
    return type_, mode


def _threat_mode(sense: Sense) -> str | None:
    return THREAT_MODES.get((sense.type, sense.mode)) or THREAT_MODES.get(sense.type)


def _hedged_by_words(heads: list, lex: Lexicon) -> bool:
    for head in heads:
        if any(c.lemma_.lower() in lex.hedges or c.lower_ in lex.hedges for c in head.children
               if c.dep_ in ("advmod", "aux", "auxpass")):
            return True
        if head.dep_ == "xcomp":
            up = head.head
            if up.lemma_.lower() in lex.hedges:
                return True
            if up.lemma_.lower() in HEARSAY_VERBS and any(c.dep_ == "auxpass" for c in up.children):
                return True
    return False
