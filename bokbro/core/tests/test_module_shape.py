"""Every app has the standard shape and declares its contract (docs/adding-a-module.md)."""

from __future__ import annotations

import ast
import tokenize
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from bokbro.core.modules import CONTRACT, Module, modules

BOKBRO = Path(__file__).resolve().parents[2]
# Files every module has; a module with no API or periodic work says so in its contract instead.
# `x.py` may be a package `x/` by feature once it grows (docs/adding-a-module.md §2).
STANDARD_FILES = [
    "apps.py",
    "models.py",
    "services.py",
    "selectors.py",
    "access.py",
    "urls.py",
    "admin.py",
    "tests/__init__.py",
    "tests/access.py",
]
# The size rule (docs/adding-a-module.md §2): a longer file becomes a package by feature, a longer
# function named steps, unless a `Size:` line beside it says why not.
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80


def has_file(root: Path, name: str) -> bool:
    """`x.py`, or the package `x/` it became."""
    return (root / name).exists() or (root / name.removesuffix(".py") / "__init__.py").exists()


def bokbro_apps() -> list[str]:
    """Bokbro's apps in INSTALLED_APPS order, by label."""
    return [
        name.removeprefix("bokbro.")
        for name in settings.INSTALLED_APPS
        if name.startswith("bokbro.")
    ]


def shape_problems(module: Module) -> list[str]:
    root = Path(module.path)
    problems = [
        f"declare `{part}` on {type(module).__name__}: {CONTRACT[part]}"
        for part in module.undeclared()
    ]
    for name in STANDARD_FILES:
        if not has_file(root, name):
            problems.append(f"add {module.label}/{name}")
    if not (root / "templates" / module.label).is_dir():
        problems.append(f"add {module.label}/templates/{module.label}/ for its templates")
    for part in ("periodic", "demo", "audit_labels", "profile_section", "personal_data"):
        reference = getattr(module, part)
        if reference:
            try:
                module.resolve(reference)
            except ImportError as error:
                problems.append(f"`{part} = {reference!r}` names nothing: {error}")
    for reference in module.report_sources or ():
        try:
            module.resolve(reference)
        except ImportError as error:
            problems.append(f"`report_sources` names {reference!r}, which is missing: {error}")
    if module.api:
        try:
            module.resolve(module.api.target)
        except ImportError as error:
            problems.append(f"`api` names {module.api.target!r}, which is missing: {error}")
    for mount in module.urls or ():
        if not (root / f"{mount.target.replace('.', '/')}.py").exists():
            problems.append(f"`urls` mounts {mount.target!r}, which is missing")
    for files in module.files or ():
        model = module.get_model(files.model)
        for field in files.fields:
            model._meta.get_field(field)
    return problems


@pytest.mark.parametrize("label", [label for label in bokbro_apps() if label != "core"])
def test_every_app_is_a_module_with_the_standard_shape(label: str) -> None:
    config = apps.get_app_config(label)
    assert isinstance(config, Module), (
        f"{label}: its AppConfig must subclass bokbro.core.modules.Module (docs/adding-a-module.md)"
    )
    problems = shape_problems(config)
    assert not problems, f"{label} is not in the standard shape:\n  " + "\n  ".join(problems)


def test_the_shape_check_names_what_a_new_module_forgot() -> None:
    class Forgetful(Module):
        name = "bokbro.events"
        label = "forgetful"
        urls = ()
        api = None

    import bokbro.events

    config = Forgetful("bokbro.events", bokbro.events)
    config.label = "events"
    problems = shape_problems(config)
    assert any(p.startswith("declare `periodic` on Forgetful") for p in problems)
    assert any(p.startswith("declare `files` on Forgetful") for p in problems)
    assert not any("`urls`" in p or "`api`" in p for p in problems)


