"""Reading the parse: word classes, headline grammar, objects and passives, phrases and tree distances.

The helpers every part of the events stage shares. The tagger slips on
headlines ("Militia Massacres Villagers" read as three nouns), so the word
class of a token is read from its arcs as well as its tag (`_pos_class`).
"""
from __future__ import annotations

from newstrace import lexicons
from newstrace.nlp.text import SUFFIXES

PHRASE_CUT_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "prep"})
PHRASE_CUT_DEPS_KEEP_OF = PHRASE_CUT_DEPS - {"prep"}
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
#: Prepositions whose object is a verb's object ("met with", "fired at").
OBJECT_PREPS = lexicons.groups("events_prepositions.tsv")["object"]
#: Words that stand for a quantity of what their "of" phrase names ("hundreds of police").
QUANTITY_HEADS = lexicons.words("events_quantity_heads.txt")


def _pos_class(token) -> str | None:
    if token.pos_ == "VERB" or _verb_by_its_arcs(token) or _headline_verb_read_as_noun(token):
        return "VERB"
    if token.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    return None

def _headline_verb_read_as_noun(token) -> bool:
    """"Militia Massacres Villagers": a verb in -s that the tagger read as a plural noun modifying the object.

    Only in a sentence with no verb at all, where the word sits between a
    noun (its subject) and the root noun (its object), as headlines write.
    """
    root = token.sent.root
    if token.dep_ != "compound" or token.head.i != root.i or token.tag_ != "NNS" or not token.lower_.endswith("s"):
        return False
    if root.pos_ not in ("NOUN", "PROPN") or any(t.pos_ in ("VERB", "AUX") for t in token.sent):
        return False
    return _headline_subject(token) is not None

def _headline_subject(token):
    """The noun just before a `_headline_verb_read_as_noun`, if it modifies the verb or the root."""
    before = token.doc[token.i - 1] if token.i > token.sent.start else None
    if before is not None and before.pos_ in ("NOUN", "PROPN", "ADJ") and before.head.i in (token.i, token.sent.root.i):
        return before
    return None

def _verb_by_its_arcs(token) -> bool:
    """A word tagged as a noun that the parser gives a direct object is a verb.

    The tagger slips on title-case lines ("Activists Decry Beirut Bombings",
    "Army Shells Rebel Positions"), where the parse still shows the clause;
    a noun never takes a direct object.
    """
    return token.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "dobj" for c in token.children)

def _regular_bases(word: str) -> list[str]:
    """What a regularly inflected verb form can come from: "staged" -> "stag", "stage"."""
    return [word[:-len(suffix)] + replacement for suffix, replacement in SUFFIXES if word.endswith(suffix) and len(word) > len(suffix) + 2]

def _verb_lemma_in(token, words: frozenset) -> bool:
    """True when the verb's lemma, or a regular base of its form, is in `words`."""
    return token.lemma_.lower() in words or any(base in words for base in _regular_bases(token.lower_))

def _heads_a_clause(token) -> bool:
    """A verb with a subject and an object is no part of a name, whatever the entity tagger says.

    A title-case line gets names tagged across its verb ("Red Cross Delivers Medical Supplies").
    """
    deps = {c.dep_ for c in token.children}
    return _pos_class(token) == "VERB" and bool(deps & {"nsubj", "nsubjpass"}) and "dobj" in deps

def _time_phrase(token) -> bool:
    """A preposition whose object is a date or time: "on Monday" never makes "called" into "called on"."""
    objects = [c for c in token.children if c.dep_ == "pobj"]
    return token.dep_ == "prep" and bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)

def _is_bare_participle(token) -> bool:
    """A past participle with a subject and no auxiliary or object: a headline's passive ("Mayor kidnapped")."""
    participle = token.tag_ == "VBN" or (token.tag_ == "VBD" and token.lower_.endswith("en"))  # "beaten", never past tense
    return participle and any(c.dep_ == "nsubj" for c in token.children) and not any(
        c.dep_ in ("aux", "auxpass", "dobj") for c in token.children)

