"""An issue as e-mail and as a web page.

The templates are rendered once per language with placeholders for the recipient's own links;
each message then only swaps in its links and builds the MIME parts. That keeps a 20,000-address
send bound by the mail server, not by the template engine. No tracking pixels, no rewritten
links: the links in the mail are the ones the editor wrote."""

from __future__ import annotations

import binascii
import re
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
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bokbro.core.markdown import render_markdown
from bokbro.newsletter.links import absolute, preferences_token, unsubscribe_token
from bokbro.newsletter.models import Issue
from bokbro.newsletter.relays import relay_for

UNSUBSCRIBE = "https://bokbro.invalid/unsubscribe-placeholder"
PREFERENCES = "https://bokbro.invalid/preferences-placeholder"


LINK = re.compile(f"({re.escape(UNSUBSCRIBE)}|{re.escape(PREFERENCES)})")
LINK_TOKEN = "bokbro-link-placeholder"  # noqa: S105 (not a secret: swapped for a signed one)
SOFT_BREAK = b"=\r\n"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    # Each part quoted-printable encoded once, cut at the recipient's links: a message only
    # joins these with its own links (see `_qp_pieces`).
    text_pieces: tuple[list[bytes], list[int]] = ([], [])
    html_pieces: tuple[list[bytes], list[int]] = ([], [])


def _qp_pieces(text: str) -> tuple[list[bytes], list[int]]:
    """The part's text encoded in pieces between the link placeholders, and which link (0:
    unsubscribe, 1: preferences) goes between each pair of pieces."""
    parts = LINK.split(text)
    return [_qp(piece) for piece in parts[0::2]], [
        0 if link == UNSUBSCRIBE else 1 for link in parts[1::2]
    ]


def _qp_join(pieces: tuple[list[bytes], list[int]], links: tuple[bytes, bytes]) -> bytes:
    """The encoded pieces with the recipient's (encoded) links between them. Each link sits
    between soft line breaks (`=` at a line's end, which decoding removes), so no line grows
    past quoted-printable's 76 characters."""
    encoded, which = pieces
    out = [encoded[0]]
    for index, piece in zip(which, encoded[1:], strict=True):
        out += [SOFT_BREAK, links[index], SOFT_BREAK, piece]
    return b"".join(out)


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


# A picture placed in the text: ![what it shows](picture:12), 12 being one of the issue's images.
PICTURE = re.compile(r"!\[([^\]\n]*)\]\(\s*picture:(\d+)\s*\)")


def picture_reference(image: Any) -> str:
    """What an editor puts in the text to place a picture."""
    alt = " ".join(image.alt.replace("[", "(").replace("]", ")").split())
    return f"![{alt}](picture:{image.pk})"


def picture_ids(text: str) -> list[int]:
    """The pictures a text refers to, in order."""
    return [int(match[2]) for match in PICTURE.finditer(text or "")]


@dataclass
class Picture:
    image: Any
    url: str  # absolute, for mail
    path: str  # for the site's own pages (the page's host; its Content-Security-Policy)
    alt: str


def _picture_html(picture: Picture, *, email: bool, block: bool) -> str:
    image, alt = picture.image, escape(picture.alt)
    url = escape(picture.url if email else picture.path)
    caption = escape(image.caption)
    if email:
        width = min(552, image.file.width or 552)
        tag = (
            f'<img src="{url}" alt="{alt}" width="{width}" '
            'style="max-width:100%;height:auto;display:block;">'
        )
        if not block:
            return tag
        note = f'<span style="font-size:14px;color:#5d6b7d;">{caption}</span>' if caption else ""
        return f'<p style="margin:16px 0;">{tag}{note}</p>'
    size = f' width="{image.file.width}" height="{image.file.height}"' if image.file else ""
    tag = f'<img src="{url}" alt="{alt}"{size}>'
    if not block:
        return tag
    note = (
        f'<figcaption class="ds-paragraph" data-size="sm">{caption}</figcaption>' if caption else ""
    )
    return f'<figure class="newsletter-figure">{tag}{note}</figure>'


def markdown_with_pictures(
    text: str, pictures: dict[int, Picture], *, email: bool
) -> tuple[SafeString, set[int]]:
    """The text as sanitised HTML with its pictures in place, and which pictures it placed.

    A reference becomes a placeholder word before Markdown runs (the sanitiser allows no
    images from the editor); the placeholder is then swapped for the picture's own markup,
    built here with the stored picture's address and an escaped alternative text (the text
    in the reference, else the one given at upload). A picture alone in its paragraph
    becomes a figure with its caption."""
    nonce = secrets.token_hex(6)
    placed: dict[str, Picture] = {}

    def placeholder(match: re.Match) -> str:
        found = pictures.get(int(match[2]))
        if found is None:
            return match[0]  # (an unknown reference is refused when the issue is saved)
        key = f"bokbropicture{nonce}n{len(placed)}x"
        placed[key] = Picture(
            image=found.image, url=found.url, path=found.path, alt=match[1].strip() or found.alt
        )
        return key

    html = str(render_markdown(PICTURE.sub(placeholder, text or "")))
    for key, picture in placed.items():
        html = html.replace(f"<p>{key}</p>", _picture_html(picture, email=email, block=True))
        html = html.replace(key, _picture_html(picture, email=email, block=False))
    return mark_safe(html), {p.image.pk for p in placed.values()}


