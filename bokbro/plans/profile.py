"""The library plan section of the library (and municipality) profile (directory/profile.py).

It shows the municipality's library plan as the viewer's agency registered it, with its status
under KB's rule this year and the "expires soon" flag (scenario 2: Sven sees that his
municipality's plan expires next year), and the annual dialogues the agency held with the
municipality: date, summary and the status per regional goal.

It reads in two queries (the plans, the dialogues) plus one for the dialogues' goal statuses
when there are dialogues, whatever their number. The agency's staff also see the
answers, who took part and the internal notes; nobody else ever does.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.plans.kb import municipality_row
from bokbro.plans.models import Dialogue, DialogueGoalStatus, MunicipalPlan

LATEST_DIALOGUES = 5


def plans_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    municipality = subject.municipality
    if viewer.agency is None or municipality is None:
        return None
    plans = list(MunicipalPlan.objects.of(viewer.agency).filter(municipality=municipality))
    dialogues = list(
        Dialogue.objects.filter(agency=viewer.agency, municipality=municipality)
        .select_related("consultant")
        .prefetch_related(
            Prefetch("goal_statuses", queryset=DialogueGoalStatus.objects.select_related("goal"))
        )
        .order_by("-year", "-pk")[:LATEST_DIALOGUES]
    )
    if not plans and not dialogues and not viewer.internal:
        return None
    year = timezone.localdate().year
    return {
        "row": municipality_row(municipality, plans, year),
        "dialogues": dialogues,
        "internal": viewer.internal,
        "year": year,
    }


SECTION = ProfileSection(
    key="plans",
    title=_("Library plan and annual dialogue"),
    template="plans/_profile_section.html",
    context=plans_section,
    order=30,
)
