"""Repairs to the parse, made once per document right after it: what the small model gets wrong on news layout.

- **Title lines**: a heading line in title case ("Lesotho and Kyrgyzstan
  Establish Diplomatic Ties") is parsed badly by a model trained on
  running text (every word a proper noun). Such a line
  (`nlp.text.title_lines`) is re-parsed in sentence case ("... establish
  diplomatic ties"), keeping the capitals of words that look like names,
  and its tokens replace the line's tokens. Case changes keep lengths, so
  offsets stay those of `doc.text`.
- **Blank lines**: arcs that cross a blank line are cut there: the small
  model often hangs a headline and the lead on one tree.

The events stage reads the repaired parse (`newstrace.nlp.repaired`); the
other stages read the parse as the model made it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.nlp.text import CAPITALIZED_WORD, SUFFIXES, WORD, title_lines

REPAIRED = "newstrace.repaired"  # user_data flag: this parse is already repaired
NAME_ENTITY_TYPES = frozenset({"PERSON", "GPE", "NORP", "LOC", "FAC"})
TITLE_NAME_TYPES = frozenset({"GPE", "NORP", "LOC"})


@functools.cache
def english_words(nlp) -> dict:
    """Lowercase words the model's lemmatizer knows (WordNet's index), by part of speech, plus its stop words.

    WordNet lists place names among its nouns ("chad", "turkey"), so a known
    noun is not proof that a capitalized word is no name.
    """
    words = {"stop": frozenset(nlp.Defaults.stop_words) | lexicons.words("title_function_words.txt")}
    table = None
    if "lemmatizer" in nlp.pipe_names and nlp.get_pipe("lemmatizer").lookups.has_table("lemma_index"):
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    for pos in ("noun", "verb", "adj", "adv"):
        words[pos] = frozenset(table.get(pos, ())) if table is not None else frozenset()
    lexicon_words: dict[str, set] = {"noun": set(), "verb": set()}  # English even where WordNet lacks them ("ceasefire")
    for row in lexicons.table("plover.tsv"):
        lemma, pos = row[0].lower(), row[1].lower()
        if " " not in lemma and pos in lexicon_words:
            lexicon_words[pos].add(lemma)
    for pos, added in lexicon_words.items():
        words[pos] = words[pos] | added
    return words


def known_form(word: str, words: frozenset) -> bool:
    """True when `word` (lowercase) or a form of it without an inflection is in `words`."""
    if word in words:
        return True
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if stem + replacement in words or (stem[-1:] == stem[-2:-1] and stem[:-1] in words):
                return True
    return False


@dataclass(frozen=True)
class CaseEvidence:
    """What the rest of the text says about a title word's case."""

    names: frozenset = frozenset()  # capitalized mid-sentence or tagged as a name elsewhere; places tagged in the title
    lowercase: frozenset = frozenset()  # written in lower case outside the title lines


def sentence_cased(line: str, evidence: CaseEvidence, english: dict) -> str:
    """`line` with its capitalized common words lowercased (same length): the first word and names stay.

    A word the text also writes in lower case is lowercased; one it writes
    capitalized (a name) stays. A word no dictionary knows stays
    ("Qaraqosh"), and so does a non-verb just before one ("South
    Ossetia"). Other known English words are lowercased: WordNet knows
    many place names ("kabul"), so those stay only with evidence.
    """
    matches = list(WORD.finditer(line))
    known = [_is_known(m.group().lower(), english) for m in matches]
    out = list(line)
    for k, match in enumerate(matches):
        word = match.group()
        if k == 0 or not CAPITALIZED_WORD.fullmatch(word):
            continue
        lower = word.lower()
        if lower in evidence.lowercase:
            out[match.start()] = lower[0]
            continue
        if word in evidence.names or not known[k]:
            continue
        next_is_name = k + 1 < len(matches) and matches[k + 1].group()[0].isupper() and not known[k + 1]
        if next_is_name and not known_form(lower, english["verb"]):
            continue
        out[match.start()] = lower[0]
    return "".join(out)


def _is_known(word: str, english: dict) -> bool:
    return word in english["stop"] or any(known_form(word, english[pos]) for pos in ("noun", "verb", "adj", "adv"))