def text_with_pictures(text: str, pictures: dict[int, Picture]) -> str:
    """The plain-text part: a picture becomes its description and address."""

    def swap(match: re.Match) -> str:
        found = pictures.get(int(match[2]))
        if found is None:
            return match[0]
        return f"[{match[1].strip() or found.alt}] {found.url}"

    return PICTURE.sub(swap, text or "")


def issue_context(issue: Issue) -> dict[str, Any]:
    """What the web page and the e-mail show: the text with its pictures in place, pictures
    not placed in the text after it, and the chosen events in date order."""
    events = list(issue.events.order_by("starts_at").select_related("agency"))
    pictures = {}
    for image in issue.images.all():
        path = reverse("newsletter:image", args=[image_key(image)])
        pictures[image.pk] = Picture(
            image=image, url=absolute(path, issue.agency), path=path, alt=image.alt
        )
    body_html, placed = markdown_with_pictures(issue.body, pictures, email=False)
    intro_html, placed_intro = markdown_with_pictures(issue.intro, pictures, email=False)
    placed |= placed_intro
    return {
        "issue": issue,
        "agency": issue.agency,
        "mailing_list": issue.mailing_list,
        "body_html": body_html,
        "intro_html": intro_html,
        "email_body_html": markdown_with_pictures(issue.body, pictures, email=True)[0],
        "email_intro_html": markdown_with_pictures(issue.intro, pictures, email=True)[0],
        "body_text": text_with_pictures(issue.body, pictures),
        "intro_text": text_with_pictures(issue.intro, pictures),
        "events": [
            {"event": e, "url": absolute(e.get_absolute_url(), issue.agency)} for e in events
        ],
        "images": [
            {"image": p.image, "url": p.url, "path": p.path}
            for pk, p in pictures.items()
            if pk not in placed
        ],
        "site_root": issue.agency.base_url,
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
        # The agency's relay (None: the install's) and the sender it accepts: the list's own
        # address, else the relay's `from`, else the install's DEFAULT_FROM_EMAIL.
        self.relay = relay_for(self.agency)
        mailing_list = issue.mailing_list
        address = (
            mailing_list.from_email
            or (self.relay.from_email if self.relay else "")
            or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
            or "noreply@bokbro.localhost"
        )
        sender_name = mailing_list.from_name or self.agency.name
        self.from_email = formataddr((sender_name, address))
        self.domain = address.rpartition("@")[2] or "bokbro.localhost"
        self.reply_to = [self.agency.email] if self.agency.email else []
        self.list_id = f"{issue.mailing_list.name} <list-{issue.mailing_list_id}.{self.domain}>"
        self.list_id_header = (
            f"{_header(issue.mailing_list.name)} <list-{issue.mailing_list_id}.{self.domain}>"
        )
        self.from_header = formataddr((sender_name, address), charset="utf-8")
        self.envelope_from = address
        self.subject_headers: dict[str, str] = {}
        self.web_url = (
            absolute(issue.get_absolute_url(), issue.agency)
            if issue.is_archived and issue.mailing_list.is_public
            else ""
        )
        # The recipient's links differ only in their signed token: the URLs are reversed once.
        self.unsubscribe_url = absolute(
            reverse("newsletter:unsubscribe", args=[LINK_TOKEN]), issue.agency
        )
        self.preferences_url = absolute(
            reverse("newsletter:preferences", args=[LINK_TOKEN]), issue.agency
        )
        self.boundary_seed = secrets.token_hex(8)

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
                subject=" ".join(self.issue.subject.split()),
                text=text,
                html=html,
                text_pieces=_qp_pieces(text),
                html_pieces=_qp_pieces(html),
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
            # Django's SafeMIME classes take `linesep`; the stubs know only `email.message`'s.
            return message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        rendered = self.rendered(language or self.agency.language)
        unsubscribe, preferences = self.links_for(email)
        links = (_qp(unsubscribe), _qp(preferences))
        # Random per issue and send, numbered per message: never a line of the body.
        boundary = f"==bokbro-{self.boundary_seed}-{delivery_id}=="
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
                _qp_join(rendered.text_pieces, links),
                f"\r\n--{boundary}\r\n{part.format('html')}\r\n\r\n".encode("ascii"),
                _qp_join(rendered.html_pieces, links),
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            ]
        )

    def subject_header(self, rendered: Rendered) -> str:
        if rendered.subject not in self.subject_headers:
            self.subject_headers[rendered.subject] = _header(rendered.subject)
        return self.subject_headers[rendered.subject]

    def links_for(self, email: str) -> tuple[str, str]:
        unsubscribe = unsubscribe_token(
            mailing_list_id=self.issue.mailing_list_id, email=email, issue_id=self.issue.pk
        )
        preferences = preferences_token(agency=self.agency, email=email)
        return (
            self.unsubscribe_url.replace(LINK_TOKEN, unsubscribe),
            self.preferences_url.replace(LINK_TOKEN, preferences),
        )

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
