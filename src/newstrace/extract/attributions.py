"""The `attributions` layer: who says so, for every claim a report passes on.

Found from the one dependency parse, no extra model calls:

- a reporting verb (data/reporting_verbs.txt) with its subject as source
  (a participle "..., saying that" or a conjunct "and added" shares its
  head's subject; "who" gives its antecedent) and as content its clause
  complement, or, where the data file allows it for the verb, a
  to-infinitive, a noun object with what is said of it ("reported the
  meeting", "called him a liar") or a preposition's object ("called for a
  ceasefire"); with none of these, in order: what follows a colon ("X
  added: ..."), a quote right next to the clause ("“...,” X said."), or the
  sentence a set-off reporting clause hangs on ("..., X reported on
  Tuesday.", "The delegation, the article claims, did not respond");
- "according to X" (the pobj is the source, the rest of the sentence content);
- a contest verb used as a participle ("revelations, while contested by some
  media") attributes the contest to its agent, over the noun it modifies;
- a hedge adverb ("reportedly") or an agentless passive reporting verb
  ("were said to have remained silent") with no source in sight: the source
  is the document's outlet when known, else unknown, and `hedged` is true;
- a line that opens with a speaker label ("PENCE: Well, ...");
- a quote from the quotes layer whose speaker no reporting verb covered.
A content that covers part of a quote is widened over the whole quote.

`source` is always `{text, entity, start, end}`; when the report does not
name the source (hedge-only attributions) `start`/`end` are null and `text`
is the document's outlet or null. `source_kind` comes from the source's
words (data/source_kinds.tsv), else the entity type. `via` lists the
sources a source cites ("citing unnamed sources"), each with its
`source_kind`. `when` is the id of a Time in the reporting clause itself
("reported on Tuesday"), never one inside the content. `hedged`: a hedge
verb ("claims"), a hedge adverb in the reporting clause, or a passive hedge
("were said to"); `contested`: a contest cue (data/contest_cues.txt) as the
verb or in the reporting clause.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newstrace import lexicons
from newstrace.extract import stage
from newstrace.model import Document


SOURCE_DEPS = ("nsubj",)
CONTENT_DEPS = ("ccomp", "xcomp", "dobj")
HOSTED_DEPS = ("advcl", "parataxis", "ccomp")
OBJECT_COMPLEMENTS = ("oprd", "xcomp", "ccomp")
OBJECT_PREPS = frozenset({"for", "as", "over"})
WHEN_DEPS = ("prep", "npadvmod", "advmod", "tmod", "pobj")
NOT_SOURCES = frozenset({"this", "there", "what", "you", "which", "that", "who"})
WH_WORDS = frozenset({"when", "whether", "how", "why", "if", "where", "what", "who"})
RELATIVES = frozenset({"who", "that", "which"})
ENTITY_KINDS = {"PERSON": "person", "ORG": "group", "NORP": "group", "GPE": "official", "FAC": "group", "LOC": "group"}
_LABEL_LINE = re.compile(r"^[\x22“]?(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?P<content>\S[^\n]*?)\s*$", re.M)


@dataclass(frozen=True)
class Lexicon:
    """The cue lists the finder reads, loaded once from data files."""

    reporting: frozenset[str]
    object_content: frozenset[str]
    xcomp_content: frozenset[str]
    via: frozenset[str]
    content_preps: dict[str, frozenset[str]]
    hedge_adverbs: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_passives: frozenset[str]
    contest: frozenset[str]
    kinds_head: dict[str, str]
    kinds_modifier: dict[str, str]
    kinds_phrase: tuple[tuple[str, str], ...]

    @classmethod
    def load(cls) -> "Lexicon":
        rows = lexicons.table("reporting_verbs.txt")
        hedges = lexicons.table("hedges.txt")
        kinds = lexicons.table("source_kinds.tsv")

        def flagged(flag):
            return frozenset(r[0].lower() for r in rows if len(r) > 1 and flag in r[1].split(","))

        def hedge(kind):
            return frozenset(r[0].lower() for r in hedges if r[1] == kind)

        def kind_map(where):
            out: dict[str, str] = {}
            for word, kind, place in kinds:
                if place == where:
                    out.setdefault(word.lower(), kind)
            return out

        return cls(
            reporting=frozenset(r[0].lower() for r in rows) - flagged("via"),
            object_content=flagged("object"),
            xcomp_content=flagged("xcomp"),
            via=flagged("via"),
            content_preps={r[0].lower(): frozenset(f[5:].split("|")) for r in rows if len(r) > 1
                           for f in r[1].split(",") if f.startswith("prep=")},
            hedge_adverbs=hedge("adverb"),
            hedge_verbs=hedge("verb"),
            hedge_passives=hedge("passive"),
            contest=lexicons.words("contest_cues.txt"),
            kinds_head=kind_map("head"),
            kinds_modifier=kind_map("modifier"),
            kinds_phrase=tuple((w.lower(), k) for w, k, p in kinds if p == "phrase"),
        )


# -- spans -------------------------------------------------------------------

def _tokens_span(tokens) -> tuple[int, int] | None:
    """Character extent of some tokens, edge punctuation trimmed."""
    tokens = [t for t in tokens if not t.is_space]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _subtree_span(token, exclude=frozenset()) -> tuple[int, int] | None:
    """The contiguous extent of `token`'s subtree, skipping excluded tokens at its edges."""
    tokens = [t for t in token.subtree if t.i not in exclude]
    return _tokens_span(tokens)


