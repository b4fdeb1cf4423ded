"""The `events` layer: who did what to whom, typed with PLOVER v2.0.

Found from the one dependency parse, no extra model calls:

- A **trigger** is a verb or an event noun whose lemma is in
  `data/plover.tsv` (lemma, POS, type, mode, requirement). A two-word entry
  is a head plus a particle, preposition, object or modifier ("call for",
  "step down", "open fire", "air strike"). The requirement column keeps
  look-alikes out: "pursue Hamas leaders" is an event, "pursue a policy" is
  not (`actor-obj`); "asked the delegates: ..." is no request (`xcomp`).
- A negated trigger ("did not respond", "no attack") is no event. A subject
  that is a force of nature (`data/events_non_agents.txt`) is no actor, and
  its event is dropped ("the storm hit the city").
- **Verb on verb**: a trigger with a trigger in its xcomp (or an event noun
  as its object) keeps the outer type ("refused to withdraw" is REJECT,
  "urged Israel to withdraw" is REQUEST, with the mode the inner act gives).
  PLOVER v2.0 reads announced acts by what is announced: a vow, a future
  modal or an intent word (`data/events_intent_words.txt`: "plans to",
  "is ready to") on a conflict act makes THREATEN ("vowed to attack",
  "Israel would pursue Hamas leaders", as PETRARCH2's "A said A will attack
  B"); on a withdrawal or release it makes CONCEDE (a promised
  concession); on other cooperation, AGREE ("will support"). Halting one's
  own attacks is RETREAT. A reported obligation ("X said Iraq must
  cooperate") is a REQUEST by the speaker of the one obliged. An event noun
  that a request, refusal, promise or threat governs is not reported as
  happening, so it is folded into that event.
- **Event nouns** take their actor from a support verb
  (`data/events_light_verbs.txt`: "Hamas launched an attack on Israel"),
  from a possessive or a group-name modifier ("Israeli airstrike"), or from
  "by"/"of" ("a gathering of Hamas leaders"). A noun with no argument is an
  event only as the subject of an occurrence verb
  (`data/events_occur_verbs.txt`: "fighting erupted").
- **Actors** are subjects (inherited through xcomp, advcl, conj and "by
  doing"; "who" resolves to its noun) and passive agents; **targets** are
  objects, passive subjects and objects of with/against/on/at/to/toward.
  Each is `{text, entity, start, end}`: the phrase without relative clauses
  or appositions, and the id of the entity mentioned closest to its head
  ("a reassessment of US policy toward Israel" -> US), or null.
- **Place**: a GPE/LOC/FAC in a locative phrase on the trigger (or on the
  verb governing an event noun). **Date**: the dated Time of the same
  sentence nearest the trigger in the parse tree, skipping times outside
  the attribution content that carries the event (those date the report,
  not the event); "the same day" with no value of its own takes the last
  date before it.
- **attributed_to**: the innermost attribution whose content covers the
  trigger. **hedged**: that attribution is hedged, or a hedge
  (`data/events_hedges.txt`: "reportedly", "may", "appears to", "were said
  to") bears on the trigger.
- **Quotes**: an event inside a direct quote is kept, with its type, but
  `quote` names the innermost quote, and `attributed_to` falls back to the
  attribution around that quote. A consumer that wants only what the report
  itself asserts drops events with a `quote` or an `attributed_to`.

- **Title lines**: a heading line in title case ("Lesotho and Kyrgyzstan
  Establish Diplomatic Ties") is parsed badly by a model trained on
  running text (every word a proper noun). Such a line is re-parsed in
  sentence case ("... establish diplomatic ties"), keeping the capitals of
  words that look like names, and its tokens replace the line's tokens in
  the parse the events stage reads (`events_parse`). Case changes keep
  lengths, so offsets stay those of `doc.text`. Arcs that cross a blank
  line are cut there too, and no event's sentence runs across one: the
  small model often hangs a headline and the lead on one tree.
- **Headline grammar** the parser misreads even in sentence case: a
  participle or an event noun heading a sentence with no verb is its
  predicate ("Curfew imposed after clashes", "Deadly clashes in Gaza");
  a word tagged noun that takes a direct object, or an -s word tagged
  plural noun between two nouns of a verbless line, is a verb
  ("Activists decry Beirut bombings", "Militia massacres villagers");
  a verb inside a name span the tagger drew across the line still counts.

`mode` is the PLOVER mode the lexicon gives for the trigger (ASSAULT
"aerial", COERCE "arrest", ...), else null.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.clean import BLANK_LINE
from newstrace.extract import stage
from newstrace.model import Document


ARGUMENT_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
PLACE_ENTITY_TYPES = frozenset({"GPE", "LOC", "FAC"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "around", "within"})
TARGET_PREPS = frozenset({"with", "against", "on", "upon", "at", "to", "toward", "towards", "into", "over"})
OBJECT_PREPS = frozenset({"with", "against", "on", "upon", "at", "over", "about", "for", "toward", "towards"})
DIRECTED_PREPS = frozenset({"at", "on", "into", "toward", "towards", "upon"})
NOUN_ACTOR_PREPS = frozenset({"by", "from"})
#: Types whose noun's "of" phrase names who acts ("a gathering of leaders"), not who suffers.
OF_IS_ACTOR = frozenset({"CONSULT", "PROTEST", "MOBILIZE", "COOPERATE"})
#: Events that do not report their object as happening: a request, refusal, promise or threat of it.
UNREALIZED_FRAMES = frozenset({"REQUEST", "REJECT", "AGREE", "THREATEN", "CONCEDE"})
MATERIAL_CONFLICT = frozenset({"ASSAULT", "COERCE", "SANCTION"})
THREAT_SOURCES = MATERIAL_CONFLICT | {"PROTEST", "MOBILIZE"}
INTENT_TO_COOPERATE = frozenset({"SUPPORT", "CONSULT", "RETREAT", "CONCEDE", "AID", "COOPERATE"})
QUANTITY_HEADS = frozenset({"dozens", "hundreds", "thousands", "scores", "tens", "millions"})
CEASEFIRE_NOUNS = frozenset({"ceasefire", "cease-fire", "truce", "armistice"})
CEASEFIRE_KEPT_VERBS = frozenset({"implement", "observe", "respect", "enforce"})
OBLIGATION_MODALS = frozenset({"must", "should"})
CONCESSIONS = frozenset({"RETREAT", "CONCEDE"})
PROMISE_VERBS = frozenset({"vow", "pledge", "promise", "swear"})
CONFLICT_ACTS = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "THREATEN"})
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll", "wo"})
PHRASE_CUT_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "prep"})
PHRASE_CUT_DEPS_KEEP_OF = PHRASE_CUT_DEPS - {"prep"}
INHERIT_SUBJECT_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "ccomp"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
HEARSAY_VERBS = frozenset({"say", "report", "believe", "think", "claim", "allege", "rumor", "rumour", "understand", "know", "expect"})
SAME_DAY = re.compile(r"^(?:on\s+)?(?:the|that)\s+(?:same|very)\s+day$|^that\s+day$", re.IGNORECASE)
DATED_VALUE = re.compile(r"^(?:\d{4}|XXXX)-\d{2}")
MAX_DATE_DISTANCE = 6

#: Mode a threat takes from the act threatened (PLOVER THREATEN modes).
THREAT_MODES = {
    "ASSAULT": "violence", "SANCTION": "relations", "PROTEST": "restrict", "MOBILIZE": "violence",
    ("COERCE", "arrest"): "arrest", ("COERCE", "seize"): "territory", ("COERCE", "restrict"): "restrict",
    ("COERCE", "ban"): "ban", ("COERCE", "deport"): "expel", ("COERCE", "curfew"): "restrict",
}
#: Mode a request or refusal takes from what is requested or refused (PLOVER REQUEST/REJECT modes).
YIELD_MODES = {"CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "change"}


@dataclass(frozen=True)
class Sense:
    """One lexicon row: what a trigger means and what it needs to count."""

    type: str
    mode: str | None
    requires: str | None


@dataclass(frozen=True)
class Lexicon:
    """The PLOVER lexicon and the word lists the finder uses, read once."""

    single: dict  # (lemma, pos) -> [Sense]
    double: dict  # (head lemma, pos) -> [(other word, Sense)]
    light_verbs: frozenset
    occur_verbs: frozenset
    hedges: frozenset
    actor_nouns: frozenset
    non_agents: frozenset
    intent_words: frozenset


@functools.cache
def load_lexicon() -> Lexicon:
    """Build the `Lexicon` from `data/plover.tsv` and the `events_*.txt` lists."""
    single: dict = {}
    double: dict = {}
    for row in lexicons.table("plover.tsv"):
        lemma, pos, type_, mode, requires = (list(row) + ["-"] * 5)[:5]
        sense = Sense(type_, None if mode == "-" else mode, None if requires == "-" else requires)
        words = lemma.lower().split()
        if len(words) == 1:
            single.setdefault((words[0], pos), []).append(sense)
        elif pos == "NOUN":  # modifier + head: "air strike"
            double.setdefault((words[1], pos), []).append((words[0], sense))
        else:  # head + particle/preposition/object: "call for"
            double.setdefault((words[0], pos), []).append((words[1], sense))
    return Lexicon(
        single, double,
        lexicons.words("events_light_verbs.txt"), lexicons.words("events_occur_verbs.txt"),
        lexicons.words("events_hedges.txt"), lexicons.words("events_actor_nouns.txt"),
        lexicons.words("events_non_agents.txt"), lexicons.words("events_intent_words.txt"),
    )


# -- title lines: headline casing ------------------------------------------------

EVENTS_PARSE = "newstrace.events.parse"  # user_data flag: this parse is already the one the events stage reads
TITLE_LINE_MAX_WORDS = 25
TITLE_CASE_SHARE = 0.7
CAPITALIZED_WORD = re.compile(r"[A-Z][a-z]+(?:[-'][A-Za-z]+)*")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
SENTENCE_FINAL = re.compile(r"[.;]\s*$")
NAME_ENTITY_TYPES = frozenset({"PERSON", "GPE", "NORP", "LOC", "FAC"})
TITLE_NAME_TYPES = frozenset({"GPE", "NORP", "LOC"})
FUNCTION_WORDS = frozenset({"amid", "amidst", "despite", "via", "versus", "vs", "toward", "towards", "onto", "upon", "unto", "till"})
SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("d", ""))


def title_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph that is a one-line heading written in title case."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if _is_title_cased(line) and _paragraph_alone(text, match.start(), match.end()):
            spans.append((match.start(), match.end()))
    return spans


def _paragraph_alone(text: str, start: int, end: int) -> bool:
    """True when the line is a paragraph of its own: blank lines (or the text's edges) around it."""
    before_ok = text.endswith("\n\n", 0, start) or not text[:start].strip()
    return before_ok and (text.startswith("\n\n", end) or not text[end:].strip())


def _is_title_cased(line: str) -> bool:
    words = WORD.findall(line)
    if len(words) < 3 or len(words) > TITLE_LINE_MAX_WORDS or SENTENCE_FINAL.search(line):
        return False
    content = [w for w in words[1:] if len(w) > 3]
    capitalized = [w for w in content if w[0].isupper()]
    return len(capitalized) >= 2 and len(capitalized) >= TITLE_CASE_SHARE * len(content)


@functools.cache
def _english_words(nlp) -> dict:
    """Lowercase words the model's lemmatizer knows (WordNet's index), by part of speech, plus its stop words.

    WordNet lists place names among its nouns ("chad", "turkey"), so a known
    noun is not proof that a capitalized word is no name.
    """
    words = {"stop": frozenset(nlp.Defaults.stop_words) | FUNCTION_WORDS}
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


def _known_form(word: str, words: frozenset) -> bool:
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
        if next_is_name and not _known_form(lower, english["verb"]):
            continue
        out[match.start()] = lower[0]
    return "".join(out)


def _is_known(word: str, english: dict) -> bool:
    return word in english["stop"] or any(_known_form(word, english[pos]) for pos in ("noun", "verb", "adj", "adv"))


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
                _known_form(t.lower_, english[pos]) for pos in ("verb", "adj", "adv")))
    for token in parse:
        if not token.is_alpha or in_title(token):
            continue
        if token.text.islower():
            lowercase.add(token.text)
        elif token.ent_type_ in NAME_ENTITY_TYPES or (
                token.text[0].isupper() and not token.is_sent_start and not token.nbor(-1).is_space):
            names.add(token.text)
    return CaseEvidence(frozenset(names), frozenset(lowercase))


