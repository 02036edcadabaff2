"""The advisory section of the library (and municipality) profile.

Declared as `profile_section` in `AdvisoryConfig` (bokbro.core.modules). The agency's
staff see every consultation with the library and its follow-ups; a library's manager sees the
date, type, topics and summary of each — never the internal notes, the people involved or the
follow-ups (the agency's own to-do list).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.advisory.models import Consultation, FollowUp
from bokbro.directory.profile import ProfileSection, Subject, Viewer

LATEST = 50


def consultations_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None:
        return None
    consultations = Consultation.objects.of(viewer.agency)
    if subject.library is not None:
        consultations = consultations.about_libraries(subject.library_ids)
    elif subject.municipality is not None:
        consultations = consultations.about_municipality(subject.municipality)
    else:
        return None
    consultations = consultations.select_related("consultant").prefetch_related("topics")
    if viewer.internal:
        consultations = consultations.prefetch_related("libraries", "municipalities")
    total = consultations.count()
    rows = list(consultations.order_by("-date", "-pk")[:LATEST])
    follow_ups = None
    if viewer.internal:
        follow_ups = list(
            FollowUp.objects.filter(agency=viewer.agency, consultation__in=consultations)
            .open()
            .select_related("owner", "consultation")
            .order_by("due_date", "pk")
        )
    return {
        "consultations": rows,
        "total": total,
        "shown": len(rows),
        "follow_ups": follow_ups,
        "today": timezone.localdate(),
        "internal": viewer.internal,
    }


SECTION = ProfileSection(
    key="advisory",
    title=_("Advice and visits"),
    template="advisory/_profile_section.html",
    context=consultations_section,
    order=10,
)
