"""The `quotes` layer: direct quotes, their speakers and speech verbs.

Finding (`find_quote_spans`) reads the quotation marks of the text alone:

- straight and curly double marks; a straight mark opens or closes by the
  characters around it (`“`-like after a space, `”`-like before one);
- single marks (‘...’ or '...') only inside a double quote, as nested quotes,
  or a curly ‘...’ of two words or more at the top level (British style);
- an apostrophe never opens or closes a quote: "won’t", "Turkey’s",
  "Hamas ' political" (spaces on both sides), and a plural possessive
  "Hamas’ strategy" is not taken as a closing mark when a later one can be;
- a quote whose paragraph ends before its closing mark continues when the
  next paragraph opens with a quotation mark (the typographic convention for
  quotes that run over paragraphs); otherwise it ends with its paragraph.

Speakers (`Speakers`) come from the one shared parse, in the sentence
around the quote (limited to the enclosing quote for a nested one):

1. the nearest speech verb in the frame ("X said", "said X", "he wrote",
   "the report read", "X shouted "..."") and its subject; a speech verb
   before the quote is passed over when a clause of another subject stands
   between them ("she said, but as Trump went on about “...”");
2. else a frame that ends with a colon, in the sentence or as the paragraph
   before ("The official persisted: “...”"): its main verb, when its subject
   can speak; "X’s message was: “...”" gives X, "The message was:" nobody;
3. else "according to X", or a name after a dash ("“...” ― Jane Doe");
4. else, for a quote with no frame of its own, the speaker of the quote just
   before it when only that quote's frame or a joining word stands between
   them ("“A,” he said. “B.”", "“A” and “B”"), or the subject of the
   sentence before it when that sentence's verb is a speech verb.

A pronoun resolves to the nearest compatible subject before it, outside
quotes, that names a person, group or document ("the author", "the Turkish
official", "the report"); the speaker is then that description, with the
pronoun's span in an extra `pronoun` field. "I" or "we" inside a nested
quote is the enclosing quote's speaker; "you" resolves to nobody. When the
text does not tell, the speaker is null.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.extract import stage
from newstrace.model import Document


OPEN, CLOSE = "open", "close"
OPENING_CONTEXT = frozenset("([{—–-/:“‘\"'")
CLOSING_CONTEXT = frozenset(".,;:!?)]}—–-”’\"'…")
SENTENCE_END = frozenset(".!?…")
NEWLINES = re.compile(r"\n+")
QUOTE_CHARACTER = re.compile("[“”\"‘’']")
#: An after-frame following a finished quoted sentence must start this close to it ("“...” Netanyahu said.").
SHORT_FRAME_TOKENS = 4
#: Two quotes this few words apart in one sentence ("“...” but “...”") are parts of one statement.
JOINING_WORDS = 3
#: How many earlier subjects a pronoun looks back over for one it can refer to.
PRONOUN_LOOKBACK = 12
PRONOUNS = {
    "he": "person", "she": "person", "him": "person", "her": "person",
    "they": "plural", "them": "plural",
    "it": "thing",
    "i": "first", "we": "first", "me": "first", "us": "first",
    "you": "addressed",
}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: A clause joined to a speech verb this way is not what it says: "she said, but (conj) Kevin was ...".
COORDINATED_DEPS = frozenset({"conj", "parataxis", "cc"})
NOT_SPEAKER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "CARDINAL", "MONEY", "QUANTITY", "ORDINAL"})
CHARACTERISING_PREPOSITIONS = frozenset({"as", "to", "like"})
DASHES = frozenset({"―", "—", "–", "-", "--"})
SPEAKER_RIGHT_DEPS = frozenset({"prep", "compound", "nummod", "case", "pobj", "conj", "cc"})


@dataclass
class QuoteSpan:
    """A quote found in the text: content [start, end) without marks; `parent` the enclosing quote's index."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when the quote ends with its paragraph
    parent: int | None = None
    valid: bool = True