def _case_evidence(parse, titles: list[tuple[int, int]], english: dict) -> CaseEvidence:
    """Names and lowercase words, from the text outside the title lines and the title's place names.

    In a title the model's entity tags are trusted only for places and
    nationalities, and only on words that are no verb, adjective or adverb
    ("Cayman Islands" stays; "Hunger Strike" tagged GPE does not).
    """
    names, lowercase = set(), set()
    in_title = lambda token: any(a <= token.idx < b for a, b in titles)
    for ent in parse.ents:
        if ent.label_ in TITLE_NAME_TYPES and in_title(ent[0]):
            names.update(t.text for t in ent if t.is_alpha and not any(
                known_form(t.lower_, english[pos]) for pos in ("verb", "adj", "adv")))
    for token in parse:
        if not token.is_alpha or in_title(token):
            continue
        if token.text.islower():
            lowercase.add(token.text)
        elif token.ent_type_ in NAME_ENTITY_TYPES or (
                token.text[0].isupper() and not token.is_sent_start and not token.nbor(-1).is_space):
            names.add(token.text)
    return CaseEvidence(frozenset(names), frozenset(lowercase))


def repair(parse, nlp=None, titles: list[tuple[int, int]] | None = None):
    """`parse` with title lines re-parsed in sentence case and arcs across blank lines cut.

    The result's text differs from `parse.text` only in letter case, so
    every character offset is still an offset into the document's text.
    `titles` are the title lines, when the caller has found them already
    (the document index). Returns `parse` itself when there is nothing to
    change, and a repaired parse unchanged.
    """
    if parse.user_data.get(REPAIRED):
        return parse
    spans = title_lines(parse.text) if titles is None else titles
    cased = _sentence_cased_titles(parse, spans, nlp) if spans else parse
    cut = _cut_at_paragraph_breaks(cased)
    if cut is parse:
        return parse
    cut.user_data[REPAIRED] = True
    return cut


def _sentence_cased_titles(parse, spans: list[tuple[int, int]], nlp):
    """`parse` with the title lines at `spans` re-parsed in sentence case."""
    if nlp is None:
        from newstrace.nlp.model import load_nlp

        nlp = load_nlp()
    english = english_words(nlp)
    evidence = _case_evidence(parse, spans, english)
    pieces, done = [], 0
    for start, end in spans:
        first = _first_token_at(parse, start)
        after = _first_token_at(parse, end)
        if first is None or parse[first].idx != start or (after is not None and parse[after].idx != end):
            continue  # the line's edges are not token edges: leave it as parsed
        if first > done:
            pieces.append(_piece(parse, done, first))
        pieces.append(nlp(sentence_cased(parse.text[start:end], evidence, english)))
        done = after if after is not None else len(parse)
    if not pieces:
        return parse
    if done < len(parse):
        pieces.append(_piece(parse, done, len(parse)))
    return _joined(pieces, parse)


def _cut_at_paragraph_breaks(parse):
    """`parse` with no arc crossing a blank line; itself when none does."""
    bounds = [0] + [t.i for t in parse if t.is_space and "\n\n" in t.text and t.i > 0] + [len(parse)]
    segments = [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]
    if not any(not a <= t.head.i < b for a, b in segments for t in parse[a:b]):
        return parse
    return _joined([_piece(parse, a, b) for a, b in segments], parse)


def _joined(pieces: list, parse):
    from spacy.tokens import Doc

    merged = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])
    return merged if len(merged.text) == len(parse.text) else parse


def _piece(parse, start: int, end: int):
    """Tokens [start, end) of `parse` as a Doc, with arcs that leave the piece cut: the title is its own tree."""
    piece = parse[start:end].as_doc()
    for token in parse[start:end]:
        if not start <= token.head.i < end:
            mine = piece[token.i - start]
            if token.is_space and token.i + 1 < end:
                mine.head, mine.dep_ = piece[token.i + 1 - start], "dep"
            else:
                mine.head, mine.dep_ = mine, "ROOT"
    return piece


def _first_token_at(parse, offset: int) -> int | None:
    """Index of the first token starting at or after `offset`, or None."""
    for token in parse:
        if token.idx >= offset:
            return token.i
    return None

