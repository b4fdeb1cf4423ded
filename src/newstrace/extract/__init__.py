"""Extraction stages: each takes a Document and its one spaCy parse and
returns the Document with one more layer (../shared/DESIGN.md, "Stages").

A stage is a function `add_<layer>(doc, parse) -> Document` registered with
`@stage(assigns=..., requires=...)`, as spaCy registers its components: the
declaration says which layers it reads and which one it writes, and the
pipeline checks the order it runs them in from those declarations
(`check_order`). Stages never read `doc.boilerplate`, and never import the
store, the web, the linker or the pipeline.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newstrace.model import Document

#: Layers the pipeline sets before any stage runs.
BUILT_IN = frozenset({"sentences"})


@dataclass(frozen=True)
class Stage:
    """One registered stage: the layer it assigns, the layers it requires, the function that adds it."""

    assigns: str
    requires: tuple[str, ...]
    run: Callable[[Document, object], Document]


#: Every registered stage, by the layer it assigns.
REGISTRY: dict[str, Stage] = {}


def stage(assigns: str, requires: Iterable[str] = ()):
    """Register `add_<assigns>(doc, parse)` as the stage that assigns layer `assigns`."""

    def register(func: Callable[[Document, object], Document]):
        if assigns in REGISTRY and REGISTRY[assigns].run is not func:
            raise RuntimeError(f"two stages assign {assigns!r}: {REGISTRY[assigns].run.__module__} and {func.__module__}")
        REGISTRY[assigns] = Stage(assigns, tuple(requires), func)
        return func

    return register


def check_order(stages: Iterable[Stage]) -> None:
    """Raise when a stage runs before a layer it requires is assigned."""
    assigned = set(BUILT_IN)
    for item in stages:
        missing = set(item.requires) - assigned
        if missing:
            raise RuntimeError(f"stage {item.assigns} needs {sorted(missing)}, which no earlier stage assigns")
        assigned.add(item.assigns)