@dataclass
class _Mark:
    pos: int
    double: bool
    role: str  # OPEN, CLOSE or "either" (a straight mark with no telling context)
    straight: bool
    weak: bool = False  # a closing single mark that may be a plural possessive


# -- finding quotes -------------------------------------------------------

def find_marks(text: str) -> list[_Mark]:
    """Every character that may be a quotation mark, with the role its context allows."""
    marks = []
    for match in QUOTE_CHARACTER.finditer(text):
        pos, char = match.start(), match.group()
        mark = _double_mark(text, pos, char) if char in "“”\"" else _single_mark(text, pos, char)
        if mark is not None:
            marks.append(mark)
    return marks


def _around(text: str, pos: int) -> tuple[str, str]:
    prev = text[pos - 1] if pos > 0 else " "
    nxt = text[pos + 1] if pos + 1 < len(text) else " "
    return prev, nxt


def _double_mark(text: str, pos: int, char: str) -> _Mark | None:
    if char == "“":
        return _Mark(pos, True, OPEN, False)
    if char == "”":
        return _Mark(pos, True, CLOSE, False)
    prev, nxt = _around(text, pos)
    opener = (prev.isspace() or prev in OPENING_CONTEXT) and not nxt.isspace()
    closer = not prev.isspace() and (nxt.isspace() or nxt in CLOSING_CONTEXT)
    if opener and not closer:
        return _Mark(pos, True, OPEN, True)
    if closer and not opener:
        return _Mark(pos, True, CLOSE, True)
    if prev.isspace() and nxt.isspace():
        return None
    return _Mark(pos, True, "either", True)


