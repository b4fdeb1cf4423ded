"""Extraction stages: each takes a Document and its one spaCy parse and
returns the Document with one more layer (../shared/DESIGN.md, "Stages").

A stage module defines `REQUIRES` (layers it reads), `ASSIGNS` (the layer it
writes) and `add_<layer>(doc, parse) -> Document`. Stages never read
`doc.boilerplate`.
"""
