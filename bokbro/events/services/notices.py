"""What participants are told, the services' side: the notification outbox, the e-mails about a
registration queued after commit, and the organiser's e-mail to the participants.

A new registration's confirmation (or waiting-list) e-mail is not a task of its own: the
registration row is the outbox (`Registration.notice`, written by the same statement that
registers), and one `send_notices` task per event and short window sends every pending notice
(`mails.notices_send`). `Event.notices_queued`, set under the event's row lock, says that task is
already queued. A burst of 1,000 registrations thus queues a handful of tasks instead of 1,000
(docs/concurrency.md, docs/performance.md). Every other e-mail about a registration is a
`notify_registration` task of its own, queued after whatever notice of that registration is
still in the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.mails import notices_send
from bokbro.events.models import Event, Registration, RegistrationStatus
from bokbro.events.selectors import one_per_person
from bokbro.events.tasks import email_participant, notify_registration, send_notices

# How long a queued task waits, gathering the notices of a burst, where the task backend can
# defer (the database queue can; the immediate backend of tests and the demo sends at once).
NOTICE_DELAY = timedelta(seconds=1)


def _queue_notices(event_id: int) -> None:
    """Queue, after commit, the task that sends the event's pending notices."""
    task = send_notices
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + NOTICE_DELAY)
    enqueue_on_commit(task, event_id=event_id)


def _flush_notices(registrations: QuerySet[Registration]) -> None:
    """Queue the pending notices of these registrations as tasks of their own, now (after
    commit), and take them out of the outbox; a later notice then follows them."""
    pending = list(registrations.select_for_update().exclude(notice="").values_list("pk", "notice"))
    if not pending:
        return
    Registration.objects.filter(pk__in=[pk for pk, _kind in pending]).update(notice="")
    for pk, kind in pending:
        enqueue_on_commit(notify_registration, registration_id=pk, kind=kind)


def _notify(registration_id: int, kind: str, *, outbox_flushed: bool = False, **extra: Any) -> None:
    """Tell the participant after commit. A notice of theirs still in the outbox (a
    confirmation not sent yet) is queued first, so the e-mails arrive in the order things
    happened. Caller holds a transaction."""
    if not outbox_flushed:
        _flush_notices(Registration.objects.filter(pk=registration_id))
    enqueue_on_commit(notify_registration, registration_id=registration_id, kind=kind, **extra)


def notices_send_pending() -> int:
    """The safety net (`bokbro periodic`): send what a lost or crashed task left pending."""
    event_ids = Event.objects.filter(
        Q(notices_queued=True)
        | Q(pk__in=Registration.objects.exclude(notice="").values("event_id"))
    ).values_list("pk", flat=True)
    return sum(notices_send(event_id=pk) for pk in list(event_ids))


# --- The organiser's e-mail to the participants -------------------------------------------


@transaction.atomic
def participants_email(
    *,
    actor: Actor,
    agency: Agency,
    event: Event,
    statuses: Iterable[str],
    subject: str,
    message: str,
) -> int:
    """Queue one e-mail per participant with one of `statuses` (after commit); returns how many.

    A person with several registrations (cancelled, then registered again) gets one mail, about
    their latest registration."""
    statuses = [s for s in statuses if s in RegistrationStatus.values]
    recipients = one_per_person(event.registrations.filter(status__in=statuses))
    if not recipients:
        return 0
    audit_log(
        action="events.event.emailed",
        actor=actor,
        agency=agency,
        target=event,
        data={"statuses": sorted(statuses), "recipients": len(recipients), "subject": subject},
    )
    for registration_id in recipients:
        enqueue_on_commit(
            email_participant, registration_id=registration_id, subject=subject, message=message
        )
    return len(recipients)
