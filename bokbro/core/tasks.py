"""Background work. Tasks take plain values (ids, strings), call services, and are enqueued
only after the surrounding transaction commits, so a worker never sees uncommitted rows."""

from __future__ import annotations

import base64
import functools
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django_tasks import task


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
) -> int:
    """Hand one rendered message to the configured mail backend (console, SMTP …)."""
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
    return message.send()
