"""Sending an issue through a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, failures,
retries, claims and the throttle."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.utils import timezone

from bokbro.core.tests.test_emails import parts
from bokbro.directory.models import LibraryRoleKind
from bokbro.events.tests.conftest import make_event
from bokbro.newsletter import selectors, sending
from bokbro.newsletter.marks import Marks
from bokbro.newsletter.models import (
    Delivery,
    DeliveryStatus,
    IssueStatus,
    ListKind,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.services import issues, recipients, subscriptions
from bokbro.newsletter.tests.helpers import make_issue, make_list, make_subscriber

pytestmark = pytest.mark.django_db


def send_now(world, issue, callbacks):
    with callbacks(execute=True):
        issues.issue_schedule(actor=world.consultant, agency=world.agency, issue=issue, when=None)
    issue.refresh_from_db()
    return issue


def test_every_confirmed_subscriber_gets_one_mail_with_one_click_unsubscribe(
    world, smtp_sink, client_for, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency)
    for email in ["a@example.org", "b@example.org", "c@example.org"]:
        make_subscriber(newsletter, email, language="en" if email == "c@example.org" else "")
    make_subscriber(newsletter, "pending@example.org", status=SubscriberStatus.PENDING)
    make_subscriber(newsletter, "gone@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    event = make_event(world.agency, title="Bokprat for barn")
    issue = make_issue(newsletter, "Vårens kurs", intro="Hei alle!")
    issue.events.set([event])

    issue = send_now(world, issue, django_capture_on_commit_callbacks)

    assert sorted(smtp_sink.recipients()) == ["a@example.org", "b@example.org", "c@example.org"]
    assert issue.status == IssueStatus.SENT
    assert issue.recipients_count == 3
    by_recipient = {tos[0]: message for _from, tos, message in smtp_sink.messages}
    message = by_recipient["a@example.org"]
    assert message["Subject"] == "Vårens kurs"
    assert message["From"] == "Bibliotekutvikling Østfold <noreply@bokbro.localhost>"
    assert message["Reply-To"] == "post@ostfold.example"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe.startswith("http://ostfold.testserver:8000/newsletter/unsubscribe/")
    assert message["Message-ID"].startswith(f"<newsletter.{issue.pk}.")
    body = parts(message)
    # Both parts carry the same links: the article link as written (no rewriting), the event,
    # the unsubscribe link of the header, and the preference page.
    for part in ("text/plain", "text/html"):
        assert "https://example.org/kurs" in body[part]
        assert f"http://ostfold.testserver:8000/events/{event.pk}/" in body[part]
        assert unsubscribe in body[part]
        assert "/newsletter/preferences/" in body[part]
    assert "Bokprat for barn" in body["text/html"]
    assert "<h2>Kurs</h2>" in body["text/html"]
    assert "<img" not in body["text/html"]  # no tracking pixel
    # The recipient's language for the chrome.
    assert "Unsubscribe" in parts(by_recipient["c@example.org"])["text/plain"]
    # Each recipient's own link: a's link does not unsubscribe b.
    assert parts(by_recipient["b@example.org"])["text/plain"].count(unsubscribe) == 0

    # A mail program's one-click unsubscribe (RFC 8058): a POST without cookies or CSRF token.
    response = client_for(None).post(urlparse(unsubscribe).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    a = Subscriber.objects.get(email="a@example.org")
    assert a.status == SubscriberStatus.UNSUBSCRIBED
    assert a.unsubscribed_issue == issue
    assert issue.unsubscribes.count() == 1


def test_a_refused_address_is_recorded_with_its_reason_and_a_busy_one_is_retried(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency)
    for email in ["ok@example.org", "bounce@example.org", "later@example.org"]:
        make_subscriber(newsletter, email)
    smtp_sink.refuse = {
        "bounce@example.org": "550 5.1.1 No such user",
        "later@example.org": "451 4.3.0 Try again later",
    }

    issue = send_now(world, make_issue(newsletter), django_capture_on_commit_callbacks)

    assert smtp_sink.recipients() == ["ok@example.org"]
    bounce = Delivery.objects.get(email="bounce@example.org")
    assert bounce.status == DeliveryStatus.FAILED
    assert bounce.error.startswith("550")
    later = Delivery.objects.get(email="later@example.org")
    assert later.status == DeliveryStatus.PENDING
    assert later.attempts == 1
    assert later.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert issue.status == IssueStatus.SENDING

    # Not before its time; then it goes, and the issue is done.
    assert sending.send_pending().sent == 0
    smtp_sink.refuse = {}
    Delivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now())
    assert sending.send_pending().sent == 1
    later.refresh_from_db()
    assert later.status == DeliveryStatus.SENT
    assert later.attempts == 2
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert sorted(smtp_sink.recipients()) == ["later@example.org", "ok@example.org"]


def test_a_segment_reaches_the_managers_of_the_region_except_who_unsubscribed(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    from bokbro.directory.models import LibraryRole, Person

    sven = Person.objects.create(name="Sven", email="sven@varnamo.example")
    LibraryRole.objects.create(person=sven, library=world.swedish_library, role="manager")
    managers = make_list(
        world.agency,
        "Biblioteksjefer",
        kind=ListKind.SEGMENT,
        segment_roles=[LibraryRoleKind.MANAGER],
    )
    subscriptions.list_unsubscribe(mailing_list=managers, email="MARTE@sarpsborg.example")

    send_now(world, make_issue(managers), django_capture_on_commit_callbacks)

    # Ola manages Fredrikstad; Aisha is staff; Sven is in another agency's region.
    assert smtp_sink.recipients() == ["ola@fredrikstad.example"]


def test_a_segment_by_municipality_and_library_type(world):
    people = make_list(
        world.agency,
        "Fredrikstad",
        kind=ListKind.SEGMENT,
        segment_library_kinds=["main"],
    )
    people.segment_municipalities.set([world.municipality])
    emails = sorted(e for e, _n, _l in selectors.list_recipients(people))
    assert emails == ["aisha@fredrikstad.example", "ola@fredrikstad.example"]


def test_two_workers_claim_different_rows_and_a_stale_claim_is_taken_over(world, settings):
    issue = make_issue(make_list(world.agency), status=IssueStatus.SENDING)
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, email=f"p{i}@example.org") for i in range(10)]
    )
    now = timezone.now()
    first = sending.deliveries_claim(worker="one", limit=6, now=now)
    second = sending.deliveries_claim(worker="two", limit=6, now=now)
    assert len(first) == 6 and len(second) == 4
    assert not set(first) & set(second)
    assert sending.deliveries_claim(worker="three", limit=6, now=now) == []
    # "one" died; once its lease ran out its rows are free again, "two"'s renewed one is not.
    later = now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS + 1)
    Delivery.objects.filter(claimed_by="two").update(claimed_at=later)
    assert sorted(sending.deliveries_claim(worker="three", limit=20, now=later)) == sorted(first)
    assert sending.issues_needing_a_worker(now=now) == []


def test_the_rate_per_minute_spaces_the_messages(world, smtp_sink):
    newsletter = make_list(world.agency)
    for i in range(4):
        make_subscriber(newsletter, f"p{i}@example.org")
    recipients.issue_start(issue=make_issue(newsletter))

    started = time.monotonic()
    counts = sending.send_pending(rate_per_minute=600)  # one every 0.1 s

    assert counts.sent == 4
    assert time.monotonic() - started >= 0.3


def test_a_test_copy_goes_only_to_the_staff_member(
    world, smtp_sink, client_for, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "a@example.org")
    issue = make_issue(newsletter, "Utkast")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.consultant).post(f"/newsletter/staff/issues/{issue.pk}/test/")

    assert response.status_code == 302
    assert smtp_sink.recipients() == ["kari@ostfold.example"]
    message = smtp_sink.messages[0][2]
    assert message["Subject"] == "[Test] Utkast" or message["Subject"].endswith("Utkast")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_an_unreachable_server_leaves_the_rows_for_a_retry(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    from bokbro.core.tests.test_emails import free_port

    settings.EMAIL_PORT = free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "a@example.org")
    issue = make_issue(newsletter)
    recipients.issue_start(issue=issue)

    counts = sending.send_pending()

    assert counts.sent == 0 and counts.retried == 1
    delivery = issue.deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.claimed_at is None
    assert "ConnectionRefused" in delivery.error


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit: PostgreSQL")
def test_on_postgresql_the_loop_marks_without_waiting_for_the_disk_and_then_stops(
    world, smtp_sink, monkeypatch
):
    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "a@example.org")
    recipients.issue_start(issue=make_issue(newsletter))
    during = []
    add = Marks.add

    def add_noting_the_setting(self: Marks, pk: int, *, at: datetime) -> None:
        self.wait()
        during.append(synchronous_commit())
        add(self, pk, at=at)

    monkeypatch.setattr(Marks, "add", add_noting_the_setting)

    assert sending.send_pending().sent == 1

    assert during == ["off"]
    assert synchronous_commit() == "on"  # the task worker's other work waits for the disk
