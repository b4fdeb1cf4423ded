"""Numbers that are not figures: names, codes and labels that happen to be written in digits.

A figure is an amount of something. A number is not one when it names a
thing ("Apollo 11", "the S&P 500", "Windows 10", "a 737 Max", "five 787
jets", "A350-900", "Su-34"), locates it ("1909 Jolinda Drive"), or is to
be dialled or quoted ("911", "0800 555 0100", "No. 21-cv-4032"). Each test
below reads one of those from the words and the parse; none of them looks
up a particular name.
"""
from __future__ import annotations

import re

#: Entity labels of names: a number inside one of these, beside a word, is part of the name ("Windows 10").
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
#: Labels of a proper noun a number may stand before as a count ("killed 12 Taliban", "5 Hamas"): groups of people.
GROUP_LABELS = frozenset({"NORP", "ORG"})
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
#: A telephone number: a "+country", "(area)" or 0-led trunk group, then one to three groups of digits.
PHONE = re.compile(r"(?<![\w.,])(?:\+\d{1,3}|\(\d{2,5}\)|0\d{1,4})(?:[ .-]\d{2,4}){1,3}(?!\w)")


def not_a_figure(lex, doc, parse, first: int, last: int) -> bool:
    """Whether the number run parse[first:last + 1] names, locates or labels something instead of counting."""
    token = parse[first]
    if token.lower_ == "one" and first == last and (token.dep_ != "nummod" or _next_lower(parse, last) == "of"):
        return True
    if token.head.pos_ == "PROPN" and token.head.ent_type_ == "DATE" and token.head.i != token.i:
        return True  # a day of a month ("October 7") the times layer missed
    if first == last and _ORDINAL.match(token.text):
        return True
    if _word_before(doc.text, token.idx) in lex.skip_before:
        return True  # "page 2", "No. 21" (the word as written, so "No." counts though the parser splits it)
    if first == last and _YEAR.match(token.text) and not (token.dep_ == "nummod" and token.head.tag_ in ("NNS", "NNPS")):
        return True
    return (_in_a_model_code(doc.text, token) or _led_by_zero(token) or _in_a_name(lex, parse, first, last)
            or _after_a_count(lex, parse, first) or _dialled(lex, parse, first, last))


def _word_before(text: str, offset: int) -> str:
    """The whitespace-separated word that ends before `offset` ("No." in "No. 21"), lower-cased."""
    words = text[max(0, offset - 40):offset].split()
    return words[-1].lower() if words else ""


def _in_a_model_code(text: str, token) -> bool:
    """"Su-34", "A350-900", "F-16": digits hyphened onto a code that holds a letter."""
    if token.idx < 2 or text[token.idx - 1] not in "-‐":
        return False
    code = text[max(0, token.idx - 12):token.idx - 1].split()
    return bool(code) and any(c.isalpha() for c in code[-1])


def _led_by_zero(token) -> bool:
    """"0800", "007": a count is never written with a leading zero ("0.5" is a decimal, not a code)."""
    return len(token.text) > 1 and token.text[0] == "0" and token.text[1].isdigit()


def _in_a_name(lex, parse, first: int, last: int) -> bool:
    """The number is part of a proper name: inside a name entity beside a word, or tied to a singular proper noun next to it."""
    token = parse[first]
    if token.ent_type_ in NAME_LABELS and any(
            t.ent_type_ == token.ent_type_ and not t.like_num and t.is_alpha for t in _entity_of(token)):
        return True  # "Windows 10"
    before = parse[first - 1] if first > 0 else None
    if before is not None and before.tag_ == "NNP" and token.head.i == before.i and before.ent_type_ not in ("DATE", "TIME"):
        return True  # "Apollo 11", "the S&P 500", "the FTSE 100"
    after = parse[last + 1] if last + 1 < len(parse) else None
    return (after is not None and after.tag_ == "NNP" and parse[last].head.i == after.i
            and after.ent_type_ not in GROUP_LABELS | {"DATE", "TIME"}
            and after.lower_ not in lex.units_after)  # "a 737 Max", "1909 Jolinda Drive"; not "500 Euros"


def _entity_of(token):
    """The tokens of the named entity `token` sits in."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return ()


def _after_a_count(lex, parse, first: int) -> bool:
    """Digits right after a number word name a model: "five 787 jets", "two 747s"."""
    if first == 0 or not _DIGITS.match(parse[first].text):
        return False
    before = parse[first - 1]
    return before.lower_ in lex.units or before.lower_ in lex.scales


def _dialled(lex, parse, first: int, last: int) -> bool:
    """"dialled 911", "call 112": the bare object of a verb of calling is a number to call."""
    head = parse[last]
    return (first == last and head.dep_ in ("dobj", "attr") and head.head.lemma_.lower() in lex.code_verbs
            and not any(child.dep_ in ("prep", "amod", "compound") for child in head.children))


def _next_lower(parse, i) -> str:
    return parse[i + 1].lower_ if i + 1 < len(parse) else ""
