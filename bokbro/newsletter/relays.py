"""Per-agency SMTP relays: an agency's newsletter goes out through its own mail server.

The relay of an agency is an environment variable named after the agency's slug (upper case,
`-` as `_`), holding a URL:

    BOKBRO_SMTP_OSTFOLD=smtp+starttls://nyhetsbrev%40ostfold.no:secret@smtp.ostfold.no:587?from=nyhetsbrev@ostfold.no

Schemes: `smtp` (no encryption, port 25), `smtp+starttls` (STARTTLS, port 587), `smtps` (TLS
from the first byte, port 465). User and password are URL-encoded. `from` (optional) is the
sender address the relay accepts for the agency; `timeout` (seconds) is optional.
`BOKBRO_SMTP_<SLUG>_FILE` names a file holding the URL instead (for secret stores).

Secrets stay out of the database (a database dump, a backup or an admin page shows no relay
password); the operator who runs the install sets them. An agency without a variable sends
through the install's relay (`EMAIL_*`). The variables are read at start
(`settings.NEWSLETTER_SMTP_RELAYS`); `manage.py check` reports a malformed one (see checks.py),
and every command, the sending worker's included, refuses to start with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import validate_email

from bokbro.core.mail.transport import SmtpServer

PREFIX = "BOKBRO_SMTP_"
SCHEMES = {
    "smtp": (25, False, False),
    "smtp+starttls": (587, True, False),
    "smtps": (465, False, True),
    "smtp+ssl": (465, False, True),
}


@dataclass(frozen=True)
class Relay:
    variable: str
    host: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str
    password: str = ""
    from_email: str = ""
    timeout: int = 30

    def __repr__(self) -> str:  # never the password in a log or a traceback
        return f"Relay({self.variable}: {self.host}:{self.port})"

    def server(self) -> SmtpServer:
        return SmtpServer(
            host=self.host,
            port=self.port,
            use_tls=self.use_tls,
            use_ssl=self.use_ssl,
            username=self.username,
            password=self.password,
            timeout=self.timeout,
        )


def variable_for(slug: str) -> str:
    return PREFIX + slug.upper().replace("-", "_")


def relay_parse(variable: str, url: str) -> Relay:
    """The relay a variable describes; ImproperlyConfigured says what is wrong (never echoing
    the password)."""

    def wrong(problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{variable}: {problem}")

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise wrong(f"not a relay URL ({error})") from None
    if parts.scheme not in SCHEMES:
        raise wrong(
            f"the URL must start with one of {', '.join(s + '://' for s in SCHEMES)} "
            f"(not “{parts.scheme}://”)"
        )
    if not parts.hostname:
        raise wrong("the URL has no host name")
    default_port, use_tls, use_ssl = SCHEMES[parts.scheme]
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"from", "timeout"}
    if unknown:
        raise wrong(f"unknown parameter(s) {', '.join(sorted(unknown))} (allowed: from, timeout)")
    from_email = query.get("from", [""])[-1].strip()
    if from_email:
        try:
            validate_email(from_email)
        except Exception:
            raise wrong(f"from={from_email} is not an e-mail address") from None
    timeout = query.get("timeout", [str(settings.EMAIL_TIMEOUT or 30)])[-1]
    if not timeout.isdigit() or int(timeout) < 1:
        raise wrong("timeout must be a whole number of seconds")
    username = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if password and not username:
        raise wrong("a password without a user name")
    return Relay(
        variable=variable,
        host=parts.hostname,
        port=port or default_port,
        use_tls=use_tls,
        use_ssl=use_ssl,
        username=username,
        password=password,
        from_email=from_email,
        timeout=int(timeout),
    )


def relays_configured() -> dict[str, str]:
    """{variable: URL} of the relays set for this install."""
    return dict(getattr(settings, "NEWSLETTER_SMTP_RELAYS", {}) or {})


def relay_for(agency: Any) -> Relay | None:
    """The agency's relay, or None for the install's own (`EMAIL_*`)."""
    variable = variable_for(agency.slug)
    url = relays_configured().get(variable)
    return relay_parse(variable, url) if url else None
