"""The seeds' gold (../shared/gold/seeds.json) passes on both backends, through eval/seeds_gold.py as a user runs it."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, SHARED
from pg import postgres_database, postgres_server, postgres_url, store_url  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (SHARED / "gold" / "seeds.json").exists(), reason="no ../shared/gold")]


def test_seeds_gold_passes(store_url):
    done = subprocess.run([sys.executable, str(ROOT / "eval" / "seeds_gold.py"), "--shared", str(SHARED), "--db", store_url],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.rstrip().endswith(" 0 failed"), done.stdout[-2000:]
