"""The architecture, checked: import-linter's contracts (pyproject.toml, [tool.importlinter]) and no import circle.

Each contract runs as its own test through `lint-imports`, so `make test` fails on a
breach and names the contract. grimp (import-linter's graph library) counts every
import statement, those inside functions too.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = read_configuration(str(ROOT / "pyproject.toml"))["contracts_options"]

def _graph():
    import grimp

    return grimp.build_graph("newstrace", cache_dir=None)


def module_circles(graph) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    circles.append(frozenset(component))
    return circles


def lint_imports(contract_id: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--config", str(ROOT / "pyproject.toml"), "--contract", contract_id, "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("contract_id", [c["id"] for c in CONTRACTS])
def test_import_contract_is_kept(contract_id):
    result = lint_imports(contract_id)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_circle_between_modules():
    """What acyclic_siblings cannot see: a circle through a package's own __init__ (a package and its module)."""
    circles = module_circles(_graph())
    assert not circles, "import circles: " + "; ".join(" <-> ".join(sorted(c)) for c in circles)


def test_module_circles_finds_a_circle():
    """The circle finder itself, on a graph made by hand."""
    import grimp

    graph = grimp.ImportGraph()
    for importer, imported in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=importer, imported=imported)
    assert module_circles(graph) == [frozenset({"p.a", "p.b", "p.c"})]
