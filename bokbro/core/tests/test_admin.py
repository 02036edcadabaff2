"""Every model of every Bokbro app is in the Django admin, or is left out for a reason written
here: an operator looking for a row finds it, or finds out why not."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from bokbro.core.admin import ReadOnlyAdmin

INLINE = "edited as an inline of its parent"
NOT_IN_ADMIN: dict[str, str] = {
    "directory.LibraryRole": INLINE + " (Person)",
    "directory.TeamMember": INLINE + " (Agency)",
    "events.Session": INLINE + " (Event)",
    "events.Question": INLINE + " (Event)",
    "core.RateCount": "rate limit counters of the last minutes, kept and pruned by core.ratelimits",
    "core.OutgoingMail": "a message only until it is delivered; its text and links are personal",
    "mobile.TimetableVersion": "a counter the public pages are kept by; nothing to read or edit",
    "events.LibraryQuotaUse": "the seat accounting's own counter, kept by the registration service",
    "events.SeatPool": "a group's kept seats, changed on the event's seats page under its lock",
    "classsets.RouteLibrary": INLINE + " (CourierRoute), read-only",
    "events.SessionPlace": "a place in a workshop, kept by its service under the event's lock",
    "events.Material": "part of an event, changed on its staff pages (files leave storage there)",
    "events.BudgetLine": "part of an event's economy, changed and exported on its staff pages",
    "events.Attendance": "marked on the attendance pages, which issue the certificates from it",
    "events.Certificate": "issued from attendance by a service; numbered and never edited",
    "events.ApproverDigest": "when each approver was last sent a digest, kept by the job",
    "events.ApprovalNotice": "which approver heard of which place, kept by the job",
    "competence.Section": "part of a survey, built on its staff page",
    "competence.Question": "part of a survey, built on its staff page",
    "competence.Invitation": "a personal link: its token would let an operator answer",
    "competence.Draft": "a respondent's half-filled answer, theirs until sent",
    "competence.Response": "survey answers: read as results and exports, never row by row",
    "competence.Answer": "survey answers: read as results and exports, never row by row",
    "competence.PlanArea": "part of a competence development plan",
    "advisory.FollowUp": "part of a consultation, changed on its page",
    "advisory.FollowUpReminder": "the reminders' record of what was sent, kept by the job",
    "advisory.PlannedVisit": "part of a tour, planned on its page",
    # The plans app is being split (issue 11); its admin registers the plan, municipal plans
    # and dialogues, and these are their parts, changed on the staff pages.
    "plans.FocusArea": "part of a plan",
    "plans.Goal": "part of a plan",
    "plans.Strategy": "part of a plan",
    "plans.Action": "part of a plan",
    "plans.Indicator": "part of a plan",
    "plans.IndicatorValue": "part of a plan's follow-up",
    "plans.DialogueTemplate": "part of the annual dialogues",
    "plans.DialogueGoalStatus": "part of an annual dialogue",
}


def bokbro_models() -> list[str]:
    return [
        f"{config.label}.{model.__name__}"
        for config in apps.get_app_configs()
        if config.name.startswith("bokbro.")
        for model in config.get_models()
    ]


def test_every_model_is_in_the_admin_or_left_out_for_a_reason() -> None:
    missing = [
        name
        for name in bokbro_models()
        if not admin.site.is_registered(apps.get_model(name)) and name not in NOT_IN_ADMIN
    ]
    assert not missing, (
        "register these models in their app's admin.py (read-only if a service changes them), "
        f"or say in NOT_IN_ADMIN why they are not there: {missing}"
    )


def test_the_reasons_name_only_models_that_exist_outside_the_admin() -> None:
    names = set(bokbro_models())
    wrong = {
        name
        for name in NOT_IN_ADMIN
        if name not in names or admin.site.is_registered(apps.get_model(name))
    }
    assert not wrong, f"NOT_IN_ADMIN names models that are gone or registered: {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["projects", "newsletter"])
def test_objects_with_rules_are_read_only_in_the_admin(label: str, admin_client) -> None:
    for model in apps.get_app_config(label).get_models():
        assert isinstance(admin.site.get_model_admin(model), ReadOnlyAdmin), model
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist, {"q": "lese"}).status_code == 200, changelist
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client.get(add).status_code == 403, add
