"""Demo content: filled in below."""

from __future__ import annotations


def load() -> list[str]:
    return []
