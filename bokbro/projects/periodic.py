"""Periodic work of the projects module, run by `bokbro periodic`. Idempotent."""

from __future__ import annotations


def run() -> dict[str, int]:
    return {}
