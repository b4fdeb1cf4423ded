"""The shape of a stage that holds a lexicon (../shared/DESIGN.md, "Stage"): a class built once around
its lexicon, `Stage(lexicon)(doc, parse)`, that sets one layer from a pure finder."""
from __future__ import annotations

from newstrace.model import Document


class LexiconStage:
    """Set layer `layer` of a document to what `find` returns, with the lexicon `self.lex`."""

    layer: str

    def __init__(self, lexicon):
        self.lex = lexicon

    def __call__(self, doc: Document, parse) -> Document:
        setattr(doc, self.layer, self.find(doc, parse))
        return doc

    def find(self, doc: Document, parse) -> list[dict]:
        raise NotImplementedError

    @classmethod
    def shared(cls, load):
        """The one instance of this stage in the process, built around `load()` on first use."""
        if "_instance" not in cls.__dict__:
            cls._instance = cls(load())
        return cls._instance
