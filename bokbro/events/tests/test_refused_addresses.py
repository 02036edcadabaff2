"""A mail that cannot be delivered because of its address — the mail server refuses the
recipient, or the address cannot be written in a message at all — is marked on the registration
("address refused", with the reason) and shown to the organiser; the sending goes on for the
others. Through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from bokbro.events.mails import notices_send
from bokbro.events.models import Registration
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

UNKNOWN = "finnesikke@example.org"


class Server:
    """Accepts every recipient but UNKNOWN (550, as a mail server says of a mailbox it does
    not have), and keeps every message it accepts."""

    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == UNKNOWN:
            return f"550 5.1.1 <{UNKNOWN}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Server()
    controller = Controller(server, hostname="127.0.0.1", port=port)
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
        ):
            yield server
    finally:
        controller.stop()


def test_refused_addresses_are_marked_and_the_others_get_their_mail(world, smtp, client_for):
    event = make_event(world.agency)
    # Older rows, or rows from a path that did not check the address, may hold anything.
    addresses = [
        "kari@example.org",
        UNKNOWN,
        "ola\x01@example.org",  # a control character: no mail can carry it
        "åse@example.org",  # a non-ASCII mailbox: SMTP without SMTPUTF8 cannot carry it
        "per@example.org",
    ]
    registrations = [
        registration_create(event=event, name=f"Deltaker {i}", email=address, organisation="X")
        for i, address in enumerate(addresses)
    ]
    smtp.delivered.clear()

    assert notices_send(event_id=event.pk) == len(addresses)  # the task did not stop

    assert sorted(smtp.delivered) == ["kari@example.org", "per@example.org"]
    marked = {
        r.email: r.address_refusal
        for r in Registration.objects.filter(pk__in=[r.pk for r in registrations])
        if r.address_refused_at is not None
    }
    assert set(marked) == {UNKNOWN, "ola\x01@example.org", "åse@example.org"}
    assert marked[UNKNOWN].startswith("550 5.1.1")
    assert UNKNOWN not in marked[UNKNOWN]  # the reason, not the address again
    assert not Registration.objects.filter(event=event).exclude(notice="").exists()

    page = client_for(world.consultant, language="en").get(
        f"/staff/events/{event.pk}/participants/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Address refused") == 3
    assert "User unknown" in html


def test_a_later_mail_to_a_refused_address_does_not_stop_either(world, smtp):
    from bokbro.events.mails import registration_email

    event = make_event(world.agency)
    registration = registration_create(event=event, name="Ukjent", email=UNKNOWN, organisation="X")
    notices_send(event_id=event.pk)
    registration.refresh_from_db()
    first = registration.address_refused_at
    assert first is not None
    # Another mail (a reminder, a change): the same refusal, no crash, the mark stays.
    assert registration_email(registration_id=registration.pk, kind="confirmed", on_commit=False)
    registration.refresh_from_db()
    assert registration.address_refused_at is not None


def test_anonymising_clears_the_refusal(world, smtp):
    from datetime import timedelta

    from django.utils import timezone

    from bokbro.events.periodic import registrations_anonymise

    event = make_event(world.agency, retention_months=1)
    registration = registration_create(event=event, name="Ukjent", email=UNKNOWN, organisation="X")
    notices_send(event_id=event.pk)
    registrations_anonymise(now=timezone.now() + timedelta(days=400))
    registration.refresh_from_db()
    assert registration.anonymised and registration.address_refusal == ""
    assert registration.address_refused_at is None
