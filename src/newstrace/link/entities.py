"""Global entities: one `global_id` per real-world entity across the corpus.

A document entity's keys are its names folded (accents, case, punctuation)
and, where the alias table knows a name, its canonical form, WHATEVER ITS
TYPE: the tagger calls one suspect ORG in one report and PERSON in the
next, and "Forest Hill" GPE here and ORG there, and a typed key would keep
them, and the reports that name them, apart. Transliteration variants meet
on their consonant skeleton, a fuzzier key, so that one stays within a type
class. A key, once given an id, keeps it: ids are stored, so they stay
stable across re-runs and incremental ingests. A one-word PERSON name
("Netanyahu") joins the one full name in the corpus that ends with it, if
there is exactly one.

A global entity's type is voted: each document entity it gathers gives its
type one vote, and the most voted wins, ties going to the type first in
`TYPE_ORDER` (`voted_type`), so the result does not hang on ingest order.
"""
from __future__ import annotations

import hashlib

from newstrace.extract.entities.names import TYPE_CLASS, alias_table, fold, skeleton

#: The order that breaks a tie in the type vote: the contract's order of entity types.
TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
#: The prefix of the name keys, which carry no type.
NAME_KEY = "name"


def entity_keys(entity: dict) -> list[str]:
    """Keys under which this entity can meet others, strongest first: names without their type, then skeletons."""
    type_class = TYPE_CLASS.get(entity["type"], entity["type"])
    names = [entity["name"], *entity.get("aliases", [])]
    aliases = alias_table()
    keys = []
    for name in names:
        canonical = aliases.get(fold(name))
        if canonical:
            keys.append(f"{NAME_KEY}:{fold(canonical[0])}")
    for name in names:
        keys.append(f"{NAME_KEY}:{fold(name)}")
    for name in names:
        skel = skeleton(name)
        if skel and len(skel.split()) > 1:
            keys.append(f"{type_class}:~{skel}")
    return list(dict.fromkeys(k for k in keys if not k.endswith(":")))


def voted_type(votes: dict[str, int]) -> str:
    """The type most document entities gave, ties broken by `TYPE_ORDER` (then by name, for types outside it)."""
    rank = {t: n for n, t in enumerate(TYPE_ORDER)}
    return min(votes, key=lambda t: (-votes[t], rank.get(t, len(rank)), t))


def new_global_id(key: str) -> str:
    return "g" + hashlib.sha1(key.encode()).hexdigest()[:12]


def surname_key(entity: dict) -> str | None:
    """For a one-word PERSON name, the key of full names that end with it."""
    if entity["type"] != "PERSON" or len(fold(entity["name"]).split()) != 1:
        return None
    return f"SURNAME:{fold(entity['name'])}"


def full_name_surname_key(entity: dict) -> str | None:
    """For a PERSON name of two words or more, the surname key it answers to."""
    words = fold(entity["name"]).split()
    if entity["type"] != "PERSON" or len(words) < 2:
        return None
    return f"SURNAME:{words[-1]}"


def resolve(entity: dict, known: dict[str, str], surnames: dict[str, set[str]]) -> tuple[str, list[str]]:
    """The global id for one entity and the keys to record for it.

    `known` maps keys to global ids already given; `surnames` maps surname keys to the
    global ids of full names. Both come from the store and are updated by the caller.
    """
    keys = entity_keys(entity)
    for key in keys:
        if key in known:
            return known[key], keys
    short = surname_key(entity)
    if short and len(surnames.get(short, ())) == 1:
        return next(iter(surnames[short])), keys
    return new_global_id(keys[0]), keys


class EntityIndex:
    """The store's entity keys and global entities, kept in memory.

    `link.assign_global_ids` gives ids in ingest order, each new entity meeting
    the keys earlier ones left; the Spark linker makes that one pass on its
    driver over the entities alone (no text), against this index. It keeps
    what the store's `global_for_keys` / `put_entity_global` keep: the first
    id a key gets stays its id, and a global entity keeps its first name,
    gathers the other names as aliases, in the order they come, and the
    votes for its type (one per document entity).
    """

    def __init__(self):
        self.keys: dict[str, str] = {}
        self.entities: dict[str, dict] = {}

    def global_for_keys(self, keys: list[str]) -> dict[str, str]:
        return {key: self.keys[key] for key in keys if key in self.keys}

    def put_entity_global(self, doc_id: str, entity: dict, global_id: str, keys: list[str]) -> None:
        for key in keys:
            self.keys.setdefault(key, global_id)
        names = [entity["name"], *entity.get("aliases", [])]
        known = self.entities.get(global_id)
        if known is None:
            votes = {entity["type"]: 1}
            self.entities[global_id] = {"name": entity["name"], "type": entity["type"], "aliases": names[1:], "votes": votes}
            return
        known["aliases"] += [n for n in names if n != known["name"] and n not in known["aliases"]]
        known["votes"][entity["type"]] = known["votes"].get(entity["type"], 0) + 1
        known["type"] = voted_type(known["votes"])
