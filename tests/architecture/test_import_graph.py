"""The layout the architecture promises: no part imports upward, no two parts import each
other (a cycle), and every engine, skill and store stays off the wire."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import lingxi

ROOT = Path(lingxi.__file__).parent
# Parts that must know nothing of the wire, the call or the web server.
BELOW_THE_CALL = ("engines", "skills", "safety", "memory", "personas", "turn", "companion",
                  "interfaces", "text")
THE_WIRE = ("session", "transport", "protocol")


def _part(module: str) -> str:
    """`lingxi.engines.tts.local` → "engines"; `lingxi.text` → "text"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "lingxi"


def _imports() -> Iterator[tuple[str, str]]:
    """(importing module, imported lingxi module) for every import anywhere in the package,
    including imports inside functions and under TYPE_CHECKING."""
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                # `from lingxi import metrics` imports the module lingxi.metrics.
                names = ([f"lingxi.{a.name}" for a in node.names] if base == "lingxi"
                         else [base])
            else:
                continue
            yield from ((module, n) for n in names if n.startswith("lingxi.") or n == "lingxi")


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for importer, imported in _imports():
        a, b = _part(importer), _part(imported)
        if a != b and b != "lingxi":
            graph.setdefault(a, set()).add(b)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph, if there is any (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_nothing_below_the_call_imports_the_wire() -> None:
    wrong = sorted({f"{a} imports {b}" for a, b in _imports()
                    if _part(a) in BELOW_THE_CALL and _part(b) in THE_WIRE})
    assert wrong == []


def test_no_two_parts_import_each_other() -> None:
    assert _cycle(_graph()) is None


def test_the_check_sees_a_cycle_when_there_is_one() -> None:
    graph = _graph()
    assert "turn" in graph["session"]  # the call routes its turns
    graph["turn"].add("session")  # a router that reached back into the call
    assert _cycle(graph) is not None
