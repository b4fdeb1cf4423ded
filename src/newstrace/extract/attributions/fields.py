"""The fields of an attribution besides cue and content: the source and its kind, the sources it cites (via),
the time of the reporting clause, and its certainty (hedged, contested)."""
from __future__ import annotations

from newstrace import lexicons
from newstrace.extract.attributions.spans import _entity_at, _entity_type_at, _subtree_span, _tokens_span


WHEN_DEPS = ("prep", "npadvmod", "advmod", "tmod", "pobj")
ENTITY_KINDS = dict(lexicons.table("attribution_entity_kinds.tsv"))


class Fields:
    """The field-filling half of `Attributions`, reading its lexicon `self.lex`."""

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
