"""Every app has the standard shape and declares its contract (docs/adding-a-module.md)."""

from __future__ import annotations

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
