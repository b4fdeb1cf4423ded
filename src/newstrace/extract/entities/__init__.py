"""The `entities` layer: named entities from spaCy's NER, grouped per document.

Finding (`find_mentions`) keeps PERSON, ORG, GPE, LOC, NORP and FAC mentions,
trims what the small model often puts in or around a name ("the", a title, a
possessive "’s"), drops spans that cannot be names (no capital letter; a
sentence-initial common noun tagged PERSON), and recovers outlets the tagger
missed or called a date ("news outlet 10HABER", "10HABER reported").

Grouping (`group_mentions`) makes one entity per canonical name:

- the same name, with accents and case folded ("Erdoğan" ~ "Erdogan");
- the same consonant skeleton, word by word, for transliteration variants
  of names of two words or more ("Salih al-Aruri" ~ "Saleh al-Arouri"); a
  one-word name ("Hansen", "Hanson"; "Oman", "Amman") must match exactly;
- an acronym in brackets after its expansion ("National Intelligence
  Organization (MIT)") and every later "MIT";
- a surname alone joins the one full name that ends with it, but only when
  that full name is in the text;
- variants listed in `data/aliases.tsv`.

The entity's `name` is always a form written in the text; the alias table
only groups variants, fixes the type and adds its canonical name to
`aliases`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from newstrace import lexicons
from newstrace.extract import stage
from newstrace.extract.entities.names import TYPE_CLASS, alias_table, fold, skeleton  # noqa: F401 (fold, skeleton: public)
from newstrace.model import Document
from newstrace.unionfind import UnionFind


KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
#: Labels the small model puts on outlet names it does not know.
MISREAD_LABELS = frozenset({"", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "WORK_OF_ART", "PRODUCT"})

ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
CALENDAR_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.IGNORECASE,
)
POSSESSIVE = frozenset({"'s", "’s", "'", "’", "‘s"})
DETERMINERS = frozenset({"the", "a", "an"})
#: Words that cannot end a name: "State of", "Hamas and".
TRAILING_TAGS = frozenset({"POS", "IN", "DT", "CC", "TO"})


@dataclass
class Mention:
    """One mention: character span, its text and the type NER (or a rule) gave it."""

    start: int
    end: int
    text: str
    type: str
    tokens: tuple[int, int] = (0, 0)  # token slice [i, j) in the parse


@dataclass
class Group:
    mentions: list[Mention] = field(default_factory=list)
    table_name: str | None = None
    table_type: str | None = None
    expansion: str | None = None


# -- keys ---------------------------------------------------------------

@functools.cache
def _titles() -> tuple[str, ...]:
    return tuple(sorted(lexicons.words("entity_titles.txt"), key=len, reverse=True))


# -- finding ------------------------------------------------------------

def find_mentions(parse) -> list[Mention]:
    """Entity mentions in the parse, trimmed and filtered, plus recovered outlet names."""
    mentions = []
    taken = set()
    for ent in parse.ents:
        for mention in _mentions_from_ent(parse, ent):
            mentions.append(mention)
            taken.update(range(*mention.tokens))
    for mention in _recover_outlets(parse, taken):
        mentions.append(mention)
        taken.update(range(*mention.tokens))
    mentions.extend(_split_bracketed_acronyms(parse, mentions))
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _mentions_from_ent(parse, ent) -> list[Mention]:
    """The mention(s) in one NER span: none, one, or an expansion and its bracketed acronym."""
    label = ent.label_
    if label not in KEPT_LABELS:
        return []
    i, j = _trim(parse, ent.start, ent.end, label)
    if j - i >= 4 and parse[j - 1].text == ")" and parse[j - 3].text == "(" and ACRONYM.match(parse[j - 2].text):
        return _mentions_from_tokens(parse, i, j - 3, label) + _mentions_from_tokens(parse, j - 2, j - 1, label)
    return _mentions_from_tokens(parse, i, j, label)


def _mentions_from_tokens(parse, i: int, j: int, label: str) -> list[Mention]:
    if i >= j:
        return []
    text = parse[i:j].text
    if not any(c.isupper() for c in text):
        return []  # "n’t", "hundreds": a name is written with a capital
    if _is_capitalised_common_noun(parse, i, j, label):
        return []
    return [Mention(parse[i].idx, parse[j - 1].idx + len(parse[j - 1]), text, label, (i, j))]


def _trim(parse, i: int, j: int, label: str) -> tuple[int, int]:
    """Drop leading determiners and titles, trailing possessives and punctuation."""
    while i < j and (parse[i].lower_ in DETERMINERS or parse[i].is_punct or _lowercase_word(parse, i, j)):
        i += 1
    if label == "PERSON":
        i = _skip_title(parse, i, j)
    while j > i and (parse[j - 1].text in POSSESSIVE or parse[j - 1].tag_ in TRAILING_TAGS
                     or parse[j - 1].is_punct and parse[j - 1].text not in ".)"):
        j -= 1
    if j > i and parse[j - 1].text == ")" and "(" not in parse[i:j].text:
        j -= 1
    return i, j


def _lowercase_word(parse, i: int, j: int) -> bool:
    """A lower-case word opening a name span ('wife of X'); not a particle joined by a hyphen ('al-Qaeda')."""
    token = parse[i]
    joined = i + 1 < j and parse[i + 1].text == "-" and token.idx + len(token) == parse[i + 1].idx
    return token.is_alpha and token.is_lower and not joined


def _skip_title(parse, i: int, j: int) -> int:
    """Skip a title ("President", "Prime Minister") that opens a person's span of more than that title."""
    span_lower = parse[i:j].text.lower()
    for title in _titles():
        if span_lower.startswith(title + " "):
            k = i
            while k < j and parse[k].idx + len(parse[k]) <= parse[i].idx + len(title):
                k += 1
            if k < j:
                return k
    return i


