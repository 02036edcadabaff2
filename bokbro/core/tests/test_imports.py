"""The apps import each other in one direction only: an app imports only the apps listed before
it in INSTALLED_APPS (docs/adding-a-module.md), and no module of an app imports itself back
through another, not even from inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

BOKBRO = Path(__file__).resolve().parents[2]


def bokbro_apps() -> list[str]:
    return [
        name.removeprefix("bokbro.")
        for name in settings.INSTALLED_APPS
        if name.startswith("bokbro.")
    ]


def type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The nodes inside `if TYPE_CHECKING:` blocks: read by the type checker, never run."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for child in node.body:
                skipped.update(ast.walk(child))
    return skipped


def imports_of(path: Path) -> set[str]:
    """The bokbro modules a file imports when it runs, at the top or inside a function."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("bokbro."):
                found.add(node.module)
                # `from bokbro.events import services` imports a module too.
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bokbro."))
    return found


def source_files() -> dict[str, Path]:
    """Every non-test, non-migration module of the apps, by dotted name."""
    files = {}
    for path in BOKBRO.rglob("*.py"):
        relative = path.relative_to(BOKBRO.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        files[name] = path
    return files


def test_apps_import_only_apps_listed_before_them() -> None:
    order = bokbro_apps()
    wrong = []
    for name, path in source_files().items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] not in order:
            continue
        app = parts[1]
        for imported in imports_of(path):
            other = imported.split(".")[1]
            if other in order and order.index(other) > order.index(app):
                wrong.append(f"{name} imports {imported} ({other} comes after {app})")
    assert not sorted(set(wrong)), "Imports against the app order:\n  " + "\n  ".join(
        sorted(set(wrong))
    )


# Loops still to break (issue 11): none left. No new loop may join them.
KNOWN_LOOPS: set[str] = set()


def test_no_module_imports_itself_back() -> None:
    files = source_files()
    graph = {
        name: {imported for imported in imports_of(path) if imported in files}
        for name, path in files.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    found = {" -> ".join(cycle) for cycle in cycles}
    new = sorted(found - KNOWN_LOOPS)
    assert not new, "Import loops:\n  " + "\n  ".join(new)
    gone = sorted(KNOWN_LOOPS - found)
    assert not gone, f"these loops are gone: take them out of KNOWN_LOOPS: {gone}"


def test_imports_for_the_type_checker_only_do_not_count(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from bokbro.directory import models\n"
        "if TYPE_CHECKING:\n"
        "    from bokbro.accounts.models import User\n"
        "def later():\n"
        "    from bokbro.events import services\n"
    )
    assert imports_of(module) == {
        "bokbro.directory",
        "bokbro.directory.models",
        "bokbro.events",
        "bokbro.events.services",
    }
