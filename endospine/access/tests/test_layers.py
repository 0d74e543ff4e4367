"""The platform's layers import one way only, so no module needs another half-loaded.

accounts (sites, users, sign-in) and the audit trail sit below the journey;
the access package sits above both and the journey; the steps sit above it.
Checked on the source (top-level imports, the ones that run at import time),
and by importing each platform module alone in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports() -> dict[str, set[str]]:
    """module -> the endospine modules it imports at import time (not inside functions)."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        name = _module(path)
        found: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {m for m in found if m.startswith("endospine")}
    modules = set(graph)
    return {name: {m for m in deps if m in modules} - {name} for name, deps in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_back_through_others():
    assert _cycle(top_level_imports()) is None


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("endospine.accounts", ("endospine.journey", "endospine.access", "endospine.audit.views")),
        ("endospine.audit.models", ("endospine.journey", "endospine.access", "endospine.accounts")),
        ("endospine.audit.services", ("endospine.journey", "endospine.access")),
        ("endospine.journey.models", ("endospine.access",)),
    ],
)
def test_lower_layers_do_not_import_upper_ones(package, forbidden):
    graph = top_level_imports()
    for module, deps in graph.items():
        if module == package or module.startswith(package + "."):
            wrong = sorted(d for d in deps if d.startswith(forbidden))
            assert not wrong, f"{module} imports {wrong}"


@pytest.mark.parametrize(
    "module", ["endospine.access", "endospine.accounts.views", "endospine.audit.services"]
)
def test_each_platform_module_imports_alone(module):
    code = f"import django; django.setup(); import {module}"
    env = {"DJANGO_SETTINGS_MODULE": "endospine.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT.parent, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_services_ask_the_permission_table_not_the_role():
    """No `actor.role == ...` in a service: `holds(actor, Action.X)` reads the one table."""
    found = []
    for path in ROOT.glob("*/services.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "role" for s in sides):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