def _single_mark(text: str, pos: int, char: str) -> _Mark | None:
    """A single mark that may open or close a nested quote; apostrophes give None."""
    prev, nxt = _around(text, pos)
    if prev.isalnum() and nxt.isalnum():
        return None  # won’t, Turkey’s, O'Brien
    opener = (prev.isspace() or prev in "([{—–-“\"") and (nxt.isalnum() or nxt in "“\"")
    closer = not prev.isspace() and not nxt.isalnum()
    if opener and char != "’":
        return _Mark(pos, False, OPEN, char == "'")
    if closer and char != "‘":
        after = text[pos + 1:pos + 3]
        weak = prev.lower() == "s" and len(after) == 2 and after[0] == " " and after[1].isalpha() and after[1].islower()
        return _Mark(pos, False, CLOSE, char == "'", weak)
    return None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between line breaks."""
    spans, start = [], 0
    for match in NEWLINES.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


class _QuoteScanner:
    """Pairs marks into quotes in one pass; see the module docstring for the rules.

    Open double quotes form a stack: a mark of the other style (straight inside
    curly, or curly inside straight) opens a nested quote; an opening mark of
    the same style while one is open ends the unclosed one.
    """

    def __init__(self, text: str):
        self.text = text
        self.paragraphs = paragraph_spans(text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.quotes: list[QuoteSpan] = []
        self.doubles: list[tuple[int, bool]] = []  # (quote index, straight) of open double quotes, outermost first
        self.double_para = 0  # the paragraph the outermost open quote has reached
        self.singles: list[int] = []  # opening positions of open single quotes

    def para_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def scan(self, marks: list[_Mark]) -> list[QuoteSpan]:
        for k, mark in enumerate(marks):
            para = self.para_of(mark.pos)
            if self.doubles and para != self.double_para:
                if self._continues(mark, para):
                    self._end_inner_at_paragraph()
                    self.double_para = para
                    continue
                self._end_all_at_paragraph()
            if not self.doubles and self.singles and self.para_of(self.singles[-1]) != para:
                self.singles.clear()
            if mark.double:
                self._double(mark)
            else:
                self._single(mark, marks, k)
        if self.doubles:
            self._end_all_at_paragraph()
        return [q for q in self.quotes if q.valid]

    def _continues(self, mark: _Mark, para: int) -> bool:
        """A paragraph that opens with a quotation mark carries on the quote left open before it."""
        start, end = self.paragraphs[para]
        body = self.text[start:end]
        first = start + len(body) - len(body.lstrip())
        return para == self.double_para + 1 and mark.double and mark.role in (OPEN, "either") and mark.pos == first

    def _end_inner_at_paragraph(self) -> None:
        _, para_end = self.paragraphs[self.double_para]
        while len(self.doubles) > 1:
            index, _ = self.doubles.pop()
            self._finish(self.quotes[index], para_end, None)
        self.singles.clear()

    def _end_all_at_paragraph(self) -> None:
        self._end_inner_at_paragraph()
        _, para_end = self.paragraphs[self.double_para]
        index, _ = self.doubles.pop()
        self._finish(self.quotes[index], para_end, None)

    def _close_down_to(self, depth: int, pos: int) -> None:
        """Close the open double quote at `depth` at mark `pos`; unclosed ones inside it end there too."""
        while len(self.doubles) > depth:
            index, _ = self.doubles.pop()
            self._finish(self.quotes[index], pos, pos if len(self.doubles) == depth else None)
        self.singles.clear()

    def _double(self, mark: _Mark) -> None:
        same_style = [d for d, (_, straight) in enumerate(self.doubles) if straight == mark.straight]
        if mark.role == CLOSE or (mark.role == "either" and same_style):
            if self.doubles:
                self._close_down_to(same_style[-1] if same_style else len(self.doubles) - 1, mark.pos)
            return
        if same_style and same_style[-1] == len(self.doubles) - 1:
            self._close_down_to(same_style[-1], mark.pos)  # an unclosed quote before a new one ends here
            self._finish_unclosed_last(mark.pos)
        if not self.doubles:
            self.double_para = self.para_of(mark.pos)
        self.quotes.append(QuoteSpan(mark.pos + 1, -1, mark.pos, None))
        self.doubles.append((len(self.quotes) - 1, mark.straight))

    def _finish_unclosed_last(self, pos: int) -> None:
        """The quote just closed at an opening mark had no closing mark of its own."""
        for quote in reversed(self.quotes):
            if quote.close_mark == pos:
                quote.close_mark = None
                break

    def _single(self, mark: _Mark, marks: list[_Mark], k: int) -> None:
        if mark.role == OPEN:
            if not self.doubles and mark.straight:
                return  # a straight single mark opens nothing at the top level
            self.singles.append(mark.pos)
            return
        if not self.singles:
            return
        if mark.weak and self._later_single_close(marks, k):
            return
        open_pos = self.singles.pop()
        parent = self.doubles[-1][0] if self.doubles else None
        quote = QuoteSpan(open_pos + 1, -1, open_pos, mark.pos, parent)
        self._finish(quote, mark.pos, mark.pos)
        if parent is None and len(quote_text_words(self.text, quote)) < 2:
            return
        if quote.valid:
            self.quotes.append(quote)

    def _later_single_close(self, marks: list[_Mark], k: int) -> bool:
        para = self.para_of(marks[k].pos)
        for later in marks[k + 1:]:
            if self.para_of(later.pos) != para or (later.double and later.role != OPEN):
                return False
            if not later.double and later.role == CLOSE:
                return True
        return False

    def _finish(self, quote: QuoteSpan, end: int, close_mark: int | None) -> None:
        start = quote.start
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        quote.start, quote.end, quote.close_mark = start, end, close_mark
        quote.valid = any(c.isalnum() for c in self.text[start:end])


def quote_text_words(text: str, quote: QuoteSpan) -> list[str]:
    return text[quote.start:quote.end].split()


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotes in `text`, ordered by opening mark, with `parent` the index of the enclosing quote."""
    quotes = _QuoteScanner(text).scan(find_marks(text))
    quotes.sort(key=lambda q: q.open_mark)
    enclosing: list[int] = []  # indexes of the quotes that may still hold the next one
    for k, quote in enumerate(quotes):
        while enclosing and not (quotes[enclosing[-1]].start <= quote.open_mark and quote.end <= quotes[enclosing[-1]].end):
            enclosing.pop()
        quote.parent = enclosing[-1] if enclosing else None
        enclosing.append(k)
    return quotes


