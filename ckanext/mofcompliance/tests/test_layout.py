"""The package's layout stays as README's "Layout" draws it: few modules loose at the top,
none over 400 lines, and no import cycle, counting the imports made inside functions.

Read from the source (``ast``), nothing is imported; the tests and the migrations apart.
"""
from __future__ import annotations

import ast
from pathlib import Path

import ckanext.mofcompliance

PACKAGE = Path(ckanext.mofcompliance.__file__).parent
NAME = "ckanext.mofcompliance"
MAX_TOP_MODULES = 7
MAX_LINES = 400


def _sources() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in ("tests", "migration"):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((NAME,) + parts)] = path
    return found


def _imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``module`` imports, anywhere in its source."""
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(here[:len(here) - node.level + 1]) if node.level else ""
            parent = ".".join(filter(None, (base, node.module or "")))
            targets = [f"{parent}.{alias.name}" for alias in node.names] + [parent]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target not in (module, NAME):
                found.add(target)
                break
    return found


def import_graph() -> dict[str, set[str]]:
    known = _sources()
    return {module: _imported(module, path, known) for module, path in known.items()}


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` (its modules in order), or [] when there is none."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        trail.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return trail[trail.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[module] = "done"
        trail.pop()
        return []

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return []


def test_no_import_cycle_even_inside_functions():
    assert cycle_in(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_in(graph) == ["a", "b", "c", "a"]


def test_an_import_inside_a_function_counts(tmp_path):
    (tmp_path / "a.py").write_text("def load():\n    from .b import read\n    return read\n")
    known = {f"{NAME}.kpi.a": tmp_path / "a.py", f"{NAME}.kpi.b": tmp_path / "b.py"}
    assert _imported(f"{NAME}.kpi.a", tmp_path / "a.py", known) == {f"{NAME}.kpi.b"}


def test_the_graph_reads_the_package():
    graph = import_graph()
    assert f"{NAME}.scoring.store" in graph[f"{NAME}.plugin"]
    assert f"{NAME}.kpi.profile_format" in graph[f"{NAME}.kpi.profiles"]


def test_few_modules_loose_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_no_module_over_400_lines():
    long = {path.relative_to(PACKAGE).as_posix(): lines for path in _sources().values()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
