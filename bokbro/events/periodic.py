"""Periodic work for events, run by `bokbro periodic` (every few minutes, from cron/systemd or
the demo's `serve`). Each job is idempotent: running it twice does nothing the second time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bokbro.core import ratelimits
from bokbro.core.audit import audit_log
from bokbro.core.periodic import each
from bokbro.events.models import Event, EventStatus, Registration, RegistrationStatus
from bokbro.events.services import seat_groups, seats
from bokbro.events.services.approvals import approval_digests_send
from bokbro.events.services.notices import _notify, notices_send_pending
from bokbro.events.services.places import holds_lapse, offers_expire
from bokbro.events.services.privacy import registrations_anonymise as registrations_anonymise_rows

MAX_REMINDER_DAYS = 60


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind confirmed participants `reminder_hours` before the event starts."""
    now = now or timezone.now()
    candidates = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        reminder_sent_at__isnull=True,
        reminder_hours__gt=0,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=MAX_REMINDER_DAYS),
    ).only("pk", "starts_at", "reminder_hours")
    # Compared as a length of time, which cannot overflow as a date could.
    due = [
        event
        for event in candidates
        if event.starts_at - now <= timedelta(hours=event.reminder_hours)
    ]
    sent: list[int] = []

    def remind(event: Event) -> None:
        # Claim the event with a conditional UPDATE: two workers never both send.
        claimed = Event.objects.filter(pk=event.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            return
        ids = list(
            Registration.objects.filter(
                event_id=event.pk, status=RegistrationStatus.CONFIRMED
            ).values_list("pk", flat=True)
        )
        for registration_id in ids:
            _notify(registration_id, "reminder")
        sent.append(len(ids))

    each("events: send reminders", due, remind)
    return sum(sent)


def retention_over(event: Event, now: datetime) -> bool:
    """Whether `retention_months` (30 days each) have passed since the event ended; counted in
    whole days, so no number of months the database can hold overflows a date."""
    return (now - event.ends_at).days >= 30 * event.retention_months


def registrations_anonymise(*, now: datetime | None = None) -> int:
    """Delete participants' personal data `retention_months` after the event, keeping counts
    (status, library) for reports."""
    now = now or timezone.now()
    count: list[int] = []
    ended = Event.objects.filter(anonymised_at__isnull=True, ends_at__lt=now).select_related(
        "agency"
    )

    def anonymise(event: Event) -> None:
        anonymised = registrations_anonymise_rows(Registration.objects.filter(event=event))
        Event.objects.filter(pk=event.pk).update(anonymised_at=now)
        audit_log(
            action="events.event.anonymised",
            agency=event.agency,
            target=event,
            data={"registrations": anonymised},
        )
        count.append(anonymised)

    each(
        "events: anonymise registrations",
        [event for event in ended if retention_over(event, now)],
        anonymise,
    )
    return sum(count)


def group_seats_open(*, now: datetime | None = None) -> int:
    """Events whose seats kept for groups opened to all: the waiting list moves up into them."""
    now = now or timezone.now()
    promoted: list[int] = []
    each(
        "events: open group seats",
        list(seats.due_for_opening(now)),
        lambda event: promoted.extend(seat_groups.group_seats_open(event, now)),
    )
    return len(promoted)


def run(now: datetime | None = None) -> dict[str, int]:
    return {
        "registration notices sent": notices_send_pending(),
        "group seats opened (places given)": group_seats_open(now=now),
        "event reminders sent": reminders_send(now=now),
        "seat offers expired": offers_expire(now=now),
        "unconfirmed places released": holds_lapse(now=now),
        # After the offers: a seat an expired offer passed on may now wait for approval.
        "approval digests sent": approval_digests_send(now=now),
        "registrations anonymised": registrations_anonymise(now=now),
        # The registrations' rate-limit counts of periods that ended (core/ratelimits.py).
        "rate counts pruned": ratelimits.prune(now=now),
    }
