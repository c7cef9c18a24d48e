"""The core's modules import in one direction: no cycle, imports inside functions included.

The graph is read from the AST of every module under src/speechcompress: every
``import`` and ``from ... import`` anywhere in a module (top level or inside a function)
is an edge, except those under ``if TYPE_CHECKING:``, which never run. ``from
speechcompress import x`` counts as an edge to ``speechcompress.x`` when that is a module
and to the package otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import speechcompress

PACKAGE = Path(speechcompress.__file__).parent


def _module_name(file: Path) -> str:
    parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, modules: set[str], here: str) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                package = here.split(".")[: -node.level] if node.level else []
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in modules and m != here}


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(f): f for f in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {
        name: _imports(ast.parse(file.read_text(encoding="utf-8")), modules, name)
        for name, file in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_the_core_has_no_import_cycle() -> None:
    graph = import_graph()
    # The package's __init__ only re-exports lazily (for `from speechcompress import x`);
    # every module "imports" it, so it is left out of the core's graph.
    core = {
        name: {m for m in deps if not m.startswith("speechcompress.cli") and m != "speechcompress"}
        for name, deps in graph.items()
        if not name.startswith("speechcompress.cli") and name != "speechcompress"
    }
    assert find_cycle(core) is None, " -> ".join(find_cycle(core) or [])


def test_parsing_knows_nothing_of_the_cache_and_the_index_nothing_of_parsing() -> None:
    graph = {k: v - {"speechcompress"} for k, v in import_graph().items()}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cache = {"speechcompress.source", "speechcompress.index_build", "speechcompress.index_query"}
    assert not reach("speechcompress.catalog") & cache
    assert not reach("speechcompress.models") & cache
    for index in ("speechcompress.index_build", "speechcompress.index_query"):
        assert not reach(index) & {"speechcompress.catalog", "speechcompress.source"}


def test_the_checker_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_tells_type_checkers_it_is_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()  # hatch ships every file of the package
