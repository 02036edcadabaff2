"""Background work. Tasks take plain values (ids, strings), call services, and are enqueued
only after the surrounding transaction commits, so a worker never sees uncommitted rows."""

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
def deliver_email(
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
    """Hand one rendered message to the configured mail backend (console, SMTP …).

    An address no mail can carry, or a recipient the mail server refuses, is not a failure of
    the task (it would fail again, and stop the mails queued with it): it is reported to
    `refusal` (`core.mail.addresses.Refusal`: the row to mark) and the others get the mail."""
    refused = {address: reason for address in to if (reason := unwritable(address))}
    to = [address for address in to if address not in refused]
    sent = _send(to, refused, subject, text, html, from_email, reply_to, headers, attachments)
    for address, reason in refused.items():
        report(refusal, without_address(reason, address))
    return sent


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
