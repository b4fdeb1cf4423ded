"""The frame around a quote: the token windows before and after it, and the speech verb in them."""
from __future__ import annotations

import bisect

from newstrace import lexicons
from newstrace.extract.quotes.marks import SENTENCE_END, QuoteSpan


#: An after-frame following a finished quoted sentence must start this close to it ("“...” Netanyahu said.").
SHORT_FRAME_TOKENS = 4
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: A clause joined to a speech verb this way is not what it says: "she said, but (conj) Kevin was ...".
COORDINATED_DEPS = frozenset({"conj", "parataxis", "cc"})
CHARACTERISING_PREPOSITIONS = lexicons.words("quote_characterising_prepositions.txt")


class Frames:
    """The frame-reading half of `Speakers`: windows around a quote and the speech verbs in them."""

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
