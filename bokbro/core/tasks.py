"""Background work. Tasks take ids, look up what they need when they run, and are enqueued
only after the surrounding transaction commits, so a worker never sees uncommitted rows and
the queue (whose rows and results are kept for a while) holds no personal data."""

from __future__ import annotations

import base64
import functools
import smtplib
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django_tasks import task

from bokbro.core.mail.addresses import report, unwritable, without_address


def enqueue_on_commit(the_task: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(functools.partial(the_task.enqueue, *args, **kwargs), robust=False)


@task(queue_name="email")
def deliver_email(*, mail_id: int | None = None, **legacy: Any) -> int:
    """Hand one message (`core.models.OutgoingMail`, by id) to the configured mail backend
    (console, SMTP …), then delete it: the message's text and personal links are kept only until
    the mail server has it, and the queue's rows hold nothing but the id.

    An address no mail can carry, or a recipient the mail server refuses, is not a failure of
    the task (it would fail again, and stop the mails queued with it): it is reported to the
    message's refusal (`core.mail.addresses.Refusal`: the row to mark) and the others get the
    mail. A row already gone (the task ran again after sending) sends nothing.

    `legacy`: a task queued before messages were kept apart carries the message itself."""
    from bokbro.core.models import OutgoingMail

    if mail_id is None:
        return _deliver(**legacy)
    message = OutgoingMail.objects.filter(pk=mail_id).first()
    if message is None:
        return 0
    sent = _deliver(
        to=message.recipients,
        subject=message.subject,
        text=message.text,
        html=message.html or None,
        from_email=message.from_email or None,
        reply_to=message.reply_to,
        headers=message.headers,
        attachments=message.attachments,
        refusal=message.refusal,
    )
    # Not held under a lock while the mail server answers (on SQLite that would stop every
    # other write): the queue runs a task once, and a message sent is then deleted.
    OutgoingMail.objects.filter(pk=mail_id).delete()
    return sent


def _deliver(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None,
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    refusal: list[Any] | None = None,
) -> int:
    refused = {address: reason for address in to if (reason := unwritable(address))}
    to = [address for address in to if address not in refused]
    sent = _send(to, refused, subject, text, html, from_email, reply_to, headers, attachments)
    for address, reason in refused.items():
        report(refusal, without_address(reason, address))
    return sent


def queue_message(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    refusal: list[Any] | None = None,
    on_commit: bool = True,
) -> None:
    """Keep a rendered message (in the caller's transaction) and queue its delivery: after
    commit, or with `on_commit=False` at once (a database queue then commits the delivery with
    the caller's own writes)."""
    from bokbro.core.models import OutgoingMail

    message = OutgoingMail.objects.create(
        recipients=to,
        subject=subject,
        text=text,
        html=html or "",
        from_email=from_email or "",
        reply_to=reply_to or [],
        headers=headers or {},
        attachments=attachments or [],
        refusal=refusal,
    )
    if on_commit:
        enqueue_on_commit(deliver_email, mail_id=message.pk)
    else:
        deliver_email.enqueue(mail_id=message.pk)


def _send(
    to: list[str],
    refused: dict[str, str],
    subject: str,
    text: str,
    html: str | None,
    from_email: str | None,
    reply_to: list[str] | None,
    headers: dict[str, str] | None,
    attachments: list[dict[str, str]] | None,
) -> int:
    if not to:
        return 0
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=to,
        reply_to=reply_to or [],
        headers=headers or {},
        connection=get_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments or []:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    try:
        return message.send()
    except smtplib.SMTPRecipientsRefused as error:  # every recipient refused at RCPT
        for address, (code, answer) in error.recipients.items():
            text_of = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
            refused[address] = f"{code} {text_of}"
        return 0
