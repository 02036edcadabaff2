"""Demo content of the advisory module, loaded by `manage.py load_demo`. Idempotent."""

from __future__ import annotations


def load() -> None:
    return None
