"""Finding figures in one parse: runs of number tokens, their values, units and what they count."""
from __future__ import annotations

import bisect
import re

from newstrace.extract.figures.lexicon import Lexicon
from newstrace.extract.figures.names import PHONE, not_a_figure
from newstrace.extract.lexicon_stage import LexiconStage
from newstrace.model import Document


_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:[:.]\d{2})?\s?(?:a\.?m\.?|p\.?m\.?|o'clock|o’clock)(?=\W|$)", re.I)
_LIST_MARK = re.compile(r"(?<![(\w])\d{1,2}\)")
_PAIR = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)\s?[-–]\s?(\d+(?:\.\d+)?)(?![\w-])")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: Digits with a scale written onto them: "12.9bn", "10bn", "5m".
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]{1,3})$", re.I)
QUALIFIER_REACH = 3
GOVERNING_DEPS = ("dobj", "nsubj", "nsubjpass", "attr", "appos", "conj", "npadvmod")
PREDICATE_DEPS = ("acomp", "oprd", "xcomp", "attr", "ccomp")
TALLY_NOUNS = frozenset({"toll", "number", "tally", "count", "total"})


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class Figures(LexiconStage):
    """Find figures in a parsed document with one lexicon."""

    layer = "figures"
    lex: Lexicon

    def find_figures(self, doc: Document, parse) -> list[dict]:
        """All figures in `parse`, numbered in text order."""
        blocked = self._blocked_spans(doc)
        ranges = self._ranges(doc.text)
        range_starts = [r[0] for r in ranges]
        found, i = [], 0
        while i < len(parse):
            run = self._run_at(parse, i)
            if not run:
                record = self._ordinal_tally(doc, parse, i, blocked)
                if record:
                    found.append(record)
                i += 1
                continue
            first, last = run
            k = bisect.bisect_right(range_starts, parse[first].idx) - 1
            pair = ranges[k] if k >= 0 and parse[first].idx < ranges[k][1] else None
            if pair is not None:
                last = max(last, next(t.i for t in parse[first:] if pair[1] <= t.idx + len(t)))
            record = self._figure(doc, parse, first, last, blocked, pair)
            if record:
                found.append(record)
            i = last + 1
        for n, record in enumerate(found, 1):
            record["id"] = f"f{n}"
        return found

    find = find_figures

    # -- finding runs of number tokens ----------------------------------------

    def _is_number_word(self, token) -> bool:
        low = token.lower_
        return (bool(_DIGITS.match(token.text)) or low in self.lex.units or low in self.lex.scales
                or self._suffixed(token) is not None)

    def _suffixed(self, token) -> float | None:
        """The value of digits with a scale written on ("12.9bn", "£10bn"); a one-letter scale only after a currency symbol."""
        match = _SUFFIXED.match(token.text)
        scale = self.lex.suffixes.get(match.group(2).lower()) if match else None
        if scale is None:
            return None
        if len(match.group(2)) == 1 and not (token.i > 0 and token.doc[token.i - 1].lower_ in self.lex.units_before):
            return None  # "5m" alone may be five metres
        return float(match.group(1)) * scale

    def _suffix_after(self, parse, last, first) -> bool:
        """"$5m" parsed as "5" "m": a scale suffix right after digits (one letter only after a currency symbol)."""
        if last + 1 >= len(parse) or parse[last].whitespace_ or not _DIGITS.match(parse[last].text):
            return False
        suffix = parse[last + 1].lower_
        return suffix in self.lex.suffixes and (len(suffix) > 1 or first > 0 and parse[first - 1].lower_ in self.lex.units_before)

    def _fraction_at(self, parse, last) -> bool:
        """"two-thirds", "three-quarters": a number word, a hyphen, a fraction word."""
        return (last + 2 < len(parse) and parse[last + 1].text in ("-", "‐") and not parse[last + 1].whitespace_
                and not parse[last].whitespace_ and parse[last].lower_ in self.lex.units
                and parse[last + 2].lower_ in self.lex.fractions)

    def _run_at(self, parse, i) -> tuple[int, int] | None:
        """The token run of one number starting at token i, or None."""
        token = parse[i]
        if token.lower_ in self.lex.vague and token.pos_ in ("NOUN", "NUM") and not (i > 0 and parse[i - 1].dep_ in ("det", "poss")):
            last = i
            if i + 2 < len(parse) and parse[i + 1].lower_ == "of" and parse[i + 2].lower_ in self.lex.vague:
                last = i + 2  # "hundreds of thousands"
            return i, last
        if not self._is_number_word(token):
            return None
        last = i
        while last + 1 < len(parse):
            nxt = parse[last + 1]
            if self._suffix_after(parse, last, i):
                last += 1
                break
            if self._fraction_at(parse, last):
                last += 2
                break
            if self._is_number_word(nxt) and not _DIGITS.match(parse[last].text) and not _DIGITS.match(nxt.text) or (
                nxt.lower_ in self.lex.scales and _DIGITS.match(parse[last].text)
            ):
                last += 1
            elif nxt.text in ("-", "‐") and not nxt.whitespace_ and not parse[last].whitespace_ and last + 2 < len(parse) and parse[last + 2].lower_ in self.lex.units and not _DIGITS.match(parse[last].text):
                last += 2  # "Forty-six"
            elif nxt.lower_ == "and" and last + 2 < len(parse) and parse[last].lower_ in ("hundred", "thousand") and parse[last + 2].lower_ in self.lex.units:
                last += 2  # "two hundred and fifty"
            else:
                break
        first = i
        if parse[i].lower_ in self.lex.scales and i > 0 and parse[i - 1].lower_ in ("a", "an"):
            first = i - 1  # "a million"
        return first, last

    # -- one figure ------------------------------------------------------------

    def _figure(self, doc, parse, first, last, blocked, pair) -> dict | None:
        tokens = parse[first:last + 1]
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if blocked.overlaps(start, end) or not_a_figure(self.lex, doc, parse, first, last):
            return None
        vague = tokens[-1].lower_ in self.lex.vague or tokens[0].lower_ in self.lex.vague
        fraction = self.lex.fractions.get(tokens[-1].lower_) if len(tokens) > 2 and tokens[-2].text in ("-", "‐") else None
        if fraction:
            value = low = high = round(self.lex.units[tokens[0].lower_] / fraction, 4)
        elif vague:
            value, low, high = self._vague_value(tokens)
        else:
            value = self._value(tokens)
            if value is None:
                return None
            low = high = value
        if pair is not None:
            if pair[2] is None:
                return None  # a score such as "1-0"
            start, end, low, high = pair[0], pair[1], pair[2], pair[3]
            value = low
        head = parse[last]
        if fraction:
            unit = "fraction"  # "two-thirds of voters" is a share, not 0.67 voters
        else:
            unit, start, end = self._unit(doc, parse, first, last, start, end)
        qualifier = self._qualifier(parse, first)
        if qualifier in ("over", "more than", "at least"):
            high = None
        elif qualifier == "up to":
            low = None
        return doc.span(
            start, end, id=None, value=_number(value),
            low=None if low is None else _number(low), high=None if high is None else _number(high),
            vague=vague, qualifier=qualifier, unit=unit,
            counts=None if unit in self.lex.currencies else self._counts(head), claimed_by=_claimed_by(doc, start, end),
        )

    def _ordinal_tally(self, doc, parse, i, blocked) -> dict | None:
        """"the 6th fatality", "the third death": an ordinal on a counted noun tells how many so far.

        An ordinal elsewhere is an order or a name ("the 6th Fleet", "the second time"); "first"
        orders more often than it tallies, so it is left out.
        """
        token = parse[i]
        value = int(token.text[:-2]) if _ORDINAL.match(token.text) else self.lex.ordinals.get(token.lower_)
        noun = token.head
        if not value or value < 2 or token.dep_ not in ("amod", "nummod") or noun.pos_ != "NOUN":
            return None
        counts = self._count_word(noun)
        if counts is None or blocked.overlaps(token.idx, token.idx + len(token)):
            return None
        return doc.span(token.idx, token.idx + len(token), id=None, value=value, low=value, high=value, vague=False,
                        qualifier=None, unit=None, counts=counts, claimed_by=_claimed_by(doc, token.idx, token.idx + len(token)))

    def _blocked_spans(self, doc) -> "_Spans":
        spans = [(t["start"], t["end"]) for t in doc.times]
        spans += [m.span() for m in _CLOCK.finditer(doc.text)]
        spans += [m.span() for m in _ISO_DATE.finditer(doc.text)]
        spans += [m.span() for m in _LIST_MARK.finditer(doc.text)]
        spans += [m.span() for m in PHONE.finditer(doc.text)]
        return _Spans(spans)

    def _ranges(self, text) -> list[tuple[int, int, float | None, float | None]]:
        """Number pairs "N-M": a range when a unit or counted noun follows, else a score (low None)."""
        out = []
        for m in _PAIR.finditer(text):
            after = text[m.end():m.end() + 40].lstrip().lower()
            word = re.match(r"[%$€£]|[^\W\d]+(?:\s[^\W\d]+)?", after)
            follows = word.group(0) if word else ""
            is_range = follows in self.lex.units_after or follows.split(" ")[0] in self.lex.units_after
            if is_range:
                out.append((m.start(), m.end(), float(m.group(1)), float(m.group(2))))
            else:
                out.append((m.start(), m.end(), None, None))
        return out

    # -- values ----------------------------------------------------------------

    def _value(self, tokens) -> float | None:
        """The value of number words and digits: "Forty-six thousand" 46000, "1.2 million" 1200000."""
        total, current, seen = 0.0, 0.0, False
        for token in tokens:
            low = token.lower_
            if _DIGITS.match(token.text):
                current += float(token.text.replace(",", ""))
            elif low in self.lex.suffixes and token.i > 0 and not token.doc[token.i - 1].whitespace_:
                total, current = total + current * self.lex.suffixes[low], 0.0
            elif self._suffixed(token) is not None:
                total, current = total + current + self._suffixed(token), 0.0
            elif low in ("a", "an"):
                current += 1
            elif low in self.lex.units:
                current += self.lex.units[low]
            elif low in self.lex.scales:
                scale = self.lex.scales[low]
                current = (current or 1) * scale
                if scale >= 1000:
                    total, current = total + current, 0.0
            else:
                continue
            seen = True
        return total + current if seen else None

    def _vague_value(self, tokens) -> tuple[float, float, float]:
        value, low, high = 1.0, 1.0, 1.0
        for token in tokens:
            if token.lower_ in self.lex.vague:
                v, lo, hi = self.lex.vague[token.lower_]
                value, low, high = value * v, low * lo, high * hi
        return value, low, high

    def _qualifier(self, parse, first) -> str | None:
        """The longest qualifier phrase ending right before the number ("more than", "over")."""
        for width in range(QUALIFIER_REACH, 0, -1):
            if first - width < 0:
                continue
            phrase = parse[first - width:first]
            words = tuple(t.lower_ for t in phrase)
            if words in self.lex.qualifiers and not (phrase[-1].dep_ == "prep" and phrase[-1].head.i < first - width):
                return self.lex.qualifiers[words]  # not "talking about one area" 
        return None

    def _unit(self, doc, parse, first, last, start, end) -> tuple[str | None, int, int]:
        """The unit and the span widened over a unit symbol or word next to the number."""
        if first > 0 and parse[first - 1].lower_ in self.lex.units_before:
            before = parse[first - 1]
            return self.lex.units_before[before.lower_], before.idx, end
        nxt = parse[last + 1] if last + 1 < len(parse) else None
        if nxt is None:
            return None, start, end
        pair = f"{nxt.lower_} {parse[last + 2].lower_}" if last + 2 < len(parse) else ""
        if pair in self.lex.units_after:
            return self.lex.units_after[pair], start, parse[last + 2].idx + len(parse[last + 2])
        if nxt.lower_ in self.lex.units_after:
            unit = self.lex.units_after[nxt.lower_]
            if unit in ("percent",) or nxt.text in "%":
                return unit, start, nxt.idx + len(nxt)
            return unit, start, end
        noun = self._counted_noun(parse[last])
        if noun is not None and noun.i != last:
            if noun.lower_ in self.lex.units_after:
                return self._named_currency(noun, self.lex.units_after[noun.lower_]), start, end
            if noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS"):
                return "people", start, end
            return noun.lemma_.lower(), start, end
        return None, start, end

    def _named_currency(self, noun, unit: str) -> str:
        """"Hong Kong dollars", "US dollars": the proper nouns that say whose currency it is stay in the unit."""
        if unit not in self.lex.currencies:
            return unit
        whose = [t.text for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" for t in c.subtree]
        return " ".join(whose + [unit]) if whose else unit

    # -- what is counted -------------------------------------------------------

    def _counted_noun(self, head):
        """The noun the number counts: its head noun ("1,200 people"), its "of" object ("hundreds of hostages"), or itself."""
        if head.dep_ in ("nummod", "quantmod", "compound"):
            noun = head.head
            while noun.like_num and noun.dep_ in ("nummod", "quantmod", "compound") and noun.head.i != noun.i:
                noun = noun.head  # over a model number: "five 787 jets", "two A350-900 aircraft"
            if noun.pos_ in ("NOUN", "PROPN"):
                return noun
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return obj if obj is not None else head

    def _counts(self, head) -> str | None:
        """What the figure counts, from the words the parse ties to it."""
        noun = self._counted_noun(head)
        for token in (noun, head):
            found = self._count_word(token)
            if found:
                return found
        for child in noun.children:
            if child.dep_ in ("acl", "relcl", "amod"):
                found = self._count_word(child) or self._count_word_in(child)
                if found:
                    return found
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
            holder = noun.head.head
            if holder.lemma_.lower() in TALLY_NOUNS and holder.dep_ in GOVERNING_DEPS:
                return self._from_verb(holder.head, holder)  # "killed a total of 346 people"
            return self._from_verb(holder, noun)
        if noun.dep_ in GOVERNING_DEPS or noun.dep_ == "nummod":
            return self._from_verb(noun.head, noun)
        return None

    def _from_verb(self, verb, noun) -> str | None:
        found = self._count_word(verb)
        if found:
            return found
        for child in verb.children:
            if child.i == noun.i:
                continue
            if child.dep_ in PREDICATE_DEPS:
                found = self._count_word(child)
                if found:
                    return found
            if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in TALLY_NOUNS:
                found = self._count_word_in(child)
                if found:
                    return found
        return None

    def _count_word(self, token) -> str | None:
        return self.lex.counts.get(token.lemma_.lower()) or self.lex.counts.get(token.lower_)

    def _count_word_in(self, token) -> str | None:
        for child in token.children:
            if child.dep_ in ("compound", "amod", "acomp", "xcomp", "dobj"):
                found = self._count_word(child)
                if found:
                    return found
            if child.dep_ == "prep" and child.lower_ == "of" and token.lemma_.lower() in TALLY_NOUNS:
                found = next((self._count_word(c) for c in child.children if c.dep_ in ("pobj", "amod")), None)
                if found:
                    return found  # "the number of injured reached 120"
        return self._count_word(token) if token.lemma_.lower() not in TALLY_NOUNS else None


class _Spans:
    """Character spans merged and sorted, to ask "does [start, end) touch any?" by bisection."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.ends, start + 1)
        return k < len(self.starts) and self.starts[k] < end


def _claimed_by(doc: Document, start: int, end: int) -> str | None:
    """The innermost attribution whose content covers [start, end)."""
    best = None
    for record in doc.attributions:
        content = record.get("content") or {}
        if content.get("start") is not None and content["start"] <= start and end <= content["end"]:
            if best is None or content["end"] - content["start"] < best[0]:
                best = (content["end"] - content["start"], record.get("id"))
    return best[1] if best else None
