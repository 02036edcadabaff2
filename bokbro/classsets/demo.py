"""Demo class sets: filled in below."""

from __future__ import annotations


def load() -> list[str]:
    return []
