"""The mail transport against a real SMTP server (aiosmtpd on 127.0.0.1): accepted messages,
refused recipients, a server that drops the connection, logins, STARTTLS and TLS."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bokbro.core.mail.transport import ConnectionLost, SmtpServer, SmtpTransport
from bokbro.core.tests.test_emails import free_port

MESSAGE = (
    b"From: a@ostfold.example\r\nTo: b@example.org\r\nSubject: Hei\r\n"
    b"Message-ID: <1@ostfold.example>\r\n\r\nFirst line\r\n.A line that starts with a dot\r\n"
)


class Server:
    """Keeps what arrives, with the connection (client port) it came over; refuses the
    recipients in `refuse`; with `drop_on_data`, hangs up as a message's data arrives."""

    def __init__(self) -> None:
        self.received: list[tuple[int, str, list[str], bytes]] = []
        self.refuse: dict[str, str] = {}
        self.drop_on_data = False
        self.logins: list[tuple[str, str]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            (session.peer[1], envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        if self.drop_on_data:
            server.transport.close()
            await asyncio.sleep(0)
        return "250 2.0.0 Queued as 17"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth: Any):
        self.logins.append((auth.login.decode(), auth.password.decode()))
        return AuthResult(success=auth.password == b"hemmelig", handled=False)


@pytest.fixture
def smtp():
    server = Server()
    port = free_port()
    controller = Controller(
        server,
        hostname="127.0.0.1",
        port=port,
        authenticator=server.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    server.port = port  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        controller.stop()


def transport_to(server: Server, **options: Any) -> SmtpTransport:
    return SmtpTransport(SmtpServer(host="127.0.0.1", port=server.port, timeout=5, **options))  # type: ignore[attr-defined]


def test_messages_arrive_unchanged_over_one_connection_with_the_servers_answer(smtp):
    with transport_to(smtp) as transport:
        first = transport.send(
            sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE
        )
        second = transport.send(
            sender="a@ostfold.example", recipient="c@example.org", message=MESSAGE
        )

    assert (first.code, first.text, first.accepted) == (250, "2.0.0 Queued as 17", True)
    assert second.accepted
    (port_1, sender, to_1, content), (port_2, _sender, to_2, _content) = smtp.received
    assert (sender, to_1, to_2) == ("a@ostfold.example", ["b@example.org"], ["c@example.org"])
    assert content == MESSAGE  # the line with a leading dot too (escaped on the wire only)
    assert port_1 == port_2


def test_a_refused_recipient_is_an_answer_and_the_connection_goes_on(smtp):
    smtp.refuse = {
        "gone@example.org": "550 5.1.1 No such user",
        "busy@example.org": "451 4.3.0 Try again later",
    }
    with transport_to(smtp) as transport:
        gone = transport.send(
            sender="a@ostfold.example", recipient="gone@example.org", message=MESSAGE
        )
        busy = transport.send(
            sender="a@ostfold.example", recipient="busy@example.org", message=MESSAGE
        )
        ok = transport.send(sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE)

    assert (gone.code, gone.text, gone.accepted, gone.permanent) == (
        550,
        "5.1.1 No such user",
        False,
        True,
    )
    assert (busy.code, busy.accepted, busy.permanent) == (451, False, False)
    assert ok.accepted
    assert [to for _port, _from, to, _content in smtp.received] == [["b@example.org"]]


def test_a_server_that_hangs_up_raises_connection_lost_and_the_next_send_reconnects(smtp):
    smtp.drop_on_data = True
    transport = transport_to(smtp)

    with pytest.raises(ConnectionLost):
        transport.send(sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE)

    # The server did get it: in doubt, as the caller must assume.
    assert len(smtp.received) == 1
    smtp.drop_on_data = False
    assert transport.send(
        sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE
    ).accepted
    assert smtp.received[0][0] != smtp.received[1][0]  # a new connection
    transport.close()


def test_nobody_listening_raises_connection_lost():
    transport = SmtpTransport(SmtpServer(host="127.0.0.1", port=free_port(), timeout=2))

    with pytest.raises(ConnectionLost, match="ConnectionRefused"):
        transport.send(sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE)


def test_it_logs_in_with_the_relays_credentials_and_a_wrong_password_is_connection_lost(smtp):
    with transport_to(smtp, username="nyhetsbrev@ostfold.no", password="hemmelig") as transport:
        assert transport.send(
            sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE
        ).accepted
    assert smtp.logins == [("nyhetsbrev@ostfold.no", "hemmelig")]

    wrong = transport_to(smtp, username="nyhetsbrev@ostfold.no", password="feil")
    with pytest.raises(ConnectionLost, match="535"):
        wrong.send(sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE)
    assert len(smtp.received) == 1
    assert "feil" not in repr(wrong.server)


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, and a client context that trusts only it."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


class TlsServer(Server):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        tls = server.transport.get_extra_info("ssl_object")
        self.tls_versions = [*getattr(self, "tls_versions", []), tls and tls.version()]
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_messages_go_encrypted_with_starttls_or_tls_from_the_first_byte(certificate, mode):
    server_context, client_context = certificate
    server = TlsServer()
    port = free_port()
    options = (
        {"tls_context": server_context, "require_starttls": True}
        if mode == "starttls"
        else {"ssl_context": server_context}
    )
    controller = Controller(server, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        transport = SmtpTransport(
            SmtpServer(
                host="127.0.0.1",
                port=port,
                use_tls=mode == "starttls",
                use_ssl=mode == "tls",
                timeout=5,
            ),
            ssl_context=client_context,
        )
        with transport:
            answer = transport.send(
                sender="a@ostfold.example", recipient="b@example.org", message=MESSAGE
            )
    finally:
        controller.stop()

    assert answer.accepted
    assert server.tls_versions[0].startswith("TLSv1")
