"""Periodic work of the newsletter module, run by `bokbro periodic`. Idempotent."""

from __future__ import annotations


def run() -> dict[str, int]:
    return {}
