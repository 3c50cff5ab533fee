"""``chalicelib/events`` sits below every domain module: it imports only core and integrations, so a
domain module writing an event and a reader handling it never import each other through it."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator

from chalicelib.core.settings import PROJECT_ROOT

CHALICELIB = PROJECT_ROOT / "chalicelib"
EVENTS = CHALICELIB / "events"
BELOW = ("chalicelib.core", "chalicelib.integrations", "chalicelib.events")


def _imported(path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "chalicelib")
    return names


def test_no_events_module_imports_a_domain_module():
    files = sorted(EVENTS.glob("*.py"))
    assert {f.name for f in files} >= {"outbox.py", "readers.py", "dead_letters.py", "jobs.py"}

    found = {f.name: sorted(m for m in _imported(f) if m.startswith("chalicelib") and not m.startswith(BELOW))
             for f in files}

    assert found == {f.name: [] for f in files}


def test_running_the_events_jobs_loads_no_domain_module():
    """What the queue consumer and the sweep import, transitively, in a fresh interpreter."""
    script = ("import json, sys\nimport chalicelib.events.jobs\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('chalicelib.'))))")
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env={**os.environ, "STAGE": "local"},
                         capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)

    assert "chalicelib.events.outbox" in loaded
    assert [m for m in loaded if not m.startswith(BELOW)] == []


def _module_graph() -> dict[str, set[str]]:
    """chalicelib's modules and the chalicelib modules each imports (``from a.b import c``: a.b.c when
    that is a module, else a.b)."""
    graph: dict[str, set[str]] = {}
    for path in CHALICELIB.rglob("*.py"):
        name = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chalicelib."):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    is_module = (PROJECT_ROOT / sub.replace(".", "/")).with_suffix(".py").exists()
                    graph[name].add(sub if is_module else node.module)
    return graph


def _circles(graph: dict[str, set[str]]) -> Iterator[set[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> Iterator[set[str]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while (w := stack.pop()) != v:
                group.add(w)
            if group:
                yield group | {v}

    for v in sorted(graph):
        if v not in index:
            yield from visit(v)


def test_no_circle_of_imports_runs_through_the_outbox_or_notifications():
    """Domain modules write events through chalicelib.events; notifications reads them back through
    its reader: neither way round imports the other any more."""
    circles = [sorted(c) for c in _circles(_module_graph())
               if any(m.startswith(("chalicelib.events", "chalicelib.notifications")) for m in c)]

    assert circles == []
