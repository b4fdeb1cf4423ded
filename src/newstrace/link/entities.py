"""Global entities: one `global_id` per real-world entity across the corpus.

A document entity's key is its type class plus its canonical name, folded
(accents, case, punctuation) and, where the alias table knows the name, its
canonical form; transliteration variants meet on their consonant skeleton.
A key, once given an id, keeps it: ids are stored, so they stay stable
across re-runs and incremental ingests. A one-word PERSON name ("Netanyahu")
joins the one full name in the corpus that ends with it, if there is
exactly one.
"""
from __future__ import annotations

import hashlib

from newstrace.extract.entities.names import TYPE_CLASS, alias_table, fold, skeleton


def entity_keys(entity: dict) -> list[str]:
    """Keys under which this entity can meet others, strongest first."""
    type_class = TYPE_CLASS.get(entity["type"], entity["type"])
    names = [entity["name"], *entity.get("aliases", [])]
    aliases = alias_table()
    keys = []
    for name in names:
        canonical = aliases.get(fold(name))
        if canonical:
            keys.append(f"{TYPE_CLASS.get(canonical[1], canonical[1])}:{fold(canonical[0])}")
    for name in names:
        keys.append(f"{type_class}:{fold(name)}")
    for name in names:
        skel = skeleton(name)
        if skel and len(skel.split()) > 1:
            keys.append(f"{type_class}:~{skel}")
    return list(dict.fromkeys(k for k in keys if not k.endswith(":")))


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
    id a key gets stays its id, and a global entity keeps its first name and
    type and gathers the other names as aliases, in the order they come.
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
            self.entities[global_id] = {"name": entity["name"], "type": entity["type"], "aliases": names[1:]}
            return
        known["aliases"] += [n for n in names if n != known["name"] and n not in known["aliases"]]
