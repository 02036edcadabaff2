"""The background work of events: e-mails. Each task takes ids, is enqueued after commit by a
service (core.tasks.enqueue_on_commit) and does its work in mails.py.

django-tasks-db keeps a queued task as its dotted path (`bokbro.events.tasks.send_notices`), so a
task keeps its name and module. Tasks once defined elsewhere are still found under their old paths
(attendance_tasks.py, material_tasks.py, staff_tasks.py) for rows queued before they moved.
"""

from __future__ import annotations

from django_tasks import task

from bokbro.events import mails


@task(queue_name="email")
def notify_registration(
    *,
    registration_id: int,
    kind: str,
    reason: str = "",
    session_id: int | None = None,
    removed_sessions: list[dict[str, str]] | None = None,
    given_up: list[int] | None = None,
) -> bool:
    """Tell a participant what happened to their registration, with the calendar file
    (`session_id`: the elective session a "session_promoted" mail is about;
    `removed_sessions`: the title and start of each session a "session_removed" mail names,
    as they are gone from the database by then; `given_up`: the sessions a "sessions_changed"
    mail takes out of the participant's calendar)."""
    return mails.registration_email(
        registration_id=registration_id,
        kind=kind,
        reason=reason,
        session_id=session_id,
        removed_sessions=removed_sessions,
        given_up=given_up,
    )


@task(queue_name="email")
def send_notices(*, event_id: int) -> int:
    """Send the event's pending registration notices (the outbox, mails.notices_send)."""
    return mails.notices_send(event_id=event_id)


@task(queue_name="email")
def send_certificate(*, certificate_id: int) -> bool:
    """Tell a participant their certificate is ready, with the link to download it."""
    return mails.certificate_email(certificate_id=certificate_id)


@task(queue_name="email")
def send_evaluation(*, registration_id: int) -> bool:
    """The evaluation link to one participant, in their language."""
    return mails.evaluation_email(registration_id=registration_id)


@task(queue_name="email")
def announce_material(*, registration_id: int, material_id: int) -> bool:
    """New material, to one confirmed participant."""
    return mails.material_email(registration_id=registration_id, material_id=material_id)


@task(queue_name="email")
def email_participant(*, registration_id: int, subject: str, message: str) -> bool:
    """One message from the organiser to one participant, in the participant's language."""
    return mails.participant_email(
        registration_id=registration_id, subject=subject, message=message
    )
