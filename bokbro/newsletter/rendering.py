"""An issue as e-mail and as a web page.

The templates are rendered once per language with placeholders for the recipient's own links;
each message then only swaps in its links and builds the MIME parts. That keeps a 20,000-address
send bound by the mail server, not by the template engine. No tracking pixels, no rewritten
links: the links in the mail are the ones the editor wrote."""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bokbro.core.markdown import render_markdown
from bokbro.newsletter.models import Issue
from bokbro.newsletter.services import absolute, preferences_token, unsubscribe_token

UNSUBSCRIBE = "https://bokbro.invalid/unsubscribe-placeholder"
PREFERENCES = "https://bokbro.invalid/preferences-placeholder"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends (binascii's C encoder: fast, standard)."""
    encoded = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return encoded.replace(b"\n", b"\r\n")


def _header(value: str) -> str:
    """A header value, RFC 2047-encoded when it is not plain ASCII."""
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


def _address(name: str, email: str) -> str:
    return formataddr((name, email), charset="utf-8") if name else email


def issue_context(issue: Issue) -> dict[str, Any]:
    """What the web page and the e-mail show: the text, and the chosen events in date order."""
    events = list(issue.events.order_by("starts_at").select_related("agency"))
    return {
        "issue": issue,
        "agency": issue.agency,
        "mailing_list": issue.mailing_list,
        "body_html": render_markdown(issue.body),
        "intro_html": render_markdown(issue.intro),
        "events": [{"event": e, "url": absolute(e.get_absolute_url())} for e in events],
        "images": [
            {"image": i, "url": absolute(reverse("newsletter:image", args=[image_key(i)]))}
            for i in issue.images.all()
        ],
        "site_root": settings.SITE_ROOT,
    }


def image_key(image: Any) -> str:
    return image.file.name.rpartition("/")[2].partition(".")[0]


class IssueRenderer:
    """Builds each recipient's message of one issue."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        self.agency = issue.agency
        self.context = issue_context(issue)
        self.by_language: dict[str, Rendered] = {}
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@bokbro.localhost"
        self.from_email = formataddr((self.agency.name, address))
        self.domain = address.rpartition("@")[2] or "bokbro.localhost"
        self.reply_to = [self.agency.email] if self.agency.email else []
        self.list_id = f"{issue.mailing_list.name} <list-{issue.mailing_list_id}.{self.domain}>"
        self.list_id_header = (
            f"{_header(issue.mailing_list.name)} <list-{issue.mailing_list_id}.{self.domain}>"
        )
        self.from_header = formataddr((self.agency.name, address), charset="utf-8")
        self.envelope_from = address
        self.subject_headers: dict[str, str] = {}
        self.web_url = (
            absolute(issue.get_absolute_url())
            if issue.is_archived and issue.mailing_list.is_public
            else ""
        )

    def rendered(self, language: str) -> Rendered:
        if language not in self.by_language:
            context = {
                **self.context,
                "web_url": self.web_url,
                "unsubscribe_url": UNSUBSCRIBE,
                "preferences_url": PREFERENCES,
                "LANGUAGE_CODE": language,
            }
            with translation.override(language):
                html = render_to_string("newsletter/email/issue_body.html", context)
                text = render_to_string("newsletter/email/issue_body.txt", context)
            self.by_language[language] = Rendered(
                subject=" ".join(self.issue.subject.split()), text=text, html=html
            )
        return self.by_language[language]

    def raw_for(
        self, *, email: str, name: str, language: str, delivery_id: int, date: str | None = None
    ) -> bytes:
        """The message as bytes for SMTP, built from the language's rendering without the
        `email` package's generator (which costs more per message than the SMTP exchange)."""
        if not (email.isascii() and name.isprintable()):
            message = self.message_for(
                email=email, name=name, language=language, delivery_id=delivery_id
            )
            return message.message().as_bytes(linesep="\r\n")
        rendered = self.rendered(language or self.agency.language)
        unsubscribe, preferences = self.links_for(email)
        text = rendered.text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)
        html = rendered.html.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)
        boundary = f"==bokbro-{secrets.token_hex(12)}=="
        headers = [
            f"From: {self.from_header}",
            f"To: {_address(name, email)}",
            *([f"Reply-To: {', '.join(self.reply_to)}"] if self.reply_to else []),
            f"Subject: {self.subject_header(rendered)}",
            f"Date: {date or formatdate(localtime=True)}",
            f"Message-ID: <newsletter.{self.issue.pk}.{delivery_id}@{self.domain}>",
            f"List-Id: {self.list_id_header}",
            f"List-Unsubscribe:\r\n <{unsubscribe}>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
        ]
        part = (
            'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable'
        )
        return b"".join(
            [
                "\r\n".join(headers).encode("ascii"),
                f"\r\n\r\n--{boundary}\r\n{part.format('plain')}\r\n\r\n".encode("ascii"),
                _qp(text),
                f"\r\n--{boundary}\r\n{part.format('html')}\r\n\r\n".encode("ascii"),
                _qp(html),
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            ]
        )

    def subject_header(self, rendered: Rendered) -> str:
        if rendered.subject not in self.subject_headers:
            self.subject_headers[rendered.subject] = _header(rendered.subject)
        return self.subject_headers[rendered.subject]

    def links_for(self, email: str) -> tuple[str, str]:
        unsubscribe = absolute(
            reverse(
                "newsletter:unsubscribe",
                args=[
                    unsubscribe_token(
                        mailing_list_id=self.issue.mailing_list_id,
                        email=email,
                        issue_id=self.issue.pk,
                    )
                ],
            )
        )
        preferences = absolute(
            reverse(
                "newsletter:preferences",
                args=[preferences_token(agency=self.agency, email=email)],
            )
        )
        return unsubscribe, preferences

    def message_for(
        self,
        *,
        email: str,
        name: str,
        language: str,
        delivery_id: int | None = None,
        test: bool = False,
        connection: Any = None,
    ) -> EmailMultiAlternatives:
        rendered = self.rendered(language or self.agency.language)
        unsubscribe, preferences = self.links_for(email)

        def personal(text: str) -> str:
            return text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)

        subject = rendered.subject
        if test:
            with translation.override(language or self.agency.language):
                subject = gettext("[Test] %(subject)s") % {"subject": subject}
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
        }
        if delivery_id is not None:
            # The same delivery always has the same Message-ID, so a copy sent twice after a
            # crash is recognisably the same message.
            headers["Message-ID"] = f"<newsletter.{self.issue.pk}.{delivery_id}@{self.domain}>"
        message = EmailMultiAlternatives(
            subject=subject,
            body=personal(rendered.text),
            from_email=self.from_email,
            to=[formataddr((name, email)) if name else email],
            reply_to=self.reply_to,
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(personal(rendered.html), "text/html")
        return message