def _passive_subjects(token) -> list:
    """Passive subjects, counting the subject of a headline's bare participle ("Mayor kidnapped")
    and the noun a participle predicates in a sentence with no verb ("Curfew imposed after clashes")."""
    out = [c for c in token.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    if not out and _is_bare_participle(token):
        out = [c for c in token.children if c.dep_ == "nsubj"]
    return out or _verbless_participle_subject(token)

def _verbless_participle_subject(token) -> list:
    """The noun a participle modifies when the sentence has no verb, so the participle is its predicate.

    The parser reads headlinese "Curfew imposed after clashes" and "Dozens of
    captives released" as a noun with a reduced relative clause; with no verb
    at the root, that clause is what the sentence reports. In running text the
    root is a verb ("the curfew imposed on Monday was lifted") and this never applies.
    """
    if token.dep_ != "acl" or token.tag_ != "VBN" or any(c.dep_ in ("aux", "auxpass", "dobj") for c in token.children):
        return []
    root, noun = token.sent.root, token.head
    if _pos_class(root) != "NOUN":
        return []
    t = noun
    while t.i != root.i:  # the participle must hang on the root's noun phrase ("dozens of captives")
        if t.dep_ == "pobj" and t.head.lower_ == "of":
            t = t.head.head
        elif t.dep_ in ("conj", "appos"):
            t = t.head
        else:
            return []
    return [noun]

def _objects(token) -> list:
    """Direct objects and objects of recipient prepositions."""
    out = [c for c in token.children if c.dep_ in ("dobj", "dative")] + _passive_subjects(token)
    if _headline_verb_read_as_noun(token):
        out.append(token.head)  # "Militia Massacres Villagers": the root noun is the object
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in OBJECT_PREPS:
            out += [c for c in prep.children if c.dep_ == "pobj"]
    return out

def _content_head(token):
    """The noun a quantity stands for: "hundreds of police" -> police; else `token`."""
    if token.lower_ in QUANTITY_HEADS:
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                return pobj
    return token

def _governor(token):
    """The verb an event noun hangs on as subject or object, else None."""
    if token.dep_ == "compound":  # "a mediation effort": the phrase's head hangs on the verb
        token = token.head
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and token.head.pos_ in ("VERB", "AUX"):
        return token.head
    if token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.pos_ == "VERB":
        return token.head.head
    return None

def _phrase_bounds(token, keep_preps: bool = True) -> tuple[int, int]:
    """Character bounds of `token`'s phrase, cut before relative clauses, appositions and conjuncts."""
    cut = PHRASE_CUT_DEPS_KEEP_OF if keep_preps else PHRASE_CUT_DEPS
    kept = set()
    stack = [token]
    while stack:
        t = stack.pop()
        kept.add(t.i)
        stack += [c for c in t.children if c.dep_ not in cut and not _headline_verb_read_as_noun(c)]
    lo = hi = token.i
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    doc = token.doc
    while lo < hi and doc[lo].is_punct:
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])

def _depth_below(head, mention: tuple, parse) -> int:
    """How many arcs below `head` the mention's root sits (large if not below it)."""
    span = parse.char_span(mention[0], mention[1], alignment_mode="expand")
    if span is None:
        return 99
    t, depth = span.root, 0
    while t.i != head.i:
        if t.head.i == t.i or depth > 30:
            return 99
        t, depth = t.head, depth + 1
    return depth

def _with_conjuncts(token) -> list:
    return [token] + [c for c in token.conjuncts if c.i > token.i]

def _tree_distance(a, b) -> int:
    up = {}
    t, d = a, 0
    while True:
        up[t.i] = d
        if t.head.i == t.i:
            break
        t, d = t.head, d + 1
    t, d = b, 0
    while t.i not in up:
        if t.head.i == t.i:
            return 99
        t, d = t.head, d + 1
    return d + up[t.i]
