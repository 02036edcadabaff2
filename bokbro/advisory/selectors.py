"""Reads of the advisory log that its pages and exports share: the consultations as a table,
the topics and tours with their counts, a consultant's follow-ups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from bokbro.advisory.models import Consultation, FollowUp, Topic, Tour
from bokbro.directory.models import Agency


def consultation_table(
    consultations: QuerySet[Consultation], *, internal: bool
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the CSV and XLSX exports; internal notes only for `internal`."""
    consultations = consultations.prefetch_related("people")
    header = [
        _("Date"),
        _("Type"),
        _("Libraries"),
        _("Municipalities"),
        _("People involved"),
        _("Topics"),
        _("Consultant"),
        _("Time spent (hours)"),
        _("Course"),
        _("Summary"),
    ]
    if internal:
        header.append(_("Internal notes"))
    rows = []
    for c in consultations:
        row = [
            c.date,
            c.get_kind_display(),
            ", ".join(lib.name for lib in c.libraries.all()),
            ", ".join(m.name for m in c.municipalities.all()),
            ", ".join(p.name for p in c.people.all()),
            ", ".join(t.name for t in c.topics.all()),
            c.consultant.name or c.consultant.email,
            c.hours,
            c.event.title if c.event else "",
            c.summary,
        ]
        if internal:
            row.append(c.internal_notes)
        rows.append(row)
    return header, rows


def follow_ups_of(*, agency: Agency, owner_id: int, done: bool) -> QuerySet[FollowUp]:
    """A consultant's open follow-ups by due date, or their done ones, latest first."""
    follow_ups = FollowUp.objects.filter(agency=agency, owner_id=owner_id, done=done)
    return follow_ups.for_list().order_by("-done_at" if done else "due_date", "pk")[:200]


def topics_with_use(agency: Agency) -> QuerySet[Topic]:
    """The agency's topics, active first, each with the number of consultations about it."""
    topics = Topic.objects.filter(agency=agency)
    return topics.annotate(used=Count("consultations")).order_by("-is_active", "name")


def tours_with_counts(agency: Agency) -> QuerySet[Tour]:
    """The agency's tours, each with its planned and its done visits counted."""
    return (
        Tour.objects.filter(agency=agency)
        .select_related("consultant")
        .annotate(
            visit_count=Count("visits"),
            done_count=Count("visits", filter=Q(visits__consultation__isnull=False)),
        )
    )
