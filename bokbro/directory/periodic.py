"""The directory's periodic work: a request to be listed as a library's staff that no one has
answered lapses after `PENDING_COLLEAGUE_DAYS`, with the name and address it holds. Whoever
still works there is asked again when they next register."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bokbro.directory.models import PendingColleague


def run(now: datetime | None = None) -> dict[str, int]:
    cutoff = (now or timezone.now()) - timedelta(days=settings.PENDING_COLLEAGUE_DAYS)
    lapsed, _by_model = PendingColleague.objects.filter(created_at__lt=cutoff).delete()
    return {"directory.pending colleagues lapsed": lapsed}
