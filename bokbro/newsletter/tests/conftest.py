from __future__ import annotations

from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from bokbro.core.tests.test_emails import Inbox, free_port


class Sink(Inbox):
    """The project's SMTP inbox, which can also refuse chosen recipients: 5xx for ever, 4xx
    until `accept_later` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def recipients(self) -> list[str]:
        return [to for _from, tos, _message in self.messages for to in tos]


@pytest.fixture
def smtp_sink(settings: Any):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.NEWSLETTER_RATE_PER_MINUTE = 0
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
            sink.port = port  # type: ignore[attr-defined]
            yield sink
    finally:
        controller.stop()