def _clause_minus(host, clause_ids: set[int]) -> tuple[int, int] | None:
    """The host sentence without a reporting clause inside it: the part before or after it, or all of it when the reporting clause sits in the middle.

    The sentence, not the host's subtree, so that "A, but B, X said" gives both A and B; it stops at paragraph breaks.
    """
    tokens = _paragraph_part(host.sent, min(clause_ids), max(clause_ids))
    inside = [t for t in tokens if t.i in clause_ids]
    if not inside:
        return _tokens_span(tokens)
    first, last = inside[0].i, inside[-1].i
    before = [t for t in tokens if t.i < first]
    after = [t for t in tokens if t.i > last]
    if not _has_words(after):
        return _tokens_span(before)
    if not _has_words(before):
        return _tokens_span(after)
    return _tokens_span(tokens)


def _paragraph_part(sent, first: int, last: int) -> list:
    """The tokens of `sent` in the same paragraph as tokens first..last."""
    tokens = list(sent)
    breaks = [t.i for t in tokens if "\n" in t.text or "\n" in t.whitespace_]
    lo = max((b for b in breaks if b < first), default=sent.start - 1)
    hi = min((b for b in breaks if b >= last), default=sent.end)
    return [t for t in tokens if lo < t.i <= hi and not t.is_space]


def _has_words(tokens) -> bool:
    return any(not (t.is_punct or t.is_space) for t in tokens)


# -- sources -----------------------------------------------------------------

