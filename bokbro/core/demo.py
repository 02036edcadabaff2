"""Demo content: `manage.py load_demo` runs each module's `demo` (its contract, see
bokbro.core.modules) in INSTALLED_APPS order, so a module finds the agencies, people and plan
goals of the modules before it. Each loader is idempotent and returns lines to print for the
person running the demo."""

from __future__ import annotations

from bokbro.core.modules import resolved


class DemoError(Exception):
    """The demo cannot be loaded (for example: the directory has not been imported)."""


def load_all() -> list[str]:
    lines: list[str] = []
    for _module, load in resolved("demo"):
        lines.extend(load() or [])
    return lines