# -- speakers -------------------------------------------------------------

@dataclass
class _Candidate:
    """A subject outside quotes that a later pronoun may refer to."""

    start: int
    end: int
    head: int  # token index
    kind: str  # person, group, document
    plural: bool


class Speakers:
    """Finds each quote's speaker and cue in one parse; build once per document."""

    def __init__(self, doc: Document, parse, quotes: list[QuoteSpan]):
        self.doc, self.parse, self.quotes = doc, parse, quotes
        self.text = doc.text
        self.token_starts = [t.idx for t in parse]
        self.speech_verbs = _speech_verbs()
        self.speech_nouns = lexicons.words("quote_speech_nouns.txt")
        self.person_nouns = lexicons.words("quote_person_nouns.txt")
        self.document_nouns = lexicons.words("quote_document_nouns.txt")
        self.entity_at = _entity_index(doc.entities)
        self.top_level = [(q.open_mark, (q.close_mark if q.close_mark is not None else q.end)) for q in quotes if q.parent is None]
        self.top_level_opens = [o for o, _ in self.top_level]
        self.entities = {e["id"]: e for e in doc.entities}
        self.entity_types = {e["id"]: e["type"] for e in doc.entities}
        self.paragraphs = paragraph_spans(self.text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.candidates = sorted(self._pronoun_candidates(), key=lambda c: c.start)
        self.candidate_starts = [c.start for c in self.candidates]
        self.found: dict[int, dict | None] = {}  # quote index -> speaker, as they are found

    # token helpers
    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.token_starts, char) - 1)

    def in_top_level_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.top_level_opens, char) - 1
        return k >= 0 and self.top_level[k][0] <= char <= self.top_level[k][1]

    def para_of(self, pos: int) -> tuple[int, int]:
        return self.paragraphs[bisect.bisect_right(self.para_starts, pos) - 1]

    # the frame around a quote
    def windows(self, index: int) -> tuple[range, range, bool]:
        """Token ranges of the frame before and after quote `index`, and whether the before-frame ends with a colon."""
        quote = self.quotes[index]
        lo, hi = self._scope(index)
        open_tok = self.token_at(quote.open_mark)
        before = self._before_window(quote, open_tok, lo)
        if not before and quote.parent is None:
            before = self._colon_paragraph_before(quote)
        after = self._after_window(quote, hi)
        colon = bool(before) and self.parse[before[-1]].text == ":"
        return before, after, colon

    def _scope(self, index: int) -> tuple[int, int]:
        """Character bounds a frame may not cross: the enclosing quote or the paragraph."""
        quote = self.quotes[index]
        if quote.parent is not None:
            outer = self.quotes[quote.parent]
            return outer.start, outer.end
        start, _ = self.para_of(quote.open_mark)
        _, end = self.para_of(quote.end)
        k = bisect.bisect_left(self.top_level_opens, quote.open_mark)
        if k > 0:
            start = max(start, self.top_level[k - 1][1] + 1)
        if k + 1 < len(self.top_level):
            end = min(end, self.top_level_opens[k + 1])
        return start, end

    def _before_window(self, quote: QuoteSpan, open_tok: int, lo: int) -> range:
        head = self.text[lo:quote.open_mark].rstrip()
        if not head or head[-1] in SENTENCE_END or head[-1] in "”\"":
            return range(0)
        last = self.token_at(lo + len(head) - 1)
        first_in_scope = self.token_at(lo)
        if self.parse[first_in_scope].idx < lo:
            first_in_scope += 1
        first = max(self.parse[last].sent.start, first_in_scope)
        return range(first, last + 1) if first <= last else range(0)

    def _colon_paragraph_before(self, quote: QuoteSpan) -> range:
        """'Caddell continued:' as a paragraph of its own introduces the quote that opens the next one."""
        para_start, _ = self.para_of(quote.open_mark)
        if self.text[para_start:quote.open_mark].strip() or para_start == 0:
            return range(0)
        previous_end = len(self.text[:para_start].rstrip())
        if previous_end == 0 or self.text[previous_end - 1] != ":" or self.in_top_level_quote(previous_end - 1):
            return range(0)
        last = self.token_at(previous_end - 1)
        start = self.parse[last].sent.start
        prev_para_start, _ = self.para_of(previous_end - 1)
        while self.parse[start].idx < prev_para_start or self.in_top_level_quote(self.parse[start].idx):
            start += 1
        return range(start, last + 1)

    def _after_window(self, quote: QuoteSpan, hi: int) -> range:
        if quote.close_mark is None:
            return range(0)
        close_tok = self.token_at(quote.close_mark)
        first = close_tok + 1
        while first < len(self.parse) and self.parse[first].is_space:
            first += 1
        if first >= len(self.parse) or self.parse[first].idx >= hi:
            return range(0)
        sent = self.parse[first].sent
        last = first
        while last + 1 < sent.end and self.parse[last + 1].idx < hi:
            last += 1
        window = range(first, last + 1)
        content = self.text[quote.start:quote.end].rstrip()
        if content and content[-1] in SENTENCE_END and self.parse[first].text[:1].isupper():
            return window if self._short_frame(window) else range(0)
        return window

    def _short_frame(self, window: range) -> bool:
        """'Netanyahu said.' after a finished quoted sentence; not a new sentence with its own content."""
        for i in window[:SHORT_FRAME_TOKENS]:
            token = self.parse[i]
            if token.lemma_.lower() in self.speech_verbs and token.pos_ in ("VERB", "AUX"):
                return not any(c.dep_ in ("ccomp", "dobj", "mark", "xcomp") for c in token.children)
        return False

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

    def _speech_verb(self, before: range, after: range) -> int | None:
        """The speech verb of the frame nearest the quote; before it, one whose clause holds the quote."""
        found = []
        for i in after:
            if self._is_speech_verb(i):
                if not self._subject_holds_quote(i, after[0]):
                    found.append((i - after[0], 0, i))
                break
        for i in reversed(before):
            if self._is_speech_verb(i):
                if not self._other_clause_between(i, before[-1] + 1):
                    found.append((before[-1] - i, 1, i))
                break
        return min(found)[2] if found else None

    def _subject_holds_quote(self, verb: int, first_after: int) -> bool:
        """'The “peace plan” was rejected': the quote is part of the verb's subject, not what it says."""
        for child in self.parse[verb].children:
            if child.dep_ in SUBJECT_DEPS and child.left_edge.i < first_after:
                return True
        return False

    def _other_clause_between(self, verb: int, end: int) -> bool:
        """A clause with its own subject between the speech verb and the quote, not part of what the verb says:
        'she said, but as Trump went on about “...”'."""
        for i in range(verb + 1, end):
            token = self.parse[i]
            if token.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in token.children):
                if not self._says(verb, token):
                    return True
        return False

    def _says(self, verb: int, token) -> bool:
        """Whether `token` hangs below `verb` other than as a coordinated clause ('said, but Kevin was ...')."""
        node = token
        for _ in range(len(self.parse)):
            if node.head.i == node.i:
                return False
            if node.head.i == verb:
                return node.dep_ not in COORDINATED_DEPS
            node = node.head
        return False

    def _is_speech_verb(self, i: int) -> bool:
        """A speech verb used as a verb: not the adjective in 'so-called'."""
        token = self.parse[i]
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in self.speech_verbs or token.dep_ == "amod":
            return False
        return not (i >= 2 and self.parse[i - 1].text == "-" and self.parse[i - 2].lower_ == "so")

    def _characterising_verb(self, before: range) -> int | None:
        """'X criticized the act as a “...”', 'X likened them to a “...”': the verb whose active subject
        puts those words on its object."""
        if not before:
            return None
        k = before[-1]
        while k > before[0] and self.parse[k].lower_ in ("a", "an", "the"):
            k -= 1
        prep = self.parse[k]
        if prep.lower_ not in CHARACTERISING_PREPOSITIONS or prep.pos_ != "ADP":
            return None
        verb = prep.head
        if verb.pos_ != "VERB" or verb.i not in before:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return verb.i if subject is not None and self._can_speak(subject.i) else None

    def _frame_verb(self, before: range) -> int | None:
        """The main verb of a frame ending in a colon: the verb nearest the colon whose head leaves the frame."""
        for i in reversed(before):
            token = self.parse[i]
            if token.pos_ in ("VERB", "AUX") and (token.head.i not in before or token.head.i == i):
                return i
        for i in reversed(before):
            if self.parse[i].pos_ in ("VERB", "AUX"):
                return i
        return None

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

    def only_frame_between(self, cue: dict, end: int) -> bool:
        """Between a cue and character `end`: no new sentence, and no clause with a subject of its own that is not
        part of the frame ('said X, who runs Y' is; 'she said, but Kevin was ...' is not)."""
        verb = self.token_at(cue["start"])
        for i in range(verb + 1, self.token_at(end)):
            token = self.parse[i]
            if token.is_space:
                continue
            if token.is_sent_start:
                return False
            own_clause = token.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in token.children)
            if own_clause and not self._says(verb, token):
                return False
        return True

    def _cue(self, verb: int) -> dict:
        token = self.parse[verb]
        return self.doc.span(token.idx, token.idx + len(token))

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
            return "person" if lemma not in ("government", "administration", "ministry", "army", "military", "movement",
                                             "group", "organization", "organisation", "party", "council", "committee",
                                             "campaign", "delegation", "police") else "group"
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


