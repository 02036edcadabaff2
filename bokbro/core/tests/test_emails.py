"""`send_email()` delivers through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime
import email
import socket
from email import policy
from pathlib import Path
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.test import override_settings

from bokbro.core.emails import send_email

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = [
    {
        **settings.TEMPLATES[0],
        "DIRS": [
            *cast(list[Path], settings.TEMPLATES[0]["DIRS"]),
            Path(__file__).parent / "templates",
        ],
    }
]
CONTEXT = {"event": "Bokbad", "when": datetime.date(2025, 1, 15)}


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
            TEMPLATES=TEST_TEMPLATES,
        ):
            yield inbox
    finally:
        controller.stop()


def parts(message: email.message.EmailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_attachment()
    }


def test_mail_reaches_the_smtp_server_with_text_and_html(
    world, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to="kari@ostfold.example",
            template="test_message",
            context=CONTEXT,
            agency=world.agency,
        )

    assert len(smtp_server.messages) == 1
    mail_from, recipients, message = smtp_server.messages[0]
    assert recipients == ["kari@ostfold.example"]
    assert message["Subject"] == "Bokbad, 15 januar 2025"
    assert message["Reply-To"] == "post@ostfold.example"
    assert mail_from == "noreply@bokbro.localhost"
    body = parts(message)
    assert body["text/plain"].startswith("Bokbad, 15 januar 2025.")
    assert "Bibliotekutvikling Østfold" in body["text/plain"]
    assert "<strong>Bokbad</strong>" in body["text/html"]


def test_mail_is_in_the_agency_language_unless_the_recipient_has_one(
    world, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to="johan@jonkoping.example",
            template="test_message",
            context=CONTEXT,
            agency=world.other_agency,
        )
        send_email(
            to="johan@jonkoping.example",
            template="test_message",
            context=CONTEXT,
            agency=world.other_agency,
            language="en",
        )

    subjects = [message["Subject"] for _from, _to, message in smtp_server.messages]
    assert subjects == ["Bokbad, 15 januari 2025", "Bokbad, 15 January 2025"]


def test_attachments_arrive_intact(world, smtp_server, django_capture_on_commit_callbacks):
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Bokbad på biblioteket\r\nEND:VCALENDAR\r\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to=["a@example.org", "b@example.org"],
            template="test_message",
            context=CONTEXT,
            agency=world.agency,
            attachments=[("bokbad.ics", calendar, "text/calendar")],
        )

    _from, recipients, message = smtp_server.messages[0]
    assert recipients == ["a@example.org", "b@example.org"]
    (attachment,) = [part for part in message.walk() if part.is_attachment()]
    assert attachment.get_filename() == "bokbad.ics"
    assert attachment.get_content_type() == "text/calendar"
    content = attachment.get_content()
    assert (content if isinstance(content, str) else content.decode()).replace(
        "\r\n", "\n"
    ) == calendar.replace("\r\n", "\n")


def test_nothing_is_sent_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    with (
        override_settings(TEMPLATES=TEST_TEMPLATES),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        send_email(
            to="kari@ostfold.example",
            template="test_message",
            context=CONTEXT,
            agency=world.agency,
        )

    # The transaction has not committed, so the mail is only queued to go after it.
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_mail_says_which_language_it_is_written_in(world):
    """Screen readers read a Swedish mail with a Swedish voice: the layout's <html lang>."""
    from bokbro.core.emails import render_email

    context = {"agency": world.other_agency, "event": "Bokbad", "when": datetime.date(2025, 1, 15)}
    for language in ("sv", "nn", "en"):
        _subject, _text, html = render_email(
            "classsets/basket_overdue", {**context, "bookings": [], "first": None}, language
        )
        assert f'<html lang="{language}">' in html
