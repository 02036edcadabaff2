"""The link the competence module adds to an event's staff page (read by
events.views.staff.module_links): the built-in evaluation, with its answers so far."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bokbro.competence.models import Survey


def links(event: Any) -> list[tuple[str, str]]:
    url = reverse("competence:event_evaluation", args=[event.pk])
    survey = (
        Survey.objects.filter(event=event)
        .annotate(
            invited=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__answered=True)),
        )
        .first()
    )
    if survey is None:
        return [(_("Add a built-in evaluation"), url)]
    return [
        (
            _("Built-in evaluation: %(answered)s of %(invited)s answered")
            % {"answered": survey.answered, "invited": survey.invited},  # type: ignore[attr-defined]
            url,
        )
    ]