def _is_capitalised_common_noun(parse, i: int, j: int, label: str) -> bool:
    """A lone sentence-initial common noun ('Tons of bombs') taken for a name."""
    token = parse[i]
    return j - i == 1 and token.is_sent_start and token.tag_ in ("NN", "NNS") and label in ("PERSON", "ORG")


def _recover_outlets(parse, taken: set[int]):
    """Proper names beside a media noun ('news outlet X', 'the X newspaper') or subject of 'reported'."""
    media_nouns = lexicons.words("entity_media_nouns.txt")
    media_verbs = lexicons.words("entity_media_verbs.txt")
    for i, j in _proper_runs(parse, taken):
        before = parse[i - 1] if i > 0 else None
        after = parse[j] if j < len(parse) else None
        beside_media = (before is not None and before.lower_ in media_nouns) or (
            after is not None and after.lower_ in media_nouns and after.pos_ == "NOUN")
        head = parse[j - 1]
        subject_of_report = (parse[i].ent_type_ != "" and head.dep_ == "nsubj"
                             and head.head.lemma_.lower() in media_verbs)
        if beside_media or subject_of_report:
            yield Mention(parse[i].idx, head.idx + len(head), parse[i:j].text, "ORG", (i, j))


def _proper_runs(parse, taken: set[int]):
    """Runs of proper-noun tokens that no kept entity covers and whose label may be a misreading."""
    i, n = 0, len(parse)
    while i < n:
        if not _proper_candidate(parse[i], taken):
            i += 1
            continue
        j = i
        while j < n and _proper_candidate(parse[j], taken):
            j += 1
        text = parse[i:j].text
        if not CALENDAR_WORD.search(text) and any(c.isupper() for c in text):
            yield i, j
        i = j


def _proper_candidate(token, taken: set[int]) -> bool:
    return (token.i not in taken and token.tag_ in ("NNP", "NNPS") and token.ent_type_ in MISREAD_LABELS
            and not token.is_sent_start)


