"""Demo content of the newsletter module, loaded by `manage.py load_demo`. Idempotent: an agency
that already has lists gets nothing more."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from bokbro.directory.models import Agency, LibraryKind, LibraryRoleKind
from bokbro.events.models import Event
from bokbro.newsletter.models import (
    ConsentSource,
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    ListKind,
    MailingList,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.selectors import list_recipients
from bokbro.newsletter.services.subscriptions import CONSENT_VERSION

DEMO: dict[str, dict[str, Any]] = {
    "ostfold": {
        "public": ("Nyhetsbrev", "Nytt fra bibliotekutviklingen tre ganger i semesteret."),
        "segment": ("Biblioteksjefer", [LibraryRoleKind.MANAGER], []),
        "school": ("Skolebibliotek", [LibraryRoleKind.SCHOOL_CONTACT], [LibraryKind.SCHOOL]),
        "subscribers": ["leser1@example.org", "leser2@example.org", "leser3@example.org"],
        "issue": (
            "Nyhetsbrev nr. 1",
            "Velkommen til semesterets første nyhetsbrev.",
            "## Kurs og samlinger\n\nVi har åpnet påmeldingen til vårens kurs. Se kalenderen.\n\n"
            "## Prosjektmidler\n\nSøknadsfristen for "
            "[prosjektmidler](https://www.nb.no/bibliotekutvikling/) nærmer seg.",
        ),
    },
    "jonkoping": {
        "public": ("Nyhetsbrev", "Nyheter från biblioteksutvecklingen tre gånger per termin."),
        "segment": ("Bibliotekschefer", [LibraryRoleKind.MANAGER], []),
        "school": None,
        "subscribers": ["lasare1@example.org", "lasare2@example.org"],
        "issue": (
            "Nyhetsbrev nr 1",
            "Välkommen till terminens första nyhetsbrev.",
            "## Kurser och träffar\n\nAnmälan till vårens kurser är öppen.\n\n"
            "## Läsfrämjande\n\nNytt material för bokprat finns på vår webbplats.",
        ),
    },
}


@transaction.atomic
def load() -> list[str]:
    now = timezone.now()
    for slug, spec in DEMO.items():
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None or MailingList.objects.filter(agency=agency).exists():
            continue
        name, description = spec["public"]
        public = MailingList.objects.create(agency=agency, name=name, description=description)
        segments = [spec["segment"], spec["school"]]
        for segment in filter(None, segments):
            segment_name, roles, kinds = segment
            MailingList.objects.create(
                agency=agency,
                name=segment_name,
                kind=ListKind.SEGMENT,
                is_public=False,
                segment_roles=roles,
                segment_library_kinds=kinds,
            )
        Subscriber.objects.bulk_create(
            Subscriber(
                agency=agency,
                mailing_list=public,
                email=email,
                status=SubscriberStatus.CONFIRMED,
                source=ConsentSource.FORM,
                consent_version=CONSENT_VERSION,
                confirmed_at=now,
            )
            for email in spec["subscribers"]
        )
        subject, intro, body = spec["issue"]
        recipients = list_recipients(public)
        issue = Issue.objects.create(
            agency=agency,
            mailing_list=public,
            subject=subject,
            intro=intro,
            body=body,
            status=IssueStatus.SENT,
            sent_at=now,
            finished_at=now,
            recipients_count=len(recipients),
        )
        issue.events.set(Event.objects.visible_on(agency).upcoming().order_by("starts_at")[:3])
        Delivery.objects.bulk_create(
            Delivery(
                issue=issue,
                email=email,
                name=person,
                language=language,
                status=DeliveryStatus.SENT,
                attempts=1,
                sent_at=now,
            )
            for email, person, language in recipients
        )
    return []
