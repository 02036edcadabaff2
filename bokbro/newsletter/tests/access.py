"""The newsletter module's rows in the access matrix (core/tests/test_access_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.newsletter import links
from bokbro.newsletter.models import (
    Delivery,
    DeliveryStatus,
    Issue,
    IssueImage,
    IssueStatus,
    ListKind,
    MailingList,
    Subscriber,
    SubscriberStatus,
)
from bokbro.newsletter.rendering import image_key
from bokbro.newsletter.tests.helpers import (
    Rereadable,
    make_issue,
    make_list,
    make_subscriber,
    png_bytes,
    sent_issue,
)

# The address the signed links are for: whoever holds a link sees it, so it is not hidden.
LINK_EMAIL = "lenke@example.org"
HIDDEN = ["abonnent@example.org", "venter@example.org", "feilet@example.org"]

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "newsletter:subscribe": OPEN,
    "newsletter:subscribe_sent": OPEN,
    # The signed link is the key, on any host of the install.
    "newsletter:confirm": OPEN,
    "newsletter:unsubscribe": OPEN,
    "newsletter:preferences": OPEN,
    "newsletter:archive": OPEN,
    "newsletter:feed": OPEN,
    "newsletter:issue": ON_OWN_SITE,
    "newsletter:image": OPEN,
    "newsletter:staff": TEAM_GET,
    "newsletter:list_create": TEAM_GET,
    "newsletter:list_detail": TEAM_OBJECT,
    "newsletter:list_edit": TEAM_OBJECT,
    "newsletter:list_import": TEAM_OBJECT,
    "newsletter:issue_create": TEAM_GET,
    "newsletter:issue_detail": TEAM_OBJECT,
    "newsletter:issue_edit": TEAM_OBJECT,
    "newsletter:issue_email": TEAM_OBJECT,
    "newsletter:issue_test": TEAM_POST_ONLY,
    "newsletter:issue_schedule": TEAM_POST_ONLY,
    "newsletter:issue_unschedule": TEAM_POST_ONLY,
    "newsletter:issue_image_add": TEAM_POST_ONLY,
}
TEAM_CHANGE = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # The Swedish site has no public list: the form comes back with an error.
    "newsletter:subscribe": (302, 302, 302, 302, 302, 302, 302, 200),
    "newsletter:confirm": (302,) * 8,
    "newsletter:unsubscribe": (302,) * 8,
    "newsletter:preferences": (302,) * 8,
    # The Swedish consultant at home makes a list for his own agency; he has no list to write
    # an issue to, so that form comes back.
    "newsletter:list_create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "newsletter:list_edit": TEAM_CHANGE,
    "newsletter:list_import": TEAM_CHANGE,
    "newsletter:issue_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "newsletter:issue_edit": TEAM_CHANGE,
    "newsletter:issue_test": TEAM_CHANGE,
    "newsletter:issue_schedule": TEAM_CHANGE,
    "newsletter:issue_unschedule": TEAM_CHANGE,
    "newsletter:issue_image_add": TEAM_CHANGE,
}
READ_ONLY = {
    "newsletter:staff",
    "newsletter:list_detail",
    "newsletter:issue_detail",
    "newsletter:issue_email",
}
OBJECT_URLS = [
    "newsletter:confirm",
    "newsletter:unsubscribe",
    "newsletter:preferences",
    "newsletter:issue",
    "newsletter:image",
    "newsletter:list_detail",
    "newsletter:list_edit",
    "newsletter:list_import",
    "newsletter:issue_detail",
    "newsletter:issue_edit",
    "newsletter:issue_email",
    "newsletter:issue_test",
    "newsletter:issue_schedule",
    "newsletter:issue_unschedule",
    "newsletter:issue_image_add",
]


def setup(site: Any) -> dict[str, Any]:
    agency = site.world.agency
    public = make_list(agency, "Nyhetsbrev", description="Tre ganger i semesteret")
    managers = make_list(
        agency, "Biblioteksjefer", kind=ListKind.SEGMENT, segment_roles=["manager"]
    )
    make_subscriber(public, "abonnent@example.org")
    make_subscriber(public, LINK_EMAIL)
    pending = make_subscriber(public, "venter@example.org", status=SubscriberStatus.PENDING)
    draft = make_issue(public, "Utkast til nyhetsbrev")
    scheduled = make_issue(
        managers,
        "Planlagt",
        status=IssueStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(days=2),
    )
    sent = sent_issue(public, "Sendt nyhetsbrev", recipients_count=2)
    Delivery.objects.create(issue=sent, email="abonnent@example.org", status=DeliveryStatus.SENT)
    Delivery.objects.create(
        issue=sent, email="feilet@example.org", status=DeliveryStatus.FAILED, error="550 nope"
    )
    image = IssueImage(issue=draft, alt="Bokbussen")
    image.file.save("bokbuss.png", ContentFile(png_bytes()), save=True)
    return {
        "public": public,
        "managers": managers,
        "pending": pending,
        "draft": draft,
        "scheduled": scheduled,
        "sent": sent,
        "image": image,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    agency = site.world.agency
    return {
        "newsletter:confirm": {"token": links.confirm_token([objects["pending"].pk])},
        "newsletter:unsubscribe": {
            "token": links.unsubscribe_token(
                mailing_list_id=objects["public"].pk, email=LINK_EMAIL, issue_id=objects["sent"].pk
            )
        },
        "newsletter:preferences": {
            "token": links.preferences_token(agency=agency, email=LINK_EMAIL)
        },
        "newsletter:issue": {"pk": objects["sent"].pk},
        "newsletter:image": {"key": image_key(objects["image"])},
        "newsletter:list_detail": {"pk": objects["public"].pk},
        "newsletter:list_edit": {"pk": objects["public"].pk},
        "newsletter:list_import": {"pk": objects["public"].pk},
        "newsletter:issue_detail": {"pk": objects["draft"].pk},
        "newsletter:issue_edit": {"pk": objects["draft"].pk},
        "newsletter:issue_email": {"pk": objects["draft"].pk},
        "newsletter:issue_test": {"pk": objects["draft"].pk},
        "newsletter:issue_schedule": {"pk": objects["draft"].pk},
        "newsletter:issue_unschedule": {"pk": objects["scheduled"].pk},
        "newsletter:issue_image_add": {"pk": objects["draft"].pk},
    }.get(name, {})


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    issue = {
        "mailing_list": objects["public"].pk,
        "subject": "Nytt nummer",
        "intro": "",
        "body": "## Hei\n\nTekst.",
        "is_archived": "on",
    }
    forms: dict[str, dict[str, Any]] = {
        "newsletter:subscribe": {
            "email": "ny@example.org",
            "name": "Ny Leser",
            "lists": [objects["public"].pk],
        },
        "newsletter:preferences": {"lists": []},
        "newsletter:list_create": {"name": "Skolebibliotek", "kind": "subscribers"},
        "newsletter:list_edit": {"name": "Nyhetsbrevet", "kind": "subscribers", "is_public": "on"},
        "newsletter:list_import": {
            "file": Rereadable(b"email,name\nny@example.org,Ny Leser\n", "adresser.csv")
        },
        "newsletter:issue_create": issue,
        "newsletter:issue_edit": issue | {"subject": "Endret emne"},
        "newsletter:issue_schedule": {
            "when": "later",
            "send_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
        "newsletter:issue_image_add": {
            "file": Rereadable(png_bytes(), "bilde.png"),
            "alt": "Et bilde",
            "caption": "",
        },
    }
    return forms.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "lists": list(MailingList.objects.order_by("pk").values()),
        "subscribers": list(Subscriber.objects.order_by("pk").values()),
        "issues": list(Issue.objects.order_by("pk").values()),
        "deliveries": list(Delivery.objects.order_by("pk").values()),
        "images": list(IssueImage.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return list(HIDDEN)
