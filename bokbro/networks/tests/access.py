"""The networks' rows of the access matrix (core/tests/test_access_matrix.py).

In `setup`, the Norwegian agency's network has the library manager (Ola) as coordinator and the
library staff (Aisha) as member; Marte (Sarpsborg) has asked to join. It has a members-only
document and a past meeting with published notes: their texts must never reach a non-member
(the public, the Swedish consultant) through any page or export. A second, open network with no
members is the one the roles join.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from bokbro.core.tests.access_roles import LOGIN, ON_OWN_SITE, OPEN, TEAM_GET
from bokbro.networks.models import Document, Meeting, Membership, Network

SECRET_NOTES = "Referatet er bare for medlemmene: budsjettkutt i Halden"
SECRET_DOCUMENT = "Medlemsnotat om felles innkjøp"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

SIGNED_IN_POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
MEMBERS = (LOGIN, 403, 200, 200, 200, 200, 403, 404)
MANAGERS = (LOGIN, 403, 403, 200, 200, 200, 403, 404)
MANAGERS_CHANGE = (LOGIN, 403, 403, 302, 302, 302, 403, 404)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "networks:index": OPEN,
    "networks:detail": ON_OWN_SITE,
    "networks:join": SIGNED_IN_POST_ONLY,
    "networks:leave": SIGNED_IN_POST_ONLY,
    "networks:material": MEMBERS,
    "networks:document": MEMBERS,
    "networks:create": TEAM_GET,
    "networks:manage": MANAGERS,
    "networks:edit": MANAGERS,
    "networks:member_set": SIGNED_IN_POST_ONLY,
    "networks:members_csv": MANAGERS,
    "networks:decide": SIGNED_IN_POST_ONLY,
    "networks:member_remove": SIGNED_IN_POST_ONLY,
    "networks:document_add": MANAGERS,
    "networks:document_remove": SIGNED_IN_POST_ONLY,
    "networks:mail": MANAGERS,
    "networks:meeting_add": MANAGERS,
    "networks:meeting_invite": SIGNED_IN_POST_ONLY,
    "networks:meeting_notes": MANAGERS,
}

POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # Directory people join the open network; the agency's team too (they get a directory
    # entry). The public and the Swedish consultant are not in this directory: the page again.
    "networks:join": (LOGIN, 200, 302, 302, 302, 302, 200, 404),
    # Members leave; whoever is no member has nothing to leave.
    "networks:leave": (LOGIN, 404, 302, 302, 404, 404, 404, 404),
    "networks:create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "networks:edit": MANAGERS_CHANGE,
    "networks:member_set": MANAGERS_CHANGE,
    "networks:decide": MANAGERS_CHANGE,
    "networks:member_remove": MANAGERS_CHANGE,
    "networks:document_add": MANAGERS_CHANGE,
    "networks:document_remove": MANAGERS_CHANGE,
    "networks:mail": MANAGERS_CHANGE,
    "networks:meeting_add": MANAGERS_CHANGE,
    "networks:meeting_invite": MANAGERS_CHANGE,
    "networks:meeting_notes": MANAGERS_CHANGE,
}

READ_ONLY = {"networks:material", "networks:document", "networks:manage", "networks:members_csv"}

OBJECT_URLS = [name for name in GET_EXPECTED if name not in {"networks:index", "networks:create"}]


class RewindingFile(io.BytesIO):
    """An upload the test client can send once per role (it reads without seeking back)."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read()


def setup(site: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bokbro.directory.models import Person
    from bokbro.networks import services
    from bokbro.networks.models import Joining

    w = site.world
    network = services.network_save(
        actor=w.consultant,
        agency=w.agency,
        name="Biblioteklederforum",
        purpose="Forum for bibliotekledere.",
        joining=Joining.APPLICATION,
        contact_email="forum@ostfold.example",
    )
    services.member_set(
        actor=w.consultant,
        agency=w.agency,
        network=network,
        person=w.manager_person,
        coordinator=True,
    )
    member = services.member_set(
        actor=w.consultant,
        agency=w.agency,
        network=network,
        person=w.staff_person,
        coordinator=False,
    )
    marte = Person.objects.get(user=w.other_manager)
    request = services.network_join(actor=w.other_manager, agency=w.agency, network=network)
    assert request.person == marte
    document = services.document_add(
        actor=w.consultant,
        agency=w.agency,
        network=network,
        title=SECRET_DOCUMENT,
        file=ContentFile(PDF, name="notat.pdf"),  # type: ignore[arg-type]
    )
    start = timezone.now() - timedelta(days=7)
    meeting = services.meeting_create(
        actor=w.consultant,
        agency=w.agency,
        network=network,
        data=services.MeetingData(
            title="Vårmøte i forumet", starts_at=start, ends_at=start + timedelta(hours=3)
        ),
    )
    services.meeting_notes_save(
        actor=w.consultant, agency=w.agency, meeting=meeting, notes=SECRET_NOTES, publish=True
    )
    open_network = services.network_save(
        actor=w.consultant, agency=w.agency, name="Barnebibliotekarnettverket", purpose="For alle."
    )
    return {
        "network": network,
        "open": open_network,
        "member": member,
        "request": request,
        "document": document,
        "meeting": meeting,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    pk = objects["network"].pk
    if name in {"networks:index", "networks:create"}:
        return {}
    if name == "networks:join":
        return {"pk": objects["open"].pk}
    kwargs: dict[str, Any] = {"pk": pk}
    if name in {"networks:document", "networks:document_remove"}:
        kwargs["document_pk"] = objects["document"].pk
    if name == "networks:decide":
        kwargs["membership_pk"] = objects["request"].pk
    if name == "networks:member_remove":
        kwargs["membership_pk"] = objects["member"].pk
    if name in {"networks:meeting_invite", "networks:meeting_notes"}:
        kwargs["meeting_pk"] = objects["meeting"].pk
    return kwargs


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    network_form = {
        "name": "Nytt forum",
        "purpose": "Om noe nytt.",
        "joining": "open",
        "contact_email": "",
    }
    return {
        "networks:create": network_form,
        "networks:edit": network_form,
        "networks:member_set": {"person": w.staff_person.pk, "coordinator": "on"},
        "networks:decide": {"decision": "approve"},
        "networks:document_add": {"title": "Program", "file": RewindingFile(PDF, "program.pdf")},
        "networks:mail": {"subject": "Neste møte", "body": "Velkommen til møte."},
        "networks:meeting_add": {
            "title": "Høstmøte",
            "starts_at": "2030-09-10T10:00",
            "ends_at": "2030-09-10T14:00",
            "venue": "Fylkeshuset",
            "capacity": "30",
        },
        "networks:meeting_notes": {"notes": "Nye notater."},
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    from bokbro.events.models import Registration

    return {
        "networks": list(Network.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "registrations": list(Registration.objects.order_by("pk").values("pk", "status")),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The members-only texts: the staff role (Aisha) is a member and reads them."""
    return [] if role == "staff" else [SECRET_NOTES, SECRET_DOCUMENT]
