"""The export of a fixed corpus is the same as recorded (tests/golden/export_digest.py).

A change that means to alter what comes out regenerates the digests with
`--update` and says in its commit which fields changed and why.
"""
from __future__ import annotations

import json

import pytest

from golden.export_digest import DIGESTS, differences, export_digests


@pytest.mark.slow
def test_export_of_the_fixed_corpus_is_unchanged(shared):
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = differences(recorded, export_digests())
    assert not changed, "export changed (regenerate with tests/golden/export_digest.py --update if meant):\n" + "\n".join(changed[:40])
