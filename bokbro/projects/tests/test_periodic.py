"""The status report reminder runs as periodic work with the time passed in; it is idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bokbro.core.models import AuditEntry
from bokbro.directory.models import TeamMember
from bokbro.projects.periodic import REMINDER_DAYS, report_reminders_send, run
from bokbro.projects.services.funding import StatusReportFields, report_create, report_update
from bokbro.projects.services.projects import ProjectFields, project_update

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


@pytest.fixture
def report(world, project):
    kari = TeamMember.objects.get(user=world.consultant)
    project_update(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=ProjectFields.of(project, contact=kari),
    )
    return report_create(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=StatusReportFields(year=2026, due_on=date(2027, 2, 1)),
    )


def test_the_contact_person_is_reminded_once_two_weeks_before(
    world, report, django_capture_on_commit_callbacks
):
    due = report.due_on
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_reminders_send(now=at(due - timedelta(days=REMINDER_DAYS + 1))) == 0
        assert report_reminders_send(now=at(due - timedelta(days=REMINDER_DAYS))) == 1
        assert report_reminders_send(now=at(due - timedelta(days=3))) == 0  # sent already
    assert [m.to for m in mail.outbox] == [["kari@ostfold.example"]]
    assert "Leselyst i Østfold" in mail.outbox[0].subject
    assert f"/projects/staff/{report.project_id}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="projects.report.reminded").count() == 1


def test_no_reminder_for_a_submitted_or_overdue_report(world, report):
    assert report_reminders_send(now=at(report.due_on + timedelta(days=1))) == 0
    report_update(
        actor=world.consultant,
        agency=world.agency,
        report=report,
        fields=StatusReportFields.of(report, submitted_on=date(2027, 1, 10)),
    )
    assert report_reminders_send(now=at(report.due_on - timedelta(days=5))) == 0


def test_a_new_due_date_gets_its_own_reminder(world, report):
    assert report_reminders_send(now=at(report.due_on - timedelta(days=2))) == 1
    report_update(
        actor=world.consultant,
        agency=world.agency,
        report=report,
        fields=StatusReportFields.of(report, due_on=date(2027, 3, 1)),
    )
    assert report_reminders_send(now=at(date(2027, 2, 20))) == 1


def test_without_a_contact_the_agencys_address_gets_it(
    world, project, django_capture_on_commit_callbacks
):
    report_create(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=StatusReportFields(year=2026, due_on=date(2027, 2, 1)),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(now=at(date(2027, 1, 30))) == {"project report reminders sent": 1}
    assert mail.outbox[0].to == ["post@ostfold.example"]


def test_the_periodic_command_reports_the_reminders(world, capsys):
    call_command("periodic")
    assert "project report reminders sent: 0" in capsys.readouterr().out


def test_the_reminder_speaks_the_contacts_language(
    world, report, django_capture_on_commit_callbacks
):
    world.consultant.language = "en"
    world.consultant.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_reminders_send(now=at(report.due_on - timedelta(days=1)))
    assert mail.outbox[0].subject.startswith("Status report due")
