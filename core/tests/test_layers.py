"""The import graph of the project's own modules: no cycles, nothing imported from a higher floor.

Every import counts, those inside functions included: an import hidden in a function is still a
dependency, only a later one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core.layers import FLOOR

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> dict[str, Path]:
    found = {}
    for app in FLOOR:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `module` imports (a name imported from a package counts as its
    submodule when there is one)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {m: _imports(m, p, known) for m, p in modules.items()}
    # A package's __init__ imported for the sake of a submodule is not an edge of its own.
    return {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_no_import_from_a_higher_floor():
    upward = []
    for module, targets in _graph().items():
        floor = FLOOR[module.split(".")[0]]
        for target in targets:
            if FLOOR[target.split(".")[0]] > floor:
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


def test_the_checks_see_a_function_local_import(tmp_path):
    path = tmp_path / "views.py"
    path.write_text("def f():\n    from plans.models import Plan\n    from . import forms\n")
    assert _imports("org.views", path, {"plans.models", "org.forms"}) == {
        "plans.models",
        "org.forms",
    }
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _source_lines(pattern: str, allowed: tuple[str, ...]) -> list[str]:
    hits = []
    for module, path in _modules().items():
        if module.startswith(allowed):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                hits.append(f"{module}:{number}: {line.strip()}")
    return hits


def test_role_grants_are_read_only_in_org():
    assert _source_lines(r"RoleGrant\.objects|\bgrants__role\b", ("org",)) == []


def test_plugin_modules_are_found_through_their_protocol():
    assert _source_lines(r"\bimport_module\(|__import__\(", ("core.domains",)) == []


def test_views_change_state_only_through_services():
    """Views call services; no view saves, creates or deletes a row itself."""
    writes = re.compile(
        r"(?<!workbook)\.save\(|\.delete\(\)|objects\.(create|get_or_create|update)\("
    )
    hits = []
    for module, path in _modules().items():
        if not module.rsplit(".", 1)[-1].endswith("views"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if writes.search(line):
                hits.append(f"{module}:{number}: {line.strip()}")
    assert hits == []