class Attributions:
    """Find attributions in a parsed document with one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def __call__(self, doc: Document, parse) -> Document:
        doc.attributions = self.find_attributions(doc, parse)
        return doc

    def find_attributions(self, doc: Document, parse) -> list[dict]:
        """All attributions in `parse`, numbered in text order."""
        found: list[dict] = []
        cues: set[int] = set()
        quotes = _QuoteIndex(doc.quotes)
        for token in parse:
            record = self._from_token(doc, token, cues, quotes)
            if record:
                found.append(record)
        found += self._speaker_labels(doc, parse, cues)
        for record in found:
            _widen_over_quotes(doc, record, quotes)
        found += self._from_quotes(doc, found)
        found.sort(key=lambda a: (a["cue"]["start"], a["cue"]["end"]))
        for n, record in enumerate(found, 1):
            record["id"] = f"a{n}"
        return found

    def _from_token(self, doc, token, cues: set[int], quotes: "_QuoteIndex") -> dict | None:
        lemma = token.lemma_.lower()
        if token.i in cues:
            return None
        if lemma == "accord" and token.lower_ == "according":
            return self._according_to(doc, token, cues)
        if token.pos_ in ("VERB", "AUX") and (lemma in self.lex.reporting or _passive_hedge(token, self.lex)):
            record = self._reporting_verb(doc, token, cues, quotes)
            if record:
                return record
        if token.pos_ == "VERB" and lemma in self.lex.contest and token.dep_ in ("advcl", "acl", "amod", "relcl"):
            return self._contest_participle(doc, token, cues)
        if token.lower_ in self.lex.hedge_adverbs and token.dep_ == "advmod":
            return self._hedge_adverb(doc, token, cues)
        return None

    # each finder returns one record or None

    def _reporting_verb(self, doc, verb, cues, quotes) -> dict | None:
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        subject = self._subject(verb)
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        source = agent if passive else subject
        content_tok = self._content_child(verb)
        if passive and source is None:
            if content_tok is None or content_tok.dep_ != "xcomp":
                return None
            return self._record(doc, verb, None, content_tok, cues, quotes, hedged=verb.lemma_.lower() in self.lex.hedge_passives)
        if source is not None and source.lower_ in RELATIVES and verb.dep_ == "relcl":
            source = verb.head  # "Smith, who said that ..."
        if source is None or source.pos_ not in ("NOUN", "PROPN", "PRON") or source.lower_ in NOT_SOURCES:
            return None
        return self._record(doc, verb, source, content_tok, cues, quotes)

    def _subject(self, verb):
        """The verb's subject, else the subject it shares: "said X and added", "..., saying that"."""
        subjects = [c for c in verb.children if c.dep_ in SOURCE_DEPS]
        if subjects:
            return min(subjects, key=lambda c: abs(c.i - verb.i))  # "“Panic,” said Wimes": the nearest
        shares = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
        if shares and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            return self._subject(verb.head)
        return None

    def _content_child(self, verb):
        """The complement that holds what is said: a clause, or for some verbs an infinitive or a noun."""
        lemma = verb.lemma_.lower()
        allowed = {"ccomp"}
        if lemma in self.lex.xcomp_content or any(c.dep_ == "auxpass" for c in verb.children):
            allowed.add("xcomp")
        if lemma in self.lex.object_content:
            allowed.add("dobj")
        by_dep = {}
        for child in verb.children:
            by_dep.setdefault(child.dep_, child)
        for dep in CONTENT_DEPS:
            child = by_dep.get(dep)
            if dep in allowed and child is not None and not (dep == "dobj" and child.pos_ == "PRON"):
                return child
        preps = self.lex.content_preps.get(lemma, ())
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return obj
            if child.dep_ == "advcl" and any(g.lower_ in WH_WORDS and g.i < child.i for g in child.children):
                return child  # "have not said when they would vote"
            if child.dep_ in ("dep", "parataxis") and child.right_edge.i + 1 < verb.i and verb.doc[child.right_edge.i + 1].is_punct:
                return child  # "Language unclear on X, experts say."
        return None

    def _record(self, doc, verb, source, content_tok, cues, quotes, hedged=False) -> dict | None:
        source_ids = {t.i for t in source.subtree} if source is not None else set()
        beside = (_after_colon(verb, quotes) or _adjacent_quote(doc, verb, quotes)) if content_tok is None else None
        if content_tok is not None:
            content_ids = {t.i for t in content_tok.subtree}
            content = _subtree_span(content_tok)
            if content_tok.dep_ == "dobj":
                content_ids, content = _with_object_complements(content_tok, content_ids, content)
        elif beside is not None:
            content_ids, content = set(), beside
        elif _is_set_off(verb):
            clause_ids = {t.i for t in verb.subtree}
            content_ids = {t.i for t in verb.head.subtree} - clause_ids
            content = _clause_minus(verb.head, clause_ids)
        else:
            return None
        if content is None:
            return None
        clause = [t for t in verb.subtree if t.i not in content_ids and t.i not in source_ids]
        via = self._via(doc, verb, content_ids)
        cues.add(verb.i)
        cue = self._cue_span(verb)
        return {
            "id": None,
            "source": self._source(doc, source, verb),
            "source_kind": self._kind(doc, source, clause) if source is not None else self._unnamed_kind(doc),
            "cue": doc.span(*cue),
            "content": doc.span(*content),
            "via": via,
            "when": self._when(doc, clause, verb),
            "hedged": hedged or self._hedged(verb, clause),
            "contested": self._contested(verb, clause),
        }

    def _cue_span(self, verb) -> tuple[int, int]:
        """The verb with its auxiliaries, negation, particle and content preposition ("has learned", "called for")."""
        preps = self.lex.content_preps.get(verb.lemma_.lower(), ())
        parts = [verb] + [c for c in verb.children if (c.dep_ in ("aux", "auxpass", "neg", "prt") or (c.dep_ == "prep" and c.lower_ in preps)) and abs(c.i - verb.i) <= 3]
        parts = [t for t in parts if not (t.dep_ == "aux" and t.lower_ == "to")]
        lo, hi = min(t.i for t in parts), max(t.i for t in parts)
        doc = verb.doc
        return doc[lo].idx, doc[hi].idx + len(doc[hi])

    def _according_to(self, doc, according, cues) -> dict | None:
        prep = next((c for c in according.children if c.lower_ == "to"), None)
        source = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if source is None:
            return None
        host = according.head
        while host.dep_ not in ("ROOT",) and host.pos_ not in ("VERB", "AUX") and host.head.i != host.i:
            host = host.head
        clause_ids = {t.i for t in according.subtree}
        content = _clause_minus(host, clause_ids) if host.i != according.i else None
        if content is None:
            return None
        cues.add(according.i)
        clause = list(according.subtree)
        return {
            "id": None,
            "source": self._source(doc, source),
            "source_kind": self._kind(doc, source, clause),
            "cue": doc.span(according.idx, prep.idx + len(prep)),
            "content": doc.span(*content),
            "via": [],
            "when": None,
            "hedged": self._hedged(according, clause),
            "contested": False,
        }

    def _contest_participle(self, doc, verb, cues) -> dict | None:
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        target = verb.head
        if agent is None or target.pos_ not in ("NOUN", "PROPN", "PRON", "VERB"):
            return None
        clause_ids = {t.i for t in verb.subtree}
        if target.pos_ == "VERB":
            target = next((c for c in target.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
            if target is None:
                return None
        content = _subtree_span(target, exclude=clause_ids)
        if content is None:
            return None
        cues.add(verb.i)
        clause = list(verb.subtree)
        return {
            "id": None,
            "source": self._source(doc, agent),
            "source_kind": self._kind(doc, agent, clause),
            "cue": doc.span(*self._cue_span(verb)),
            "content": doc.span(*content),
            "via": [],
            "when": self._when(doc, clause, verb),
            "hedged": False,
            "contested": True,
        }

    def _hedge_adverb(self, doc, adverb, cues) -> dict | None:
        head = adverb.head
        if head.i in cues or (head.lemma_.lower() in self.lex.reporting and self._subject(head) is not None):
            return None  # "X reportedly said": the reporting verb's record carries the hedge
        content = _subtree_span(head)
        if content is None:
            return None
        cues.add(adverb.i)
        return {
            "id": None,
            "source": self._source(doc, None),
            "source_kind": self._unnamed_kind(doc),
            "cue": doc.span(adverb.idx, adverb.idx + len(adverb)),
            "content": doc.span(*content),
            "via": [],
            "when": None,
            "hedged": True,
            "contested": False,
        }

    def _speaker_labels(self, doc, parse, cues) -> list[dict]:
        """Lines that open with a name and a colon, as in transcripts and headlines ("PENCE: Well, ...").

        The name must be tagged PERSON or ORG, or be in capitals in a document where two lines or more open with a name in capitals (a transcript).
        """
        labels = list(_LABEL_LINE.finditer(doc.text))
        transcript = sum(m.group("name").isupper() for m in labels) > 1
        out = []
        for m in labels:
            name_start, name_end = m.span("name")
            span = parse.char_span(name_start, name_end)
            if span is None or any(t.i in cues for t in span):
                continue
            named = span.root.ent_type_ in ("PERSON", "ORG")
            if not (named or (m.group("name").isupper() and transcript)):
                continue
            colon = m.end("name")
            out.append({
                "id": None,
                "source": doc.span(name_start, name_end, entity=_entity_at(doc, name_start, name_end)),
                "source_kind": self._kind(doc, span.root, []) if named else "person",
                "cue": doc.span(colon, colon + 1),
                "content": doc.span(*m.span("content")),
                "via": [], "when": None, "hedged": False, "contested": False,
            })
        return out

    def _from_quotes(self, doc, found) -> list[dict]:
        """Quotes whose speaker no reporting verb already covered become attributions."""
        covered = [(a["content"]["start"], a["content"]["end"]) for a in found]
        out = []
        for quote in doc.quotes:
            speaker, cue = quote.get("speaker"), quote.get("cue")
            if not speaker or speaker.get("start") is None or not isinstance(cue, dict) or cue.get("start") is None:
                continue
            if any(s <= quote["start"] and quote["end"] <= e for s, e in covered):
                continue
            out.append({
                "id": None,
                "source": {k: speaker.get(k) for k in ("text", "entity", "start", "end")},
                "source_kind": self._kind_of_text(speaker.get("text") or ""),
                "cue": doc.span(cue["start"], cue["end"]),
                "content": doc.span(quote["start"], quote["end"]),
                "via": [],
                "when": None,
                "hedged": False,
                "contested": False,
            })
        return out

    # -- fields -------------------------------------------------------------

    def _source(self, doc, token, inside=None) -> dict:
        """The source phrase of `token`, without the reporting clause `inside` it ("Smith, who said ...")."""
        if token is None:
            return {"text": doc.outlet, "entity": None, "start": None, "end": None}
        exclude = {t.i for t in inside.subtree} if inside is not None and inside.head.i == token.i else set()
        extent = _subtree_span(token, exclude) if not exclude else _tokens_span([t for t in token.subtree if t.i < min(exclude)])
        extent = extent or (token.idx, token.idx + len(token))
        return doc.span(*extent, entity=_entity_at(doc, token.idx, token.idx + len(token)))

    def _unnamed_kind(self, doc) -> str:
        return "outlet" if doc.outlet else "unknown"

    def _kind(self, doc, token, clause) -> str:
        """Source kind from the words of the source phrase and its reporting clause."""
        clause_text = " ".join(t.lower_ for t in sorted({*clause, *token.subtree}, key=lambda t: t.i))
        for phrase, kind in self.lex.kinds_phrase:
            if phrase in clause_text:
                return kind
        phrase = list(token.subtree)
        for t in phrase:
            kind = self.lex.kinds_modifier.get(t.lower_)
            if kind and t.i != token.i:
                return kind
        for t in [token] + [c for c in token.children if c.dep_ in ("compound", "appos")]:
            kind = self._head_kind(t)
            if kind:
                return kind
        kind = ENTITY_KINDS.get(_entity_type_at(doc, token) or token.ent_type_)
        return kind or "unknown"

    def _head_kind(self, token) -> str | None:
        kind = self.lex.kinds_head.get(token.lower_) or self.lex.kinds_head.get(token.lemma_.lower())
        if kind == "person" and token.tag_ in ("NNS", "NNPS"):
            return "group"
        if kind == "anonymous" and any(c.ent_type_ in ("PERSON", "ORG") for c in token.children):
            return None
        return kind

    def _kind_of_text(self, text: str) -> str:
        for word in reversed(text.lower().split()):
            kind = self.lex.kinds_head.get(word.strip(".,"))
            if kind:
                return kind
        return "unknown"

    def _via(self, doc, verb, content_ids) -> list[dict]:
        """Sources the reporting clause cites: "citing unnamed sources", "quoting X"."""
        out = []
        for child in verb.children:
            if child.i in content_ids or child.lemma_.lower() not in self.lex.via:
                continue
            for obj in child.children:
                if obj.dep_ in ("dobj", "pobj"):
                    record = self._source(doc, obj)
                    record["source_kind"] = self._kind(doc, obj, list(child.subtree))
                    out.append(record)
        return out

    def _when(self, doc, clause, anchor) -> str | None:
        """The time whose span lies in the reporting clause ("reported on Tuesday"), not in a clause joined to it."""
        clause_ids = {t.i for t in clause}
        near = [t for t in anchor.children if t.dep_ in WHEN_DEPS and t.i in clause_ids]
        tokens = {u for t in near for u in t.subtree if u.i in clause_ids}
        spans = [(t.idx, t.idx + len(t)) for t in tokens]
        for time in doc.times:
            if any(s < time["end"] and time["start"] < e for s, e in spans):
                return time.get("id")
        return None

    def _hedged(self, verb, clause) -> bool:
        if verb.lemma_.lower() in self.lex.hedge_verbs:
            return True
        if any(t.lower_ in self.lex.hedge_adverbs for t in clause):
            return True
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        return passive and verb.lemma_.lower() in self.lex.hedge_passives and any(c.dep_ == "xcomp" for c in verb.children)

    def _contested(self, verb, clause) -> bool:
        return verb.lemma_.lower() in self.lex.contest or any(t.lemma_.lower() in self.lex.contest for t in clause)


def _with_object_complements(obj, content_ids: set[int], content):
    """Widen a noun content over what the verb says of it: "called him a liar", "criticized X for Y"."""
    verb, end = obj.head, content[1]
    for child in verb.children:
        if child.i > obj.i and (child.dep_ in OBJECT_COMPLEMENTS or (child.dep_ == "prep" and child.lower_ in OBJECT_PREPS)):
            extent = _subtree_span(child)
            if extent:
                end = max(end, extent[1])
                content_ids |= {t.i for t in child.subtree}
    return content_ids, (content[0], end)


def _passive_hedge(verb, lex: Lexicon) -> bool:
    """A passive hedge verb with an infinitive: "is thought to", "were said to"."""
    children = [c.dep_ for c in verb.children]
    return verb.lemma_.lower() in lex.hedge_passives and "auxpass" in children and "xcomp" in children


class _QuoteIndex:
    """The top-level quotes of a document, sorted, for finding those near a span without a scan."""

    def __init__(self, quotes: list[dict]):
        self.quotes = sorted((q for q in quotes if not q.get("nested_in")), key=lambda q: q["start"])
        self.ends = [q["end"] for q in self.quotes]

    def near(self, start: int, end: int, reach: int = 0) -> list[dict]:
        """Quotes that overlap [start - reach, end + reach); top-level quotes do not overlap, so their ends are sorted too."""
        out = []
        for quote in self.quotes[bisect.bisect_right(self.ends, start - reach):]:
            if quote["start"] >= end + reach:
                break
            out.append(quote)
        return out


def _after_colon(verb, quotes: _QuoteIndex) -> tuple[int, int] | None:
    """What follows a reporting clause that ends in a colon: a quote that starts there, else the rest of the sentence."""
    last = max(t.i for t in verb.subtree)
    colon = verb.doc[last] if verb.doc[last].text == ":" else (verb.doc[last + 1] if last + 1 < len(verb.doc) and verb.doc[last + 1].text == ":" else None)
    if colon is None:
        return None
    after = colon.idx + 1
    for quote in quotes.near(after, after + 4):
        if after <= quote["start"] <= after + 3:
            return quote["start"], quote["end"]
    rest = [t for t in verb.doc[colon.i + 1:colon.sent.end]]
    return _tokens_span(rest)


def _adjacent_quote(doc: Document, verb, quotes: _QuoteIndex) -> tuple[int, int] | None:
    """A quote that ends just before the reporting clause ("“...,” X said.") or starts just after it."""
    tokens = [t for t in verb.subtree if not t.is_punct]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    for quote in quotes.near(start, end, reach=5):
        cue = quote.get("cue")
        if (isinstance(cue, dict) and not (cue["start"] < end and start < cue["end"])):
            continue  # the quotes layer tied this quote to another verb
        gap_before = doc.text[quote["end"]:start] if quote["end"] <= start else None
        gap_after = doc.text[end:quote["start"]] if end <= quote["start"] else None
        for gap in (gap_before, gap_after):
            if gap is not None and len(gap) <= 4 and not any(c.isalnum() for c in gap):
                return quote["start"], quote["end"]
    return None


def _widen_over_quotes(doc: Document, record: dict, quotes: _QuoteIndex) -> None:
    """Stretch a content that covers part of a quote over the whole quote ("“A. B,” he wrote" gives both sentences)."""
    content, cue = record["content"], record["cue"]
    start, end = content["start"], content["end"]
    for quote in quotes.near(start, end):
        inside_cue = quote["start"] <= cue["start"] < quote["end"]
        if not inside_cue:
            start, end = min(start, quote["start"]), max(end, quote["end"])
    if (start, end) != (content["start"], content["end"]):
        record["content"] = doc.span(start, end)


def _is_set_off(verb) -> bool:
    """A reporting clause hung on another clause and set off by punctuation or the sentence end: "..., X reported on Tuesday." / "Y, the article claims, did Z"."""
    if verb.dep_ not in HOSTED_DEPS or verb.head.i == verb.i:
        return False
    tokens = [t for t in verb.subtree]
    while tokens and tokens[0].is_punct:
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    doc, first, last = verb.doc, tokens[0].i, tokens[-1].i
    before = doc[first - 1] if first > verb.sent.start else None
    after = doc[last + 1] if last + 1 < verb.sent.end else None
    return (before is not None and before.is_punct) and (after is None or after.is_punct)


def _entity_type_at(doc: Document | None, token) -> str | None:
    """The entities layer's type for the entity over `token`, if any."""
    if doc is None:
        return None
    found = _entity_at(doc, token.idx, token.idx + len(token))
    return next((e.get("type") for e in doc.entities if e.get("id") == found), None) if found else None


def _entity_at(doc: Document, start: int, end: int) -> str | None:
    """The id of the entity with a mention over [start, end), if any."""
    for entity in doc.entities:
        for mention in entity.get("mentions") or []:
            if mention["start"] < end and start < mention["end"]:
                return entity.get("id")
    return None


_finder: Attributions | None = None


@stage(assigns="attributions", requires=("entities", "times", "quotes"))
def add_attributions(doc: Document, parse) -> Document:
    """Return `doc` with its `attributions` layer set."""
    global _finder
    if _finder is None:
        _finder = Attributions(Lexicon.load())
    return _finder(doc, parse)
