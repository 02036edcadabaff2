"""Builders for the newsletter tests (and the access matrix rows)."""

from __future__ import annotations

import io
import os
from typing import Any

from django.utils import timezone

from bokbro.newsletter.models import (
    ConsentSource,
    Issue,
    IssueStatus,
    ListKind,
    MailingList,
    Subscriber,
    SubscriberStatus,
)


def make_list(agency: Any, name: str = "Nyhetsbrev", **fields: Any) -> MailingList:
    fields.setdefault("kind", ListKind.SUBSCRIBERS)
    fields.setdefault("is_public", fields["kind"] == ListKind.SUBSCRIBERS)
    return MailingList.objects.create(agency=agency, name=name, **fields)


def make_subscriber(
    mailing_list: MailingList,
    email: str,
    status: str = SubscriberStatus.CONFIRMED,
    **fields: Any,
) -> Subscriber:
    return Subscriber.objects.create(
        agency=mailing_list.agency,
        mailing_list=mailing_list,
        email=email,
        status=status,
        source=fields.pop("source", ConsentSource.FORM),
        confirmed_at=timezone.now() if status == SubscriberStatus.CONFIRMED else None,
        **fields,
    )


def make_issue(mailing_list: MailingList, subject: str = "Nytt fra fylket", **fields: Any) -> Issue:
    fields.setdefault("body", "## Kurs\n\nVi har [nye kurs](https://example.org/kurs).")
    return Issue.objects.create(
        agency=mailing_list.agency, mailing_list=mailing_list, subject=subject, **fields
    )


def sent_issue(mailing_list: MailingList, subject: str = "Sendt nummer", **fields: Any) -> Issue:
    now = timezone.now()
    return make_issue(
        mailing_list,
        subject,
        status=IssueStatus.SENT,
        sent_at=now,
        finished_at=now,
        **fields,
    )


def png_bytes(width: int = 8, height: int = 8, noise: bool = False) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (0, 98, 186))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Rereadable(io.BytesIO):
    """An upload the test client can send again and again (it reads the file each time)."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name

    def read(self, *args: Any) -> bytes:  # type: ignore[override]
        self.seek(0)
        return super().read()
