"""One small interface for handing a prepared message to a mail server and hearing its answer.

    transport = SmtpTransport(SmtpServer(host="smtp.example.org", port=587, use_tls=True, …))
    answer = transport.send(sender="a@x.no", recipient="b@y.no", message=raw_bytes)
    answer.accepted  # the server said 2xx: it has taken responsibility for the message
    transport.close()

- `send` opens the connection on first use (TLS, login) and keeps it for the next message.
- A refusal (at MAIL, RCPT or after the data) is an `Answer` with the server's code and text;
  the connection stays usable. `Answer.permanent` (5xx) means sending again will not help.
- A connection that cannot be opened or that breaks raises `ConnectionLost`: whether the
  server kept the message in flight is unknown, so a caller that must not lose it sends it
  again later.

`SmtpTransport` speaks SMTP with `smtplib`. `BackendTransport` hands the message to a Django
mail backend instead (console, file, the tests' outbox) for installs without an SMTP server.
"""

from __future__ import annotations

import email
import smtplib
import ssl
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME


@dataclass(frozen=True)
class SmtpServer:
    """Where to connect and how: `use_tls` is STARTTLS, `use_ssl` TLS from the first byte."""

    host: str
    port: int
    use_tls: bool = False
    use_ssl: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30

    @classmethod
    def from_settings(cls) -> SmtpServer:
        """The install's own relay (`EMAIL_*`)."""
        return cls(
            host=settings.EMAIL_HOST,
            port=settings.EMAIL_PORT,
            use_tls=settings.EMAIL_USE_TLS,
            use_ssl=settings.EMAIL_USE_SSL,
            username=settings.EMAIL_HOST_USER or "",
            password=settings.EMAIL_HOST_PASSWORD or "",
            timeout=settings.EMAIL_TIMEOUT or 30,
        )


@dataclass(frozen=True)
class Answer:
    """The server's last word on one message."""

    code: int
    text: str

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class ConnectionLost(Exception):
    """The connection could not be opened or broke; the message in flight may or may not have
    arrived."""


class Transport(Protocol):
    def send(self, *, sender: str, recipient: str, message: bytes) -> Answer: ...

    def close(self) -> None: ...


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


class SmtpTransport:
    """One SMTP connection, opened on first use and kept until `close`."""

    def __init__(self, server: SmtpServer, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self.ssl_context = ssl_context
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> None:
        if self.smtp is not None:
            return
        server = self.server
        context = self.ssl_context or ssl.create_default_context()
        # DNS_NAME: the local host name, looked up once per process (smtplib would ask the
        # resolver on every connection).
        options: dict[str, Any] = {"timeout": server.timeout, "local_hostname": str(DNS_NAME)}
        try:
            if server.use_ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, context=context, **options
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, **options)
            try:
                if server.use_tls:
                    smtp.starttls(context=context)
                # (mail() does not greet the server itself, unlike sendmail())
                smtp.ehlo_or_helo_if_needed()
                if server.username:
                    smtp.login(server.username, server.password)
            except BaseException:
                smtp.close()
                raise
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(f"{server.host}:{server.port}: {_reason(error)}") from error
        self.smtp = smtp

    def send(self, *, sender: str, recipient: str, message: bytes) -> Answer:
        """Send one message to one recipient; the server's answer to it."""
        self.open()
        smtp = self.smtp
        assert smtp is not None
        try:
            return self._transaction(smtp, sender, recipient, message)
        except smtplib.SMTPDataError as error:  # DATA was refused (no 354)
            self._reset(smtp)
            return Answer(error.smtp_code, _text(error.smtp_error))
        except (OSError, smtplib.SMTPException) as error:  # (SMTPException is an OSError)
            self._drop()
            raise ConnectionLost(_reason(error)) from error

    def _transaction(
        self, smtp: smtplib.SMTP, sender: str, recipient: str, message: bytes
    ) -> Answer:
        code, reply = smtp.mail(sender)
        if code == 250:
            code, reply = smtp.rcpt(recipient)
            if code in (250, 251):
                # data() escapes lines starting with a dot and ends the message; its answer
                # is the server's verdict on the message.
                code, reply = smtp.data(message)
                answer = Answer(code, _text(reply))
                if code == 421:
                    self._drop()
                return answer
        answer = Answer(code, _text(reply))
        if code == 421:  # the server is closing the connection
            self._drop()
        else:
            self._reset(smtp)
        return answer

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        """QUIT politely; a connection that is already gone is just forgotten."""
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            self._drop()


def _reason(error: BaseException) -> str:
    code = getattr(error, "smtp_code", None)
    if code is not None:
        return f"{code} {_text(getattr(error, 'smtp_error', ''))}"
    return f"{type(error).__name__}: {error}"[:500]


class _Prepared(EmailMessage):
    """A message that is already bytes, for Django's backends (which expect EmailMessage)."""

    def __init__(self, sender: str, recipient: str, raw: bytes) -> None:
        self.parsed = email.message_from_bytes(raw)
        super().__init__(
            subject=str(self.parsed.get("Subject", "")), from_email=sender, to=[recipient]
        )

    def message(self, *args: Any, **kwargs: Any) -> Any:
        return self.parsed


class BackendTransport:
    """Hands each message to a Django mail backend (console, file, locmem): development
    installs without an SMTP server, and the tests' outbox. Such a backend has no answer of
    its own: a message it took is accepted."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def send(self, *, sender: str, recipient: str, message: bytes) -> Answer:
        self.backend.send_messages([_Prepared(sender, recipient, message)])
        return Answer(250, "handed to the mail backend")

    def close(self) -> None:
        self.backend.close()
