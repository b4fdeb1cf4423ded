"""Speakers: who says a quote, from the subject of its speech verb, a colon frame, a credit, or a pronoun's antecedent."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.extract.quotes.frames import SUBJECT_DEPS, Frames
from newstrace.extract.quotes.marks import SENTENCE_END, QuoteSpan
from newstrace.nlp import document_index
from newstrace.model import Document


#: How many earlier subjects a pronoun looks back over for one it can refer to.
PRONOUN_LOOKBACK = 12
PRONOUNS = dict(lexicons.table("quote_pronouns.tsv"))
NOT_SPEAKER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "CARDINAL", "MONEY", "QUANTITY", "ORDINAL"})
DASHES = frozenset({"―", "—", "–", "-", "--"})
SPEAKER_RIGHT_DEPS = frozenset({"prep", "compound", "nummod", "case", "pobj", "conj", "cc"})


@dataclass
class _Candidate:
    """A subject outside quotes that a later pronoun may refer to."""

    start: int
    end: int
    head: int  # token index
    kind: str  # person, group, document
    plural: bool


class Speakers(Frames):
    """Finds each quote's speaker and cue in one parse; build once per document."""

    def __init__(self, doc: Document, parse, quotes: list[QuoteSpan]):
        self.doc, self.parse, self.quotes = doc, parse, quotes
        self.text = doc.text
        self.token_starts = [t.idx for t in parse]
        self.speech_verbs = _speech_verbs()
        self.speech_nouns = lexicons.words("quote_speech_nouns.txt")
        self.person_nouns = lexicons.words("quote_person_nouns.txt")
        self.document_nouns = lexicons.words("quote_document_nouns.txt")
        self.group_nouns = lexicons.words("quote_group_nouns.txt")
        self.entity_at = _entity_index(doc.entities)
        self.top_level = [(q.open_mark, (q.close_mark if q.close_mark is not None else q.end)) for q in quotes if q.parent is None]
        self.top_level_opens = [o for o, _ in self.top_level]
        self.entities = {e["id"]: e for e in doc.entities}
        self.entity_types = {e["id"]: e["type"] for e in doc.entities}
        self.paragraphs = list(document_index(parse).lines)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.candidates = sorted(self._pronoun_candidates(), key=lambda c: c.start)
        self.candidate_starts = [c.start for c in self.candidates]
        self.found: dict[int, dict | None] = {}  # quote index -> speaker, as they are found

    # finding the speaker
    def speaker(self, index: int) -> tuple[dict | None, dict | None]:
        """(speaker, cue) for quote `index`, as contract dicts or None."""
        before, after, colon = self.windows(index)
        verb = self._speech_verb(before, after)
        said = verb is not None
        if verb is None and colon:
            verb = self._frame_verb(before)
            if verb is not None and not self._can_speak(self._subject(verb, before)):
                return None, self._cue(verb)
        if verb is None:
            verb = self._characterising_verb(before)
            if verb is not None:
                return self._speaker_of(verb, before, index), self._cue(verb)
            return self._according_to(before, after) or self._dash_credit(after), None
        window = before if verb in before else after
        return self._speaker_of(verb, window, index, said), self._cue(verb)

    def _subject(self, verb: int, window: range) -> int | None:
        """The verb's subject in the frame, following conj/xcomp heads ('reportedly asked', 'began to shout')
        and relative pronouns to what they stand for ('the official who said')."""
        token = self.parse[verb]
        for _ in range(4):
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS:
                    return self._antecedent(child) if child.i in window else None
            if token.dep_ in ("conj", "xcomp", "advcl", "ccomp") and token.head.i != token.i and token.head.i in window:
                token = token.head
            else:
                break
        return None

    def _plausible_speaker(self, token) -> bool:
        """A noun or pronoun that is not a date, time or amount."""
        return token.pos_ in ("NOUN", "PROPN", "PRON") and token.ent_type_ not in NOT_SPEAKER_LABELS

    def _name_beside(self, verb: int) -> int | None:
        """The name of a person or organisation just before the verb, else none."""
        if verb > 0:
            token = self.parse[verb - 1]
            if token.pos_ == "PROPN" and self.entity_types.get(self._entity_of(token.i)) in ("PERSON", "ORG"):
                return token.i
        return None

    def _inverted_subject(self, verb: int) -> int | None:
        """'Said Ellis: “...”': a name right after a speech verb the parser left without a subject."""
        if verb + 1 >= len(self.parse):
            return None
        name = self.parse[verb + 1]
        linked = name.head.i == verb or self.parse[verb].head.i == name.i
        return name.i if linked and name.pos_ == "PROPN" else None

    def _antecedent(self, subject) -> int:
        if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl" and subject.head.head.i != subject.head.i:
            return subject.head.head.i
        return subject.i

    def _can_speak(self, subject: int | None) -> bool:
        if subject is None:
            return False
        token = self.parse[subject]
        lemma = token.lemma_.lower()
        return (token.lower_ in PRONOUNS or lemma in self.person_nouns or lemma in self.document_nouns
                or lemma in self.speech_nouns or self._entity_of(token.i) is not None
                or token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"))

    def _speaker_of(self, verb: int, window: range, index: int, said: bool = True) -> dict | None:
        """The speaker named by the subject of `verb`; `said` is false for a colon frame without a speech verb."""
        subject = self._subject(verb, window)
        if subject is not None and not self._plausible_speaker(self.parse[subject]):
            subject = self._name_beside(verb)  # 'Chief Chuck Jordan said Monday', 'Monday' parsed as the subject
        if subject is None:
            subject = self._inverted_subject(verb)
        if subject is None:
            return None
        token = self.parse[subject]
        if token.lemma_.lower() in self.speech_nouns:
            owner = self._owner(token)
            if owner is not None:
                return self._speaker_dict(owner)
            if not (said and token.lemma_.lower() in self.document_nouns):
                return None  # "The message was clear:" tells no speaker; "The statement read" does
        if token.lower_ in PRONOUNS:
            return self._resolve_pronoun(token, index)
        return self._speaker_dict(subject)

    def _owner(self, noun) -> int | None:
        """Who a speech noun belongs to: 'MIT' in 'The MIT’s message', 'the minister' in 'the words of the minister'."""
        for child in noun.children:
            if child.dep_ == "poss":
                return child.i
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild.i
        return None

    def _according_to(self, before: range, after: range) -> dict | None:
        for window in (before, after):
            for i in window:
                token = self.parse[i]
                if token.lower_ == "according" and i + 2 < len(self.parse) and self.parse[i + 1].lower_ == "to":
                    for child in self.parse[i + 1].children:
                        if child.dep_ == "pobj":
                            return self._speaker_dict(child.i)
        return None

    def _dash_credit(self, after: range) -> dict | None:
        """'“...” ― Jane Doe': a name after a dash that follows the closing mark."""
        if len(after) < 2 or self.parse[after[0]].text not in DASHES:
            return None
        first = after[1]
        entity = self._entity_of(first)
        if entity is not None and self.entity_types[entity] in ("PERSON", "ORG"):
            idx = self.parse[first].idx
            mention = next(m for m in self.entities[entity]["mentions"] if m["start"] <= idx < m["end"])
            return self.doc.span(mention["start"], mention["end"], entity=entity)
        last = first
        while last + 1 in after and self.parse[last + 1].pos_ == "PROPN":
            last += 1
        if self.parse[first].pos_ != "PROPN":
            return None
        return self.doc.span(self.parse[first].idx, self.parse[last].idx + len(self.parse[last]), entity=None)

    def _speaker_span(self, head: int) -> tuple[int, int]:
        """Token span [i, j] of the noun phrase headed by `head`, without relative clauses or appositions."""
        token = self.parse[head]
        left = token.left_edge.i
        while left < head and self.parse[left].pos_ == "VERB":
            left += 1  # 'Said Ellis', parsed as one phrase
        right = head
        for child in token.rights:
            if child.dep_ in SPEAKER_RIGHT_DEPS:
                right = max(right, child.right_edge.i)
        while left < head and "\n" in self.text[self.parse[left].idx:token.idx]:
            left += 1  # a parse that runs over a paragraph break
        while right > head and "\n" in self.text[token.idx:self.parse[right].idx]:
            right -= 1
        while left < right and (self.parse[left].is_punct or self.parse[left].is_space):
            left += 1
        while right > left and (self.parse[right].is_punct or self.parse[right].tag_ in ("POS", "CC")):
            right -= 1
        return left, right

    def _speaker_dict(self, head: int) -> dict:
        left, right = self._speaker_span(head)
        start = self.parse[left].idx
        end = self.parse[right].idx + len(self.parse[right])
        return self.doc.span(start, end, entity=self._entity_of(head))

    def _entity_of(self, head: int) -> str | None:
        token = self.parse[head]
        return self.entity_at.get(token.idx) or self.entity_at.get(token.idx + len(token) - 1)

    # pronouns
    def _pronoun_candidates(self) -> list[_Candidate]:
        """Subjects outside quotes that name a person, group or document, in text order."""
        found = []
        for token in self.parse:
            if token.dep_ not in SUBJECT_DEPS or token.lower_ in PRONOUNS or self.in_top_level_quote(token.idx):
                continue
            kind = self._kind(token)
            if kind is not None:
                left, right = self._speaker_span(token.i)
                end = self.parse[right].idx + len(self.parse[right])
                found.append(_Candidate(self.parse[left].idx, end, token.i, kind, token.tag_ in ("NNS", "NNPS")))
        return found

    def _kind(self, token) -> str | None:
        lemma = token.lemma_.lower()
        entity_type = self._entity_type(token)
        if entity_type == "PERSON" or lemma in self.person_nouns and entity_type is None:
            return "person" if lemma not in self.group_nouns else "group"
        if entity_type in ("ORG", "NORP", "GPE"):
            return "group"
        if lemma in self.document_nouns:
            return "document"
        return None

    def _entity_type(self, token) -> str | None:
        return self.entity_types.get(self._entity_of(token.i))

    def _resolve_pronoun(self, pronoun, index: int) -> dict | None:
        """The nearest compatible earlier speaker for a pronoun; 'I'/'we' in a quote is that quote's speaker."""
        form = PRONOUNS[pronoun.lower_]
        quote = self.quotes[index]
        if form == "addressed":
            return None  # "you" names the listener or anyone; the text does not tell who speaks
        if form == "first":
            if quote.parent is not None:
                return self.found.get(quote.parent)
            return self.doc.span(pronoun.idx, pronoun.idx + len(pronoun), entity=None)
        if self.in_top_level_quote(pronoun.idx):
            return None  # a pronoun inside a quote refers to someone the quote names; not resolved here
        before = bisect.bisect_left(self.candidate_starts, pronoun.idx)
        for candidate in reversed(self.candidates[max(0, before - PRONOUN_LOOKBACK):before]):
            if _compatible(form, candidate):
                head = self.parse[candidate.head]
                return self.doc.span(candidate.start, candidate.end, entity=self._entity_of(head.i),
                                     pronoun=self.doc.span(pronoun.idx, pronoun.idx + len(pronoun)))
        return self.doc.span(pronoun.idx, pronoun.idx + len(pronoun), entity=None)

    # standalone quotes
    def previous_sentence_speaker(self, index: int) -> tuple[dict | None, dict | None]:
        """For a quote standing alone: the subject of the sentence just before it when its verb is a speech verb."""
        quote = self.quotes[index]
        para_start, _ = self.para_of(quote.open_mark)
        head = self.text[para_start:quote.open_mark].rstrip()
        if not head or head[-1] not in SENTENCE_END:
            return None, None
        sent = self.parse[self.token_at(para_start + len(head) - 1)].sent
        if sent.start_char < para_start or any(self.in_top_level_quote(t.idx) for t in sent if t.text in "“”\""):
            return None, None
        root = sent.root
        if not self._is_speech_verb(root.i):
            return None, None
        window = range(sent.start, sent.end)
        return self._speaker_of(root.i, window, index), self._cue(root.i)


def _compatible(form: str, candidate: _Candidate) -> bool:
    if form == "person":
        return candidate.kind == "person" and not candidate.plural
    if form == "plural":
        return candidate.plural or candidate.kind == "group"
    if form == "thing":
        return candidate.kind in ("document", "group") and not candidate.plural
    return False


def _entity_index(entities: list[dict]) -> dict[int, str]:
    """Character position -> entity id, for every character of every mention."""
    index = {}
    for entity in entities:
        for mention in entity["mentions"]:
            for pos in range(mention["start"], mention["end"]):
                index[pos] = entity["id"]
    return index


@functools.cache
def _speech_verbs() -> frozenset[str]:
    return frozenset(v for v in lexicons.words("quote_speech_verbs.txt") if " " not in v)