def _split_bracketed_acronyms(parse, mentions: list[Mention]) -> list[Mention]:
    """An acronym in brackets right after a mention, when NER did not tag it: '(MIT)' as its own mention."""
    starts = {m.start for m in mentions}
    extra = []
    for m in mentions:
        i, j = m.tokens[1], m.tokens[1] + 3
        if j <= len(parse) and parse[i].text == "(" and parse[i + 2].text == ")" and ACRONYM.match(parse[i + 1].text):
            token = parse[i + 1]
            if token.idx not in starts:
                extra.append(Mention(token.idx, token.idx + len(token), token.text, m.type, (token.i, token.i + 1)))
    return extra


# -- grouping -----------------------------------------------------------

def group_mentions(text: str, parse, mentions: list[Mention]) -> list[Group]:
    """Mentions grouped into one Group per entity, in order of first mention."""
    mentions = mentions + _propagate_names(parse, mentions)
    mentions.sort(key=lambda m: (m.start, m.end))
    uf = UnionFind()
    aliases = alias_table()
    _join_by_key(uf, mentions, lambda m: fold(m.text))
    _join_by_key(uf, mentions, lambda m: (TYPE_CLASS[m.type], skeleton(m.text)) if skeleton(m.text) else None)
    _join_by_key(uf, mentions, lambda m: aliases.get(fold(m.text), (None,))[0])
    expansions = _join_acronyms(uf, text, mentions)
    _join_short_forms(uf, mentions)
    groups: dict[int, Group] = {}
    for index, mention in enumerate(mentions):
        group = groups.setdefault(uf.find(index), Group())
        group.mentions.append(mention)
        known = aliases.get(fold(mention.text))
        if known and group.table_name is None:
            group.table_name, group.table_type = known
        if index in expansions:
            group.expansion = expansions[index]
    return sorted(groups.values(), key=lambda g: g.mentions[0].start)


def _join_by_key(uf: UnionFind, mentions: list[Mention], key) -> None:
    first: dict = {}
    for index, mention in enumerate(mentions):
        k = key(mention)
        if k is None or k == "":
            continue
        if k in first:
            uf.union(first[k], index)
        else:
            first[k] = index


def _join_acronyms(uf: UnionFind, text: str, mentions: list[Mention]) -> dict[int, str]:
    """Join 'Expansion (ACR)' pairs; returns {mention index: expansion text} for the expansion mentions."""
    expansions = {}
    by_start = {m.start: k for k, m in enumerate(mentions)}
    for k, m in enumerate(mentions):
        if len(m.text.split()) < 2:
            continue
        match = re.match(r"\s*\(\s*", text[m.end:m.end + 4])
        if not match:
            continue
        inner = by_start.get(m.end + match.end())
        if inner is None:
            continue
        acronym = mentions[inner]
        if ACRONYM.match(acronym.text) and text[acronym.end:acronym.end + 1] == ")":
            uf.union(k, inner)
            expansions[k] = m.text
    return expansions


def _join_short_forms(uf: UnionFind, mentions: list[Mention]) -> None:
    """A surname alone (or an ORG's leading words) joins the one longer name in the text it abbreviates."""
    longer: dict[tuple[str, tuple[str, ...]], set[int]] = {}
    for index, mention in enumerate(mentions):
        words = tuple(fold(mention.text).split())
        if mention.type == "PERSON":
            for k in range(1, len(words)):
                longer.setdefault(("PERSON", words[k:]), set()).add(uf.find(index))
        elif mention.type == "ORG":
            for k in range(2, len(words)):
                longer.setdefault(("ORG", words[:k]), set()).add(uf.find(index))
    for index, mention in enumerate(mentions):
        owners = longer.get((mention.type, tuple(fold(mention.text).split())))
        if owners:
            roots = {uf.find(o) for o in owners}
            if len(roots) == 1:
                uf.union(index, roots.pop())