def events_parse(parse, nlp=None):
    """The parse the events stage reads: `parse` with title lines re-parsed and paragraphs cut apart.

    A title-cased heading line is re-parsed in sentence case. No sentence runs
    across a blank line, so arcs that cross one are cut (the small model
    often hangs a headline and the lead's first sentence on one tree). The
    result's text differs from `parse.text` only in letter case, so every
    character offset is still an offset into the document's text. Returns
    `parse` itself when there is nothing to change.
    """
    if parse.user_data.get(EVENTS_PARSE):
        return parse
    spans = title_lines(parse.text)
    cased = _sentence_cased_titles(parse, spans, nlp) if spans else parse
    cut = _cut_at_paragraph_breaks(cased)
    if cut is parse:
        return parse
    cut.user_data[EVENTS_PARSE] = True
    return cut


def _sentence_cased_titles(parse, spans: list[tuple[int, int]], nlp):
    """`parse` with the title lines at `spans` re-parsed in sentence case."""
    if nlp is None:
        from newstrace.pipeline import load_nlp  # here, not at import: the pipeline imports this stage

        nlp = load_nlp()
    english = _english_words(nlp)
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


# -- the document's other layers, indexed once -------------------------------

class Mentions:
    """Entity mentions by offset, from `doc.entities`, else from spaCy's NER (no ids)."""

    def __init__(self, doc: Document, parse):
        spans = []
        for entity in doc.entities or []:
            for m in entity.get("mentions") or []:
                spans.append((m["start"], m["end"], entity.get("id"), entity.get("type")))
        if not spans:
            spans = [(e.start_char, e.end_char, None, e.label_) for e in parse.ents if e.label_ in ARGUMENT_ENTITY_TYPES]
        spans.sort()
        self.spans = spans
        self.starts = [s[0] for s in spans]

    def within(self, start: int, end: int) -> list[tuple]:
        """Mentions overlapping [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        while i > 0 and self.spans[i - 1][1] > start:
            i -= 1
        out = []
        for s in self.spans[i:]:
            if s[0] >= end:
                break
            if s[1] > start:
                out.append(s)
        return out


def _innermost(records: list[dict], key: str, start: int, end: int) -> dict | None:
    """The record whose `key` span covers [start, end) most tightly."""
    best = None
    for rec in records or []:
        span = rec.get(key) if key else rec
        if not isinstance(span, dict) or span.get("start") is None:
            continue
        if span["start"] <= start and end <= span["end"]:
            if best is None or span["end"] - span["start"] < best[0]:
                best = (span["end"] - span["start"], rec)
    return best[1] if best else None


def _overlapping(records: list[dict], key: str, start: int, end: int) -> dict | None:
    for rec in records or []:
        span = rec.get(key)
        if isinstance(span, dict) and span.get("start") is not None and span["start"] < end and start < span["end"]:
            return rec
    return None


# -- finding triggers ----------------------------------------------------------

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


def _is_actor_like(token, mentions: Mentions, lex: Lexicon) -> bool:
    if token.lower_ in QUANTITY_HEADS:  # "hundreds of fighters" is the fighters; "police charged dozens" is people
        head = _content_head(token)
        return head is token or _is_actor_like(head, mentions, lex)
    if token.pos_ == "PRON":
        return token.lower_ not in ("it", "this", "that", "what", "which", "something", "anything", "nothing")
    if token.lemma_.lower() in lex.actor_nouns or token.lower_ in lex.actor_nouns or token.pos_ == "PROPN":
        return True
    start, end = _phrase_bounds(token)
    head_mentions = mentions.within(token.idx, token.idx + len(token))
    return bool(head_mentions) or any(m[3] in ARGUMENT_ENTITY_TYPES for m in mentions.within(start, end)
                                      if _depth_below(token, m, token.doc) <= 1)


def _has_complement(token) -> bool:
    if any(c.dep_ in ("xcomp", "ccomp", "acl") for c in token.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("for", "against") for c in token.children)


def _satisfies(sense: Sense, token, mentions: Mentions, lex: Lexicon) -> bool:
    req = sense.requires
    if req is None:
        return True
    objects = _objects(token)
    if req == "obj":
        return bool(objects)
    if req == "actor-obj":
        return any(_is_actor_like(o, mentions, lex) for o in objects)
    if req == "actor-if-obj":
        direct = [c for c in token.children if c.dep_ == "dobj"] + _passive_subjects(token)
        return not direct or any(_is_actor_like(o, mentions, lex) for o in direct)
    if req == "comp":
        return _has_complement(token)
    if req == "xcomp":
        return any(c.dep_ == "xcomp" for c in token.children) or any(
            c.dep_ == "prep" and c.lower_ == "for" for c in token.children)
    if req.startswith("obj="):
        heads = set(req[4:].split("|"))
        gerunds = [c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VBG"]  # "stop fighting"
        return any(o.lemma_.lower() in heads or o.lower_ in heads for o in map(_content_head, objects + gerunds))
    if req.startswith("subj="):  # "fighting stopped": the subject is what stops
        heads = set(req[5:].split("|"))
        return not any(c.dep_ == "dobj" for c in token.children) and any(
            c.dep_ in SUBJECT_DEPS and (c.lemma_.lower() in heads or c.lower_ in heads) for c in token.children)
    if req == "clause":  # "protested that the rights were ignored": a verbal act, not a march
        return token.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in token.children)
    if req == "at":
        return any(c.dep_ == "prep" and c.lower_ in DIRECTED_PREPS for c in token.children)
    if req.startswith("from="):  # "withdrew from the treaty", "pulled out of NATO": what is left
        heads = set(req[5:].split("|"))
        left = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "of") for g in c.children if g.dep_ == "pobj"]
        left += [g for c in token.children if c.dep_ in ("prt", "prep") for p in c.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
        return any(o.lemma_.lower() in heads or o.lower_ in heads for o in map(_content_head, left))
    return True


def _content_head(token):
    """The noun a quantity stands for: "hundreds of police" -> police; else `token`."""
    if token.lower_ in QUANTITY_HEADS:
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                return pobj
    return token


def _negated(token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    return _pos_class(token) == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


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


# -- arguments ------------------------------------------------------------------

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


def _with_conjuncts(token) -> list:
    return [token] + [c for c in token.conjuncts if c.i > token.i]


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


def _governor(token):
    """The verb an event noun hangs on as subject or object, else None."""
    if token.dep_ == "compound":  # "a mediation effort": the phrase's head hangs on the verb
        token = token.head
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and token.head.pos_ in ("VERB", "AUX"):
        return token.head
    if token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.pos_ == "VERB":
        return token.head.head
    return None


# -- context: place, date, attribution, hedge --------------------------------

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


class Sentences:
    """The document's sentences, and its dated Times grouped by sentence, for lookups by offset."""

    def __init__(self, doc: Document):
        whole = [tuple(s) for s in doc.sentences] or [(0, len(doc.text))]
        self.bounds = [part for start, end in whole for part in _split_at_blank_lines(doc.text, start, end)]
        self.starts = [b[0] for b in self.bounds]
        self.times: dict[int, list[dict]] = {}
        for time in doc.times or []:
            if time.get("start") is None or time.get("type") not in ("DATE", "TIME", None) or not _is_dated(time):
                continue
            k = self.index(time["start"])
            if time["end"] <= self.bounds[k][1]:
                self.times.setdefault(k, []).append(time)

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _split_at_blank_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at its blank lines, each part without the whitespace around it: no sentence spans paragraphs."""
    parts, at = [], start
    for match in BLANK_LINE.finditer(text, start, end):
        parts.append((at, match.start()))
        at = match.end()
    parts.append((at, end))
    out = []
    for a, b in parts:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out or [(start, end)]


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


def _is_dated(time: dict) -> bool:
    value = time.get("value")
    return (isinstance(value, str) and bool(DATED_VALUE.match(value))) or bool(SAME_DAY.match(time.get("text", "").strip()))


def _last_date_before(doc: Document, offset: int) -> str | None:
    earlier = [t for t in doc.times or [] if t.get("end", 0) <= offset and isinstance(t.get("value"), str)
               and DATED_VALUE.match(t["value"])]
    return max(earlier, key=lambda t: t["start"])["value"] if earlier else None


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


def _has_future_modal(token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in token.children):
        return True
    return any(c.dep_ == "aux" and c.lower_ == "going" for c in token.children)


# -- assembling events -----------------------------------------------------------

@dataclass
class Draft:
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


def find_events(doc: Document, parse, lex: Lexicon | None = None) -> list[dict]:
    """Every event in `doc`, as CONTRACT.md Event records, in text order."""
    lex = lex or load_lexicon()
    parse = events_parse(parse)
    mentions = Mentions(doc, parse)
    triggers = find_triggers(parse, mentions, lex)
    not_arguments = _time_tokens(doc, parse)
    sentences = Sentences(doc)
    events = []
    for draft in _drafts(parse, triggers, mentions, lex):
        token = draft.token
        draft.actor_tokens = [t for t in draft.actor_tokens if _is_argument(t, not_arguments)]
        draft.target_tokens = [t for t in draft.target_tokens if _is_argument(t, not_arguments)]
        start, end = token.idx, token.idx + len(token)
        k = sentences.index(start)
        sentence = sentences.bounds[k]
        attribution = _innermost(doc.attributions, "content", start, end)
        quote = _innermost(doc.quotes, None, start, end)
        if attribution is None and quote is not None:
            attribution = _overlapping(doc.attributions, "content", quote["start"], quote["end"])
        date, time_id = _date(doc, parse, token, sentences.times.get(k, []), attribution)
        heads = draft.place_heads
        events.append({
            "id": f"v{len(events) + 1}",
            "type": draft.type,
            "mode": draft.mode,
            "trigger": doc.span(start, end),
            "sentence": doc.span(*sentence),
            "actors": [_argument(doc, t, mentions) for a in draft.actor_tokens for t in _with_conjuncts(a)],
            "targets": [_argument(doc, t, mentions) for a in draft.target_tokens for t in _with_conjuncts(a)],
            "place": _place(doc, heads, mentions),
            "date": date,
            "time": time_id,
            "attributed_to": attribution.get("id") if attribution else None,
            "hedged": bool(attribution and attribution.get("hedged")) or _hedged_by_words(heads, lex),
            "quote": quote.get("id") if quote else None,
            "cluster": None,
        })
    return events


@stage(assigns="events", requires=("entities", "times", "attributions"))
def add_events(doc: Document, parse) -> Document:
    """Return `doc` with its `events` layer set."""
    doc.events = find_events(doc, parse)
    return doc
