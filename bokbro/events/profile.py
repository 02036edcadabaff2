"""The events section of the library (and municipality) profile: how the library's staff took
part in the agency's events — counts per year and the list.

Declared as `profile_section` in `EventsConfig` (bokbro.core.modules). Both the
agency's staff and the library's manager may see the participants' names (the manager sees
their own library's people); anonymised registrations count but show no name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.events.models import SEAT_HOLDING, Event, Registration, RegistrationStatus

LATEST = 100


def participation_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or not subject.library_ids:
        return None
    events = Event.objects.owned_by(viewer.agency).values("pk")
    registrations = Registration.objects.filter(
        library__in=subject.library_ids,
        event__in=events,
        status__in=[*SEAT_HOLDING, RegistrationStatus.WAITING],
    )
    per_year = list(
        registrations.annotate(year=ExtractYear("event__starts_at"))
        .values("year")
        .annotate(
            registrations=Count("pk"),
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            events=Count("event", distinct=True),
        )
        .order_by("-year")
    )
    rows = list(
        registrations.select_related("event", "library").order_by(
            "-event__starts_at", "event_id", "name"
        )[:LATEST]
    )
    return {
        "per_year": per_year,
        "registrations": rows,
        "total": sum(row["registrations"] for row in per_year),
        "shown": len(rows),
        "several_libraries": len(subject.library_ids) > 1,
    }


SECTION = ProfileSection(
    key="events",
    title=_("Courses and events"),
    template="events/_profile_section.html",
    context=participation_section,
    order=20,
)