def _propagate_names(parse, mentions: list[Mention]) -> list[Mention]:
    """Further occurrences of a found name (or its short form) that the tagger missed, tagged as proper nouns."""
    columns = parse.to_array(["ORTH", "TAG"]).tolist() if len(parse) else []
    proper_tags = {parse.vocab.strings["NNP"], parse.vocab.strings["NNPS"]}
    words = [orth for orth, _ in columns]  # string ids: cheaper than building Token objects
    proper = [tag in proper_tags for _, tag in columns]
    names: dict[tuple[str, ...], str] = {}
    sizes: dict[str, set[int]] = {}  # first word -> lengths of the names it opens
    covered = set()
    for m in mentions:
        covered.update(range(*m.tokens))
        if m.type != "NORP":
            for key in _written_forms(tuple(words[m.tokens[0]:m.tokens[1]]), m.type):
                names.setdefault(key, m.type)
                sizes.setdefault(key[0], set()).add(len(key))
    found = []
    i, n = 0, len(words)
    while i < n:
        size = next((k for k in sorted(sizes.get(words[i], ()), reverse=True)
                     if tuple(words[i:i + k]) in names and _free_proper(proper, i, i + k, covered)
                     and parse[i].text[:1].isupper()), 0)
        if size:
            span = parse[i:i + size]
            found.append(Mention(span.start_char, span.end_char, span.text, names[tuple(words[i:i + size])], (i, i + size)))
            i += size
        else:
            i += 1
    return found


def _written_forms(key: tuple, type_: str) -> list[tuple]:
    """A name and the short forms it may take later: a person's surname, an organisation's leading words."""
    forms = [key]
    if type_ == "PERSON" and len(key) >= 2:
        forms.append(key[-1:])
    elif type_ == "ORG" and len(key) >= 3:
        forms.extend(key[:k] for k in range(2, len(key)))
    return forms


def _free_proper(proper: list[bool], i: int, j: int, covered: set[int]) -> bool:
    """Tokens i..j are proper nouns, not yet in a mention, and not part of a longer name."""
    if j > len(proper) or any(k in covered for k in range(i, j)):
        return False
    if (j < len(proper) and proper[j]) or (i > 0 and proper[i - 1]):
        return False
    return all(proper[i:j])


# -- records ------------------------------------------------------------

def entity_record(doc: Document, index: int, group: Group) -> dict:
    """The contract's Entity dict for one group."""
    forms = _forms(group)
    name = _choose_name(group, forms)
    aliases = [f for f in forms if fold(f) != fold(name)]
    if group.table_name and fold(group.table_name) not in {fold(f) for f in forms}:
        aliases.append(group.table_name)
    return {
        "id": f"e{index}",
        "type": group.table_type or _majority_type(group),
        "name": name,
        "aliases": aliases,
        "mentions": [doc.span(m.start, m.end) for m in group.mentions],
        "global_id": None,
    }


def _forms(group: Group) -> list[str]:
    """Distinct written forms in order of first appearance (one per folded spelling)."""
    seen, forms = set(), []
    for m in group.mentions:
        if m.text not in seen:
            seen.add(m.text)
            forms.append(m.text)
    return forms


def _choose_name(group: Group, forms: list[str]) -> str:
    """An expansion, else the table's name when written, else the longest, then most frequent, form."""
    if group.expansion:
        return group.expansion
    if group.table_name:
        for form in forms:
            if fold(form) == fold(group.table_name):
                return form
    counts = Counter(m.text for m in group.mentions)
    order = {form: k for k, form in enumerate(forms)}
    return max(forms, key=lambda f: (len(f.split()), counts[f], -order[f]))


def _majority_type(group: Group) -> str:
    counts = Counter(m.type for m in group.mentions)
    best = max(counts.values())
    return next(m.type for m in group.mentions if counts[m.type] == best)


@stage(assigns="entities", requires=("sentences",))
def add_entities(doc: Document, parse) -> Document:
    """Return `doc` with its `entities` layer set."""
    groups = group_mentions(doc.text, parse, find_mentions(parse))
    doc.entities = [entity_record(doc, k, g) for k, g in enumerate(groups, start=1)]
    return doc
