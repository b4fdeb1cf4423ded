"""The eval gate in the test suite: eval/quick.py must find every figure at or above its floor (eval/floors.json)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_eval_quick_figures_stay_above_their_floors(shared):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, str(ROOT / "eval" / "quick.py"), "--shared", str(shared)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
