"""Periodic work of the plans module (run by `bokbro periodic`, idempotent)."""

from __future__ import annotations

from datetime import datetime


def run(now: datetime | None = None) -> dict[str, int]:
    return {}
