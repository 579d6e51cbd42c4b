"""No import circles in app/: each rule lives below every module that uses it, so
any module can be imported first and a lazy import never hides a circle."""

import ast
from pathlib import Path

from app.config import PROJECT_ROOT


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` (a folder under `root`), by dotted name."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Which modules of `package` each one imports, wherever the import stands
    (inside a function too: deferring an import hides a circle, it does not
    remove it). `from a import b` counts as importing a.b when that is a module."""
    modules = module_names(root, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the package, up level - 1 steps
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [
                    f"{base}.{alias.name}"
                    if f"{base}.{alias.name}" in modules
                    else base
                    for alias in node.names
                ]
            found = {known(target) for target in targets} - {None, name}
            graph[name] |= {target for target in found if target}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (the strongly
    connected components with more than one module: Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = []
            while (top := stack.pop()) != module:
                group.append(top)
            if group:
                found.append(sorted([module, *group]))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


def test_app_has_no_import_circle() -> None:
    graph = import_graph(PROJECT_ROOT, "app")
    assert graph["app.main"], "the graph found no import of app.main"
    assert circles(graph) == []


def test_a_circle_through_a_deferred_import_is_found(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "config.py": "def get():\n    from pkg.checks import load\n",
        "checks.py": "from pkg import rules\n",
        "rules/__init__.py": "from .roles import Role\n",
        "rules/roles.py": "from ..config import get\n",
        "alone.py": "import pkg.rules.roles\n",
    }
    for name, text in files.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    graph = import_graph(tmp_path, "pkg")
    assert circles(graph) == [
        ["pkg.checks", "pkg.config", "pkg.rules", "pkg.rules.roles"]
    ]
    assert graph["pkg.alone"] == {"pkg.rules.roles"}