# -- the stage ------------------------------------------------------------

def find_quotes(doc: Document, parse) -> list[dict]:
    """Quote records for `doc`, speakers resolved from `parse`."""
    spans = find_quote_spans(doc.text)
    speakers = Speakers(doc, parse, spans)
    records: list[dict] = []
    for index, quote in enumerate(spans):
        speaker, cue = speakers.speaker(index)
        if speaker is None and cue is None and quote.parent is None:
            speaker, cue = _continued_speaker(speakers, spans, records, index)
            if speaker is None:
                speaker, cue = speakers.previous_sentence_speaker(index)
        speakers.found[index] = speaker
        records.append({
            "id": f"q{index + 1}",
            **doc.span(quote.start, quote.end),
            "speaker": speaker,
            "cue": cue,
            "nested_in": f"q{quote.parent + 1}" if quote.parent is not None else None,
        })
    return records


def _continued_speaker(speakers: Speakers, spans: list[QuoteSpan], records: list[dict], index: int) -> tuple[dict | None, None]:
    """A frameless quote right after another in its paragraph keeps that quote's speaker:
    '“A,” he said. “B.”', '“A” and “B”'."""
    text = speakers.text
    quote = spans[index]
    for k in range(index - 1, -1, -1):
        previous = spans[k]
        if previous.parent is not None:
            continue
        if previous.close_mark is None or "\n" in text[previous.close_mark:quote.open_mark]:
            return None, None
        gap = text[previous.close_mark + 1:quote.open_mark]
        cue = records[k]["cue"]
        frame_in_gap = (cue is not None and previous.close_mark < cue["start"] < quote.open_mark
                        and speakers.only_frame_between(cue, quote.open_mark))
        if records[k]["speaker"] is not None and (not gap.strip() or frame_in_gap or _joins_quotes(gap)):
            return dict(records[k]["speaker"]), None
        return None, None
    return None, None


def _joins_quotes(gap: str) -> bool:
    """'“...” but “...”', '“...” and “...”': two parts of one quoted statement, joined by a word or two."""
    return not any(c in SENTENCE_END for c in gap) and len(gap.split()) <= JOINING_WORDS


@stage(assigns="quotes", requires=("entities",))
def add_quotes(doc: Document, parse) -> Document:
    """Return `doc` with its `quotes` layer set."""
    doc.quotes = find_quotes(doc, parse)
    return doc
