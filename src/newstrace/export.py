"""Export the store as the contract's JSON (one object) or JSON Lines (one document a line).

JSON Lines holds only documents, with their links and story id inlined; the
corpus-level arrays (entities, stories, event clusters, conflicts) go to a
second file, `<output>.corpus.jsonl`, one `{"kind": ..., ...}` record a line.
"""
from __future__ import annotations

import json
from typing import TextIO

from newstrace import query
from newstrace.store import Store


def write_json(store: Store, out: TextIO) -> int:
    """Write `{"documents": [...], "entities": [...], ...}`, streaming the documents."""
    out.write('{"documents": [')
    count = 0
    for count, doc in enumerate(query.documents(store), 1):
        out.write("\n" if count == 1 else ",\n")
        out.write(json.dumps(doc, ensure_ascii=False))
    out.write("\n]")
    for name, records in query.corpus(store).items():
        out.write(f",\n{json.dumps(name)}: {json.dumps(records, ensure_ascii=False)}")
    out.write("}\n")
    return count


def write_jsonl(store: Store, out: TextIO, corpus_out: TextIO | None = None) -> int:
    """Write one document per line; corpus-level records to `corpus_out` when given."""
    count = 0
    for count, doc in enumerate(query.documents(store), 1):
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    if corpus_out is not None:
        for name, records in query.corpus(store).items():
            for record in records:
                corpus_out.write(json.dumps({"kind": name, **record}, ensure_ascii=False) + "\n")
    return count
