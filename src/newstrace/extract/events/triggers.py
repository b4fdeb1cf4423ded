"""Finding triggers: a verb or event noun whose lemma is in the PLOVER lexicon, with what its sense requires.

A sense's requirement (the lexicon's fifth column) keeps look-alikes out:
"pursue Hamas leaders" is an event, "pursue a policy" is not
(`actor-obj`); "asked the delegates: ..." is no request (`xcomp`). Each
requirement is one check in `CHECKS`; the lexicon refuses a row whose
requirement has none (`lexicon.REQUIREMENTS`).
"""
from __future__ import annotations

from newstrace import lexicons
from newstrace.extract.events.grammar import (
    SUBJECT_DEPS, _content_head, _headline_verb_read_as_noun, _heads_a_clause, _objects, _passive_subjects, _pos_class,
    _regular_bases, _time_phrase,
)
from newstrace.extract.events.layers import Mentions
from newstrace.extract.events.lexicon import Lexicon, Sense
from newstrace.extract.events.modality import _negated
from newstrace.extract.events.slots import _is_actor_like

#: Prepositions that direct an act at someone ("fired at", "cracked down on").
DIRECTED_PREPS = lexicons.groups("events_prepositions.tsv")["directed"]


def _candidate_senses(token, lex: Lexicon) -> list[Sense]:
    """Senses of `token` from the lexicon, two-word entries first."""
    pos = _pos_class(token)
    if pos is None:
        return []
    lemma = token.lemma_.lower()
    out = []
    for other, sense in lex.double.get((lemma, pos), ()):
        if any(other in (c.lower_, c.lemma_.lower()) for c in token.children
               if c.dep_ in ("prt", "prep", "dobj", "compound", "amod", "nmod", "oprd", "acomp") and not _time_phrase(c)):
            out.append(sense)
    if not out and pos == "NOUN" and token.lower_ != lemma:
        out += lex.single.get((token.lower_, pos), [])
    out += lex.single.get((lemma, pos), [])
    if not out and pos == "VERB":  # the lemmatizer's slip on a regular form: "staged" -> "stag"
        base = next((b for b in _regular_bases(token.lower_) if (b, pos) in lex.single), None)
        out += lex.single.get((base, pos), [])
    return out


def _has_complement(token) -> bool:
    if any(c.dep_ in ("xcomp", "ccomp", "acl") for c in token.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("for", "against") for c in token.children)


def _object_heads(token, heads: frozenset) -> bool:
    """"obj=...": an object (or a gerund, "stop fighting") whose head is one of `heads`."""
    gerunds = [c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VBG"]
    return any(o.lemma_.lower() in heads or o.lower_ in heads for o in map(_content_head, _objects(token) + gerunds))


def _subject_heads(token, heads: frozenset) -> bool:
    """"subj=...": no object, and a subject that is one of `heads` ("fighting stopped": the subject is what stops)."""
    return not any(c.dep_ == "dobj" for c in token.children) and any(
        c.dep_ in SUBJECT_DEPS and (c.lemma_.lower() in heads or c.lower_ in heads) for c in token.children)


def _left_heads(token, heads: frozenset) -> bool:
    """"from=...": what is left is one of `heads` ("withdrew from the treaty", "pulled out of NATO")."""
    left = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "of") for g in c.children if g.dep_ == "pobj"]
    left += [g for c in token.children if c.dep_ in ("prt", "prep") for p in c.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    return any(o.lemma_.lower() in heads or o.lower_ in heads for o in map(_content_head, left))


def _actor_if_object(token, mentions: Mentions, lex: Lexicon) -> bool:
    direct = [c for c in token.children if c.dep_ == "dobj"] + _passive_subjects(token)
    return not direct or any(_is_actor_like(o, mentions, lex) for o in direct)


#: One check per requirement in the lexicon: (token, mentions, lexicon) -> bool.
CHECKS = {
    "obj": lambda token, mentions, lex: bool(_objects(token)),
    "actor-obj": lambda token, mentions, lex: any(_is_actor_like(o, mentions, lex) for o in _objects(token)),
    "actor-if-obj": _actor_if_object,
    "comp": lambda token, mentions, lex: _has_complement(token),
    "xcomp": lambda token, mentions, lex: any(c.dep_ == "xcomp" for c in token.children) or any(
        c.dep_ == "prep" and c.lower_ == "for" for c in token.children),
    "clause": lambda token, mentions, lex: token.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in token.children),  # "protested that ...": a verbal act
    "at": lambda token, mentions, lex: any(c.dep_ == "prep" and c.lower_ in DIRECTED_PREPS for c in token.children),
}
#: One check per requirement that names head words ("obj=strike|protest"): (token, heads) -> bool.
HEAD_CHECKS = {"obj": _object_heads, "subj": _subject_heads, "from": _left_heads}


def _satisfies(sense: Sense, token, mentions: Mentions, lex: Lexicon) -> bool:
    """True when `token` meets what `sense` requires; the lexicon has checked that a check exists."""
    req = sense.requires
    if req is None:
        return True
    kind, named, heads = req.partition("=")
    if named:
        return HEAD_CHECKS[kind](token, frozenset(heads.split("|")))
    return CHECKS[req](token, mentions, lex)


def find_triggers(parse, mentions: Mentions, lex: Lexicon) -> dict:
    """Map token index -> Sense for every token that can start an event."""
    found = {}
    for token in parse:
        if token.dep_ in ("amod", "compound") and _pos_class(token) == "VERB" and not _headline_verb_read_as_noun(token):
            continue  # "negotiated settlements": a participle used as an adjective
        if token.ent_type_ in ("PERSON", "ORG", "GPE", "FAC", "WORK_OF_ART", "LAW", "EVENT") and not _heads_a_clause(token):
            continue  # part of a name: "Ban Ki-moon", "Operation Protective Edge"
        for sense in _candidate_senses(token, lex):
            if _satisfies(sense, token, mentions, lex):
                if sense.type != "-" and not _negated(token):
                    found[token.i] = sense
                break
    return found
