"""A fixed corpus's export, reduced to one digest per document field and per corpus array.

The structure change of issue 13 must keep every output the same. This
ingests a fixed set of inputs (`examples/`, the two sample reports, and
real pages from ../shared/data) into a fresh SQLite store, exports it, and
hashes each document's fields and each corpus-level array. The digests are
small enough to commit (the pages themselves stay in ../shared), and a
difference names the document and the field that changed.

    .venv/bin/python tests/golden/export_digest.py            # print the digests as JSON
    .venv/bin/python tests/golden/export_digest.py --update   # rewrite tests/golden/export_digests.json

Run from anywhere: paths are spelled relative to the repository root, so
document ids (which hash the source path) are the same on every checkout.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = Path(__file__).with_name("export_digests.json")
#: How many trafilatura-eval pages (first by name) join the fixed set.
TRAFILATURA_PAGES = 30


def inputs() -> list[str]:
    """The fixed set, as paths relative to the repository root."""
    shared = Path("..") / "shared"
    data = shared / "data"
    paths = ["examples", str(shared / "seeds")]
    paths += sorted(str(p) for p in (ROOT / data / "real-news" / "html").glob("*/*.html"))
    paths += [str(data / "real-news" / "feeds"), str(data / "real-news" / "news-please"), str(data / "real-news" / "warc")]
    pages = sorted((ROOT / data / "trafilatura-eval" / "pages").glob("*.html.gz"))[:TRAFILATURA_PAGES]
    paths += [str(p) for p in pages]
    return [os.path.relpath(ROOT / p, ROOT) for p in paths]


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def export_digests() -> dict:
    """Ingest the fixed set into a fresh store and return {"documents": {key: {field: digest}}, "corpus": {name: digest}}."""
    from newstrace import query
    from newstrace.ingest import ingest
    from newstrace.store import open_store

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(os.path.join(tmp, "golden.db"))
            try:
                ingest(inputs(), store)
                documents = {}
                for doc in query.documents(store):
                    key = f"{doc['source']['path']}|{doc['source'].get('position') or ''}"
                    documents[key] = {name: digest(value) for name, value in sorted(doc.items())}
                corpus = {name: digest(records) for name, records in query.corpus(store).items()}
            finally:
                store.close()
    finally:
        os.chdir(here)
    return {"documents": dict(sorted(documents.items())), "corpus": corpus}


def differences(before: dict, after: dict) -> list[str]:
    """One line per document or field that differs between two digest sets."""
    out = []
    for key in sorted(set(before["documents"]) | set(after["documents"])):
        a, b = before["documents"].get(key), after["documents"].get(key)
        if a is None or b is None:
            out.append(f"{key}: {'added' if a is None else 'missing'}")
            continue
        out += [f"{key}: {field} changed" for field in sorted(set(a) | set(b)) if a.get(field) != b.get(field)]
    out += [f"corpus {name} changed" for name in sorted(set(before["corpus"]) | set(after["corpus"])) if before["corpus"].get(name) != after["corpus"].get(name)]
    return out


if __name__ == "__main__":
    result = export_digests()
    if "--update" in sys.argv:
        DIGESTS.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {DIGESTS} ({len(result['documents'])} documents)")
    else:
        print(json.dumps(result, indent=1, sort_keys=True))