def test_a_standard_file_may_be_a_package(tmp_path: Path) -> None:
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "__init__.py").write_text("")
    (tmp_path / "selectors.py").write_text("")
    assert has_file(tmp_path, "views.py")
    assert has_file(tmp_path, "selectors.py")
    assert not has_file(tmp_path, "access.py")


def test_modules_come_in_installed_apps_order() -> None:
    assert [module.label for module in modules()] == [
        label for label in bokbro_apps() if label != "core"
    ]


# --- Sizes ---------------------------------------------------------------------------------------


def _comments(path: Path) -> dict[int, str]:
    """The text of each comment, by line number."""
    with path.open("rb") as source:
        return {
            token.start[0]: token.string.lstrip("#").strip()
            for token in tokenize.tokenize(source.readline)
            if token.type == tokenize.COMMENT
        }


def _says_size(lines: list[str]) -> bool:
    return any(line.strip().startswith("Size:") for line in lines)


def _module_reason(tree: ast.Module, comments: dict[int, str]) -> bool:
    """A `Size:` line in the module's docstring or in the comments above its first statement."""
    docstring = ast.get_docstring(tree) or ""
    first = tree.body[0].lineno if tree.body else 1
    leading = [text for line, text in comments.items() if line < first]
    return _says_size(docstring.splitlines() + leading)


def _function_reason(
    node: ast.FunctionDef | ast.AsyncFunctionDef, comments: dict[int, str]
) -> bool:
    """A `# Size:` comment on the line before the `def` (or its decorators), or in the
    function's first lines (its docstring included)."""
    top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    body_start = node.body[0].lineno
    near = [text for line, text in comments.items() if top - 1 <= line <= body_start + 2]
    return _says_size(near + (ast.get_docstring(node) or "").splitlines())


def size_problems(root: Path) -> list[str]:
    """Modules over MAX_FILE_LINES and functions over MAX_FUNCTION_LINES under `root` (tests and
    migrations left out) that do not say why."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent)
        if {"tests", "migrations"} & set(relative.parts) or path.name == "conftest.py":
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        comments = _comments(path)
        length = len(text.splitlines())
        if length > MAX_FILE_LINES and not _module_reason(tree, comments):
            problems.append(
                f"{relative} has {length} lines (over {MAX_FILE_LINES}): split it by feature, or "
                "give the reason on a line starting `Size:` in its docstring"
            )
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not _function_reason(node, comments):
                problems.append(
                    f"{relative}:{node.lineno} {node.name}() has {length} lines (over "
                    f"{MAX_FUNCTION_LINES}): split it into named steps, or write the reason in "
                    "a `# Size:` comment beside its `def`"
                )
    return problems


@pytest.mark.parametrize("label", bokbro_apps())
def test_no_file_or_function_outgrows_the_size_rule_without_a_reason(label: str) -> None:
    problems = size_problems(Path(apps.get_app_config(label).path))
    assert not problems, f"{label} has outgrown the size rule:\n  " + "\n  ".join(problems)


def test_the_size_check_names_the_file_and_the_function_and_accepts_a_reason(
    tmp_path: Path,
) -> None:
    app = tmp_path / "app"
    (app / "tests").mkdir(parents=True)
    long_body = "".join(f"    x{i} = {i}\n" for i in range(85))
    (app / "long.py").write_text("x = 1\n" * 501)
    (app / "reasoned.py").write_text(
        '"""A module.\n\nSize: one format, top to bottom."""\n' + "x = 1\n" * 501
    )
    (app / "steps.py").write_text(
        f"def long():\n{long_body}\n\n# Size: one table, row by row.\ndef kept():\n{long_body}"
    )
    (app / "tests" / "test_long.py").write_text("x = 1\n" * 900)

    problems = size_problems(app)

    assert problems == [
        "app/long.py has 501 lines (over 500): split it by feature, or give the reason on a line "
        "starting `Size:` in its docstring",
        "app/steps.py:1 long() has 86 lines (over 80): split it into named steps, or write the "
        "reason in a `# Size:` comment beside its `def`",
    ]
