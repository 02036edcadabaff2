"""Importing subscribers from a CSV file: all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.newsletter.models import (
    ConsentSource,
    MailingList,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.services import NewsletterError


@dataclass
class ImportProblem:
    line: int
    message: str


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    added: int
    already: int
    skipped_unsubscribed: int


def parse_subscriber_csv(text: str) -> list[tuple[int, str, str]]:
    """(line, email, name) per row; raises ImportRejected listing every bad or repeated address
    with its line. A first row whose first cell is not an address is a header."""
    problems: list[ImportProblem] = []
    rows: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for line, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [c.strip() for c in cells]
        if not cells or not any(cells):
            continue
        email, name = cells[0], (cells[1] if len(cells) > 1 else "")
        if line == 1 and "@" not in email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ImportProblem(
                    line, str(_("“%(email)s” is not an e-mail address.") % {"email": email})
                )
            )
            continue
        key = email.lower()
        if key in seen:
            problems.append(
                ImportProblem(
                    line,
                    str(
                        _("%(email)s is already on line %(first)s.")
                        % {"email": email, "first": seen[key]}
                    ),
                )
            )
            continue
        seen[key] = line
        rows.append((line, email, name[:200]))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected([ImportProblem(0, str(_("The file has no addresses.")))])
    return rows


@transaction.atomic
def subscribers_import(
    *, actor: Actor, agency: Agency, mailing_list: MailingList, text: str
) -> ImportResult:
    """Import a CSV (address, name): all or nothing. Addresses that unsubscribed earlier stay
    unsubscribed; the staff member importing vouches for the others' consent."""
    if mailing_list.agency_id != agency.pk or mailing_list.is_segment:
        raise NewsletterError(_("Addresses can only be imported to a subscriber list."))
    rows = parse_subscriber_csv(text)
    existing = {
        email.lower(): status
        for email, status in mailing_list.subscribers.values_list("email", "status")
    }
    now = timezone.now()
    new = []
    already = skipped = 0
    for _line, email, name in rows:
        status = existing.get(email.lower())
        if status == SubscriberStatus.UNSUBSCRIBED:
            skipped += 1
        elif status is not None:
            already += 1
        else:
            new.append(
                Subscriber(
                    agency=agency,
                    mailing_list=mailing_list,
                    email=email,
                    name=name,
                    status=SubscriberStatus.CONFIRMED,
                    source=ConsentSource.IMPORT,
                    consent_version=f"import:{actor.pk if actor else ''}",
                    confirmed_at=now,
                )
            )
    Subscriber.objects.bulk_create(new, batch_size=1000)
    audit_log(
        action="newsletter.subscribers.imported",
        actor=actor,
        agency=agency,
        target=mailing_list,
        data={"added": len(new), "already": already, "skipped": skipped},
    )
    return ImportResult(added=len(new), already=already, skipped_unsubscribed=skipped)
