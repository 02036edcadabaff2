"""One way to send e-mail: `send_email()` renders three templates (subject, text, HTML) in the
recipient's language and queues delivery after commit."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from bokbro.core.mail.addresses import Refusal
from bokbro.core.tasks import queue_message

if TYPE_CHECKING:
    from bokbro.directory.models import Agency


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    # The mail's <html lang> is the language it is written in (there is no request here).
    context = {"LANGUAGE_CODE": language, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), text, html


def send_email(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    agency: Agency | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
    on_commit: bool = True,
    refusal: Refusal | None = None,
    sender_name: str | None = None,
    reply_to: str | None = None,
) -> None:
    """Queue the message for delivery after the surrounding transaction commits; with
    `on_commit=False`, inside it (a database task queue then commits the delivery with the
    caller's own writes: an outbox marks a notice sent and queues its mail atomically).
    `refusal` names the row to mark when the address is refused (core/mail/addresses.py).
    `sender_name` replaces the name shown as the sender (a network's mail to its members comes
    from the network), the address stays the install's; `reply_to` replaces the agency's."""
    recipients = [to] if isinstance(to, str) else list(to)
    language = language or (agency.language if agency else settings.LANGUAGE_CODE)
    # Links in the mail lead to the agency's own site (its host), not to one install-wide host.
    site_root = agency.base_url if agency is not None else settings.SITE_ROOT.rstrip("/")
    context = {"agency": agency, "site_root": site_root, **context}
    subject, text, html = render_email(template, context, language)
    from_email = settings.DEFAULT_FROM_EMAIL
    if sender_name:
        from_email = formataddr((sender_name, parseaddr(from_email)[1]))
    replies = [reply_to] if reply_to else [agency.email] if agency and agency.email else None
    encoded = [
        {
            "filename": name,
            "content": base64.b64encode(
                content.encode("utf-8") if isinstance(content, str) else content
            ).decode("ascii"),
            "mimetype": mimetype,
        }
        for name, content, mimetype in attachments
    ]
    queue_message(
        to=recipients,
        subject=subject,
        text=text,
        html=html,
        from_email=from_email,
        reply_to=replies,
        headers=headers or {},
        attachments=encoded,
        refusal=list(refusal) if refusal is not None else None,
        on_commit=on_commit,
    )
