"""The background work of the competence module: the invitation mails (work in mails.py)."""

from __future__ import annotations

from django_tasks import task

from bokbro.competence import mails


@task(queue_name="email")
def send_invitation(*, invitation_id: int, reminder: bool = False) -> bool:
    """The personal link (or the one reminder) to one invited person, in their language."""
    return mails.invitation_email(invitation_id=invitation_id, reminder=reminder)
