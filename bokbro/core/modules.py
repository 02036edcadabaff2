"""The module contract: what a Bokbro app plugs into the platform, declared in one place.

Every app but core is a `Module`: its `AppConfig` subclasses `bokbro.core.modules.Module` and
declares each part of the contract below as a class attribute, even when the app has nothing to
give (`periodic = None`). Core and the project read the declarations; nothing is registered by
hand and no settings list names an app's functions. References are dotted paths *relative to the
app's package* ("periodic.run" in `bokbro.events` means `bokbro.events.periodic.run`), imported
when first used, so declaring a part never imports the app early.

    class EventsConfig(Module):
        name = "bokbro.events"
        label = "events"
        verbose_name = _("Events")

        urls = (Mount("events/", "urls"), Mount("staff/events/", "staff_urls"))
        api = Mount("/events/", "api.router")
        periodic = "periodic.run"
        demo = "demo.load"
        audit_labels = "audit.ACTION_LABELS"
        profile_section = "profile.SECTION"
        home_section = "home.SECTION"
        report_sources = ("plan_source.SOURCE",)
        personal_data = None
        files = (Files("Material", "file"),)
        checks = None

Apps are listed in `INSTALLED_APPS` in dependency order: an app imports only apps listed before
it (a test holds this), and periodic work and demo content run in that order, so a module's demo
finds the agencies, people and plan goals of the apps before it.

`bokbro/core/tests/test_module_shape.py` fails, naming what is missing, when an app does not
declare a part or lacks a file of the standard shape (docs/adding-a-module.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

# The parts of the contract, each with what it holds (for error messages and the docs).
CONTRACT = {
    "urls": "a tuple of Mount(prefix, urls module), () for none",
    "api": "Mount(prefix, 'api.router') for the app's django-ninja router, or None",
    "periodic": "'periodic.run' (run(now=None) -> dict[str, int]), or None",
    "demo": "'demo.load' (load() -> list[str] of lines to print), or None",
    "audit_labels": "'audit.ACTION_LABELS' (action code -> readable label), or None",
    "profile_section": "'profile.SECTION' (a directory.profile.ProfileSection), or None",
    "home_section": "'home.SECTION' (a core.home.HomeSection) on the front page, or None",
    "report_sources": "a tuple of 'plan_source.SOURCE' (core.sources.ActivitySource), ()",
    "personal_data": "'personal.DATA' (an accounts.personal.PersonalData), or None",
    "files": "a tuple of Files(model, field, …) whose files leave storage with the row, ()",
    "checks": "'checks' (a module of Django system checks, imported at start), or None",
}


class _Undeclared:
    def __repr__(self) -> str:
        return "<undeclared>"

    def __bool__(self) -> bool:
        return False


UNDECLARED: Any = _Undeclared()


@dataclass(frozen=True)
class Mount:
    """Where something of the app is mounted: a URL prefix and a dotted path in the app."""

    prefix: str
    target: str


@dataclass(frozen=True)
class Files:
    """File fields of one model whose files are deleted from storage with the row."""

    model: str
    fields: tuple[str, ...]

    def __init__(self, model: str, *fields: str) -> None:
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "fields", fields)


class Module(AppConfig):
    """An app's `AppConfig` with its contract (see the module docstring)."""

    # Django picks the one AppConfig subclass in an app's apps.py; this base, imported there,
    # must not count, while every subclass does.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    urls: tuple[Mount, ...] = UNDECLARED
    api: Mount | None = UNDECLARED
    periodic: str | None = UNDECLARED
    demo: str | None = UNDECLARED
    audit_labels: str | None = UNDECLARED
    profile_section: str | None = UNDECLARED
    home_section: str | None = UNDECLARED
    report_sources: tuple[str, ...] = UNDECLARED
    personal_data: str | None = UNDECLARED
    files: tuple[Files, ...] = UNDECLARED
    checks: str | None = UNDECLARED

    def undeclared(self) -> list[str]:
        """The parts of the contract this app has not declared."""
        return [part for part in CONTRACT if getattr(self, part) is UNDECLARED]

    def resolve(self, reference: str) -> Any:
        """The object a relative dotted path names ("audit.ACTION_LABELS")."""
        return import_string(f"{self.name}.{reference}")

    def ready(self) -> None:
        from bokbro.core.files import delete_files_with

        for files in self.files or ():
            delete_files_with(self.get_model(files.model), *files.fields)
        if self.checks:
            import_module(f"{self.name}.{self.checks}")  # registers its checks


def modules() -> list[Module]:
    """Every Bokbro module, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, Module)]


def declared(part: str) -> Iterator[tuple[Module, Any]]:
    """(module, declaration) for every module that declares something for `part`."""
    for module in modules():
        value = getattr(module, part)
        if value is UNDECLARED or not value:
            continue
        yield module, value


def resolved(part: str) -> Iterator[tuple[Module, Any]]:
    """(module, object) for every reference declared for `part`, imported."""
    for module, value in declared(part):
        for reference in value if isinstance(value, tuple) else (value,):
            yield module, module.resolve(reference)
