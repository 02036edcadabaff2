"""Demo content of the newsletter module, loaded by `manage.py load_demo`. Idempotent."""

from __future__ import annotations


def load() -> None:
    return None
