"""The mobile library's periodic work: the reminders to those who follow a stop, and the
addresses never confirmed deleted (mobile/following.py)."""

from __future__ import annotations

from datetime import datetime

from bokbro.mobile import following


def run(now: datetime | None = None) -> dict[str, int]:
    return {
        "mobile.reminders": following.reminders_send(now=now),
        "mobile.unconfirmed_deleted": following.pending_delete(now=now),
        "mobile.reminders_pruned": following.reminders_prune(now=now),
    }
