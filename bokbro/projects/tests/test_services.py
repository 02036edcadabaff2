"""The rules of projects, held by the services and the database: periods in order, amounts
never negative, partners known and not repeated, funders' rules warned about, every change in
the audit log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from bokbro.core.models import AuditEntry
from bokbro.projects.models import FundingLine, Partner, Project
from bokbro.projects.selectors import funding_summary
from bokbro.projects.services.funding import (
    FunderFields,
    FundingLineFields,
    StatusReportFields,
    funder_create,
    funding_line_create,
    funding_line_delete,
    funding_line_update,
    report_create,
    report_update,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    ProjectFields,
    measure_create,
    measure_delete,
    measure_update,
    partner_add,
    partner_remove,
    partner_update,
    project_create,
    project_update,
)
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def test_a_project_takes_its_agencys_currency_and_is_logged(world):
    project = make_project(world)
    assert project.currency == "NOK"
    swedish = project_create(
        actor=world.outsider,
        agency=world.other_agency,
        fields=ProjectFields(title="Läslust"),
    )
    assert swedish.currency == "SEK"
    entry = AuditEntry.objects.for_target(project).get()
    assert entry.action == "projects.project.created" and entry.actor == world.consultant


def test_a_project_cannot_end_before_it_starts(world):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        make_project(world, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 31))
    assert "The project cannot end before it starts." in str(error.value)
    assert not Project.objects.exists()


def test_the_database_refuses_an_impossible_period_too(world, project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(ends_on=date(2020, 1, 1))


def test_an_update_logs_the_changed_fields_and_publishing(world, project):
    project_update(
        actor=world.admin,
        agency=world.agency,
        project=project,
        fields=ProjectFields.of(
            project, title="Nytt navn", is_published=True, summary=project.summary
        ),
    )
    actions = list(AuditEntry.objects.for_target(project).values_list("action", "data"))
    assert ("projects.project.published", {}) in actions
    updated = next(data for action, data in actions if action == "projects.project.updated")
    assert sorted(updated["fields"]) == ["is_published", "title"]


def test_unchanged_data_writes_nothing(world, project):
    project_update(
        actor=world.admin,
        agency=world.agency,
        project=project,
        fields=ProjectFields.of(project, title=project.title),
    )
    assert AuditEntry.objects.for_target(project).count() == 1


def test_negative_amounts_are_refused(world, project, nb_rule):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        funding_line_create(
            actor=world.consultant,
            agency=world.agency,
            project=project,
            fields=FundingLineFields(funder=nb_rule, year=2026, applied=Decimal("-1")),
        )
    assert error.value.message_dict["applied"] == ["An amount cannot be negative."]
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLine.objects.create(
            project=project, funder=nb_rule, year=2026, applied=Decimal("10"), granted=-5
        )


def test_a_funding_line_with_a_new_source_adds_it_to_the_list_once(world, project):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    fields = FundingLineFields(year=2026, applied=Decimal("1000"))
    first = funding_line_create(fields=fields, new_funder="Sparebankstiftelsen", **common)
    second = funding_line_create(fields=fields, new_funder="sparebankstiftelsen ", **common)
    assert first.funder == second.funder
    assert first.funder.agency == world.agency


def test_another_agencys_funder_cannot_fund_the_project(world, project):
    swedish = funder_create(
        actor=world.outsider,
        agency=world.other_agency,
        fields=FunderFields(name="Kulturrådet"),
    )
    with pytest.raises(ValidationError):
        funding_line_create(
            actor=world.consultant,
            agency=world.agency,
            project=project,
            fields=FundingLineFields(funder=swedish, year=2026, applied=Decimal("1")),
        )


def test_own_share_and_nasjonalbiblioteket_rule(world, project, nb_rule, own):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    funding_line_create(
        fields=FundingLineFields(funder=nb_rule, year=2026, applied=Decimal("300000")),
        **common,
    )
    line = funding_line_create(
        fields=FundingLineFields(funder=own, year=2026, applied=Decimal("245455")),
        **common,
    )
    summary = funding_summary(project)
    assert summary.own_share is not None and round(summary.own_share) == 45
    assert summary.warnings == []

    # Per's budget drops below the 40 % rule: the project page warns.
    funding_line_update(
        actor=world.consultant,
        agency=world.agency,
        line=line,
        fields=FundingLineFields.of(line, applied=Decimal("150000")),
    )
    with translation.override("en"):
        summary = funding_summary(project)
    assert round(summary.own_share) == 33
    assert summary.warnings == [
        "Nasjonalbiblioteket requires at least 40 % own funding; this project has 33.3 %."
    ]


def test_too_small_an_application_breaks_the_rule(world, project, nb_rule, own):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    funding_line_create(
        fields=FundingLineFields(funder=nb_rule, year=2026, applied=Decimal("200000")),
        **common,
    )
    funding_line_create(
        fields=FundingLineFields(funder=own, year=2026, applied=Decimal("200000")),
        **common,
    )
    with translation.override("en"):
        warnings = funding_summary(project).warnings
    assert warnings == [
        "Nasjonalbiblioteket requires at least 300,000.00\xa0NOK applied for; "
        "this project applies for 200,000.00\xa0NOK."
    ]


def test_a_granted_amount_replaces_the_applied_one_in_the_budget(world, project, nb_rule, own):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    funding_line_create(
        fields=FundingLineFields(
            funder=nb_rule, year=2026, applied=Decimal("400000"), granted=Decimal("300000")
        ),
        **common,
    )
    funding_line_create(
        fields=FundingLineFields(funder=own, year=2027, applied=Decimal("200000")),
        **common,
    )
    summary = funding_summary(project)
    assert summary.budget == Decimal("500000")
    assert summary.own_share == Decimal("40")
    assert [y.year for y in summary.years] == [2026, 2027]
    assert summary.applied == Decimal("600000") and summary.granted == Decimal("300000")


def test_funders_without_rules_never_warn(world, project):
    kulturradet = funder_create(
        actor=world.admin, agency=world.agency, fields=FunderFields(name="Kulturrådet")
    )
    funding_line_create(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=FundingLineFields(funder=kulturradet, year=2026, applied=Decimal("10")),
    )
    assert funding_summary(project).warnings == []


def test_partners_are_one_known_thing_and_never_twice(world, project):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    partner_add(fields=PartnerFields(library=world.library, role="model_library"), **common)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        partner_add(fields=PartnerFields(library=world.library), **common)
    assert "This library is already a partner." in str(error.value)
    with pytest.raises(ValidationError):
        partner_add(fields=PartnerFields(), **common)
    with pytest.raises(ValidationError):
        partner_add(
            fields=PartnerFields(library=world.library, agency=world.other_agency),
            **common,
        )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        partner_add(fields=PartnerFields(agency=world.agency), **common)
    assert "Your own agency owns the project already." in str(error.value)
    assert Partner.objects.count() == 1


def test_measures_have_periods_in_order(world, project):
    with pytest.raises(ValidationError):
        measure_create(
            actor=world.consultant,
            agency=world.agency,
            project=project,
            fields=MeasureFields(
                title="Kurs", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)
            ),
        )


def test_a_report_marked_submitted_is_logged_as_such(world, project):
    report = report_create(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=StatusReportFields(year=2026, due_on=date(2027, 2, 1)),
    )
    report_update(
        actor=world.consultant,
        agency=world.agency,
        report=report,
        fields=StatusReportFields.of(report, submitted_on=date(2027, 1, 20)),
    )
    assert (
        AuditEntry.objects.for_target(project).filter(action="projects.report.submitted").exists()
    )


def test_every_part_lands_in_the_projects_history(world, project, own):
    common = {"actor": world.consultant, "agency": world.agency}
    partner = partner_add(project=project, fields=PartnerFields(library=world.library), **common)
    partner_update(partner=partner, fields=PartnerFields.of(partner, role="pilot"), **common)
    measure = measure_create(project=project, fields=MeasureFields(title="Kurs"), **common)
    measure_update(measure=measure, fields=MeasureFields.of(measure, status="done"), **common)
    line = funding_line_create(
        project=project,
        fields=FundingLineFields(funder=own, year=2026, applied=Decimal(5)),
        **common,
    )
    funding_line_delete(line=line, **common)
    measure_delete(measure=measure, **common)
    partner_remove(partner=partner, **common)
    actions = set(AuditEntry.objects.for_target(project).values_list("action", flat=True))
    assert {
        "projects.partner.added",
        "projects.partner.updated",
        "projects.partner.removed",
        "projects.measure.created",
        "projects.measure.updated",
        "projects.measure.deleted",
        "projects.funding.created",
        "projects.funding.deleted",
    } <= actions
