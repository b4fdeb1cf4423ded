"""Cues and contents: the reporting verbs, "according to", contest participles, hedge adverbs, speaker labels
and quotes that make attributions, and what each says."""
from __future__ import annotations

import re

from newstrace import lexicons
from newstrace.extract.attributions.fields import Fields
from newstrace.extract.attributions.lexicon import Lexicon
from newstrace.extract.attributions.spans import (
    _QuoteIndex, _adjacent_quote, _after_colon, _clause_minus, _entity_at, _is_set_off, _subtree_span, _widen_over_quotes,
    _with_object_complements,
)
from newstrace.extract.lexicon_stage import LexiconStage
from newstrace.model import Document


SOURCE_DEPS = ("nsubj",)
CONTENT_DEPS = ("ccomp", "xcomp", "dobj")
NOT_SOURCES = lexicons.words("attribution_not_sources.txt")
WH_WORDS = lexicons.words("attribution_wh_words.txt")
RELATIVES = lexicons.words("attribution_relatives.txt")
_LABEL_LINE = re.compile(r"^[\x22“]?(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?P<content>\S[^\n]*?)\s*$", re.M)


class Attributions(Fields, LexiconStage):
    """Find attributions in a parsed document with one lexicon."""

    layer = "attributions"
    lex: Lexicon

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


    find = find_attributions

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
        return _attribution(self._source(doc, source, verb),
                            self._kind(doc, source, clause) if source is not None else self._unnamed_kind(doc),
                            doc.span(*cue), doc.span(*content), via=via, when=self._when(doc, clause, verb),
                            hedged=hedged or self._hedged(verb, clause), contested=self._contested(verb, clause))

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
        return _attribution(self._source(doc, source), self._kind(doc, source, clause), doc.span(according.idx, prep.idx + len(prep)),
                            doc.span(*content), hedged=self._hedged(according, clause))

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
        return _attribution(self._source(doc, agent), self._kind(doc, agent, clause), doc.span(*self._cue_span(verb)),
                            doc.span(*content), when=self._when(doc, clause, verb), contested=True)

    def _hedge_adverb(self, doc, adverb, cues) -> dict | None:
        head = adverb.head
        if head.i in cues or (head.lemma_.lower() in self.lex.reporting and self._subject(head) is not None):
            return None  # "X reportedly said": the reporting verb's record carries the hedge
        content = _subtree_span(head)
        if content is None:
            return None
        cues.add(adverb.i)
        return _attribution(self._source(doc, None), self._unnamed_kind(doc), doc.span(adverb.idx, adverb.idx + len(adverb)),
                            doc.span(*content), hedged=True)

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
            out.append(_attribution(doc.span(name_start, name_end, entity=_entity_at(doc, name_start, name_end)),
                                    self._kind(doc, span.root, []) if named else "person",
                                    doc.span(colon, colon + 1), doc.span(*m.span("content"))))
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
            out.append(_attribution({k: speaker.get(k) for k in ("text", "entity", "start", "end")},
                                    self._kind_of_text(speaker.get("text") or ""),
                                    doc.span(cue["start"], cue["end"]), doc.span(quote["start"], quote["end"])))
        return out


def _passive_hedge(verb, lex: Lexicon) -> bool:
    """A passive hedge verb with an infinitive: "is thought to", "were said to"."""
    children = [c.dep_ for c in verb.children]
    return verb.lemma_.lower() in lex.hedge_passives and "auxpass" in children and "xcomp" in children


def _attribution(source: dict, source_kind: str, cue: dict, content: dict, *, via: list[dict] | None = None,
                 when: str | None = None, hedged: bool = False, contested: bool = False) -> dict:
    """One attribution record, its fields in the layer's order; numbered (`id`) once all are found."""
    return {
        "id": None,
        "source": source,
        "source_kind": source_kind,
        "cue": cue,
        "content": content,
        "via": via if via is not None else [],
        "when": when,
        "hedged": hedged,
        "contested": contested,
    }
