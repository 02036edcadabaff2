"""The events module's rows of the access matrix (core/tests/test_access_matrix.py).

The Norwegian agency's published course (with a registration of the colleague from the
directory's rows, material and a budget line), a draft, a place waiting for the manager's
approval, and an ended course with one certificate issued and one not yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    SIGNED_IN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.events.models import BudgetLine, Event, Material, Registration, SeatPool, Session
from bokbro.events.services.attendance import attendance_mark, certificates_issue
from bokbro.events.services.economy import BudgetLineData, budget_line_create
from bokbro.events.services.events import SessionData, event_create
from bokbro.events.services.material import material_add
from bokbro.events.services.registrations import registration_create
from bokbro.events.services.seats import PoolData, seat_pool_create
from bokbro.events.tests.conftest import make_event
from bokbro.events.tests.test_staff_events import form_data as event_form_data

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    # Public side. The event is the Norwegian agency's: on the Swedish site it is 404.
    "events:calendar": OPEN,
    "events:archive": OPEN,
    "events:month": OPEN,
    "events:feed": OPEN,
    "events:detail": ON_OWN_SITE,
    "events:ics": ON_OWN_SITE,
    "events:register": ON_OWN_SITE,
    "events:register_colleagues": (LOGIN, 403, 403, 200, 403, 403, 403, 404),
    # The personal link is the credential: whoever holds it sees the registration.
    "events:registration": OPEN,
    "events:registration_cancel": (405,) * 8,
    "events:registration_confirm": (405,) * 8,
    # Changing one's elective sessions: the link is the key here too.
    "events:registration_sessions": OPEN,
    # The "check your e-mail" page after registering: nothing personal on it.
    "events:register_sent": ON_OWN_SITE,
    "events:registration_accept": (405,) * 8,
    "events:registration_decline": (405,) * 8,
    # A library manager's places to approve; the agency's team sees its events' places (those no
    # manager can decide, and those waiting for a manager); the outsider at home sees his own.
    "events:approvals": (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    # The page an approval e-mail's link opens: the manager of the pending place's library and
    # the organiser's team find it; everyone else is told it does not exist.
    "events:approval_decide": (LOGIN, 404, 404, 200, 200, 200, 404, 404),
    "events:mine": SIGNED_IN,
    # The agency's staff.
    "events_staff:list": TEAM_GET,
    "events_staff:create": TEAM_GET,
    "events_staff:detail": TEAM_OBJECT,
    "events_staff:edit": TEAM_OBJECT,
    "events_staff:cancel": TEAM_OBJECT,
    "events_staff:participants": TEAM_OBJECT,
    "events_staff:email": TEAM_OBJECT,
    "events_staff:export_csv": TEAM_OBJECT,
    "events_staff:export_xlsx": TEAM_OBJECT,
    "events_staff:session_places": TEAM_OBJECT,
    "events_staff:publish": TEAM_POST_ONLY,
    "events_staff:copy": TEAM_POST_ONLY,
    "events_staff:register": TEAM_POST_ONLY,
    "events_staff:participant_action": TEAM_POST_ONLY,
    "events_staff:attendance": TEAM_OBJECT,
    "events_staff:attendance_session": TEAM_OBJECT,
    "events_staff:attendance_mark": TEAM_POST_ONLY,
    "events_staff:attendance_pdf": TEAM_OBJECT,
    "events_staff:certificates_issue": TEAM_POST_ONLY,
    "events_staff:certificate": TEAM_OBJECT,
    "events_staff:evaluation_send": TEAM_POST_ONLY,
    # A certificate through the personal link (the link is the key), and from "my events":
    # only its owner (Aisha, library staff) finds it.
    "events:registration_certificate": OPEN,
    "events:my_certificate": (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    "events_staff:material": TEAM_OBJECT,
    "events_staff:material_remove": TEAM_POST_ONLY,
    "events_staff:material_download": TEAM_OBJECT,
    "events_staff:economy": TEAM_OBJECT,
    "events_staff:budget_line_edit": TEAM_OBJECT,
    "events_staff:budget_line_delete": TEAM_POST_ONLY,
    # The year's economy is the site's agency's own: the outsider at home sees his agency's.
    "events_staff:economy_year": TEAM_GET,
    "events_staff:economy_year_csv": TEAM_GET,
    "events_staff:economy_year_xlsx": TEAM_GET,
    "events_staff:seats": TEAM_OBJECT,
    "events_staff:seat_pool_edit": TEAM_OBJECT,
    "events_staff:seat_pool_delete": TEAM_POST_ONLY,
    "events_staff:group_seats_until": TEAM_POST_ONLY,
    # Material through the personal link of a confirmed registration (the link is the key).
    "events:material_download": OPEN,
    "api:events": OPEN,
    "api:event": ON_OWN_SITE,
    "api:register": (405,) * 8,
}

TEAM_CHANGE = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # A library manager registers their own colleagues.
    "events:register_colleagues": (LOGIN, 403, 403, 302, 403, 403, 403, 404),
    # Only the manager of the library the pending place belongs to, and the organiser's team,
    # find it.
    "events:approval_decide": (LOGIN, 404, 404, 302, 302, 302, 404, 404),
    # The Swedish consultant at home creates an event for his own agency.
    "events_staff:create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "events_staff:edit": TEAM_CHANGE,
    "events_staff:cancel": TEAM_CHANGE,
    "events_staff:email": TEAM_CHANGE,
    "events_staff:publish": TEAM_CHANGE,
    "events_staff:copy": TEAM_CHANGE,
    "events_staff:register": TEAM_CHANGE,
    "events_staff:participant_action": TEAM_CHANGE,
    "events_staff:attendance_mark": TEAM_CHANGE,
    "events_staff:certificates_issue": TEAM_CHANGE,
    "events_staff:evaluation_send": TEAM_CHANGE,
    "events_staff:material": TEAM_CHANGE,
    "events_staff:material_remove": TEAM_CHANGE,
    "events_staff:economy": TEAM_CHANGE,
    "events_staff:budget_line_edit": TEAM_CHANGE,
    "events_staff:budget_line_delete": TEAM_CHANGE,
    "events_staff:seats": TEAM_CHANGE,
    "events_staff:seat_pool_edit": TEAM_CHANGE,
    "events_staff:seat_pool_delete": TEAM_CHANGE,
    "events_staff:group_seats_until": TEAM_CHANGE,
}

READ_ONLY = {
    "events:approvals",
    "events_staff:list",
    "events_staff:detail",
    "events_staff:participants",
    "events_staff:export_csv",
    "events_staff:export_xlsx",
    "events_staff:session_places",
    "events_staff:material_download",
    "events_staff:economy_year",
    "events_staff:economy_year_csv",
    "events_staff:economy_year_xlsx",
    "events_staff:attendance",
    "events_staff:attendance_session",
    "events_staff:attendance_pdf",
    "events_staff:certificate",
}

OBJECT_URLS = [
    "events:month",
    "events:detail",
    "events:ics",
    "events:register",
    "events:register_colleagues",
    "events:registration",
    "events:registration_cancel",
    "events:registration_confirm",
    "events:registration_sessions",
    "events:register_sent",
    "events:registration_accept",
    "events:registration_decline",
    "events:approval_decide",
    "events_staff:detail",
    "events_staff:edit",
    "events_staff:cancel",
    "events_staff:participants",
    "events_staff:email",
    "events_staff:export_csv",
    "events_staff:export_xlsx",
    "events_staff:session_places",
    "events_staff:publish",
    "events_staff:copy",
    "events_staff:register",
    "events_staff:participant_action",
    "events_staff:attendance",
    "events_staff:attendance_session",
    "events_staff:attendance_mark",
    "events_staff:attendance_pdf",
    "events_staff:certificates_issue",
    "events_staff:certificate",
    "events_staff:evaluation_send",
    "events:registration_certificate",
    "events:my_certificate",
    "events_staff:material",
    "events_staff:material_remove",
    "events_staff:material_download",
    "events_staff:economy",
    "events_staff:budget_line_edit",
    "events_staff:budget_line_delete",
    "events_staff:economy_year",
    "events_staff:economy_year_csv",
    "events_staff:economy_year_xlsx",
    "events:material_download",
    "events_staff:seats",
    "events_staff:seat_pool_edit",
    "events_staff:seat_pool_delete",
    "events_staff:group_seats_until",
    "api:event",
    "api:register",
]


def setup(site: Any) -> dict[str, Any]:
    w = site.world
    colleague = site.of("directory")["colleague"]
    event = make_event(w.agency, title="Bokprat for barn", capacity=10)
    draft_event = make_event(w.agency, title="Utkast", status="draft")
    registration = registration_create(
        event=event, name=colleague.name, email=colleague.email, library=w.library
    )
    material = material_add(
        actor=w.consultant,
        agency=w.agency,
        event=event,
        title="Lysark",
        kind="file",
        file=ContentFile(b"%PDF-1.4 lysark", name="lysark.pdf"),
        tell_participants=False,
    )
    line = budget_line_create(
        actor=w.consultant,
        agency=w.agency,
        event=event,
        data=BudgetLineData(kind="cost", category="venue", amount=Decimal("4000"), payer="agency"),
    )
    pool = seat_pool_create(
        actor=w.consultant,
        agency=w.agency,
        event=event,
        data=PoolData(name="Sarpsborg", capacity=2, municipalities=[], libraries=[w.other_library]),
    )
    workshop = event.sessions.get()
    Session.objects.filter(pk=workshop.pk).update(capacity=5)  # an elective session
    approval_event = make_event(w.agency, title="Med godkjenning", manager_approval=True)
    pending = registration_create(
        event=approval_event, name="Aisha", email=w.staff.email, library=w.library
    )
    return {
        "event": event,
        "draft_event": draft_event,
        "registration": registration,
        "material": material,
        "line": line,
        "pool": pool,
        "workshop": workshop,
        "pending": pending,
        **ended_course(w),
    }


def ended_course(world: Any) -> dict[str, Any]:
    """An ended course: Aisha has her certificate; Per, who came as often, has none yet."""
    past = timezone.now() - timedelta(days=2)
    ended = event_create(
        actor=world.consultant,
        agency=world.agency,
        kind="course",
        title="Avsluttet kurs",
        status="published",
        certificate_min_sessions=1,
        evaluation_url="https://forms.example.org/kurs",
        sessions=[SessionData(starts_at=past, ends_at=past + timedelta(hours=3))],
    )
    session = ended.sessions.get()
    aisha = registration_create(
        event=ended,
        name="Aisha Bibliotekar",
        email=world.staff.email,
        library=world.library,
        user=world.staff,
        staff_override=True,
    )
    mark = {"actor": world.consultant, "agency": world.agency, "session": session}
    attendance_mark(registration=aisha, present=True, **mark)
    certificates_issue(actor=world.consultant, agency=world.agency, event=ended)
    per = registration_create(
        event=ended, name="Per Senere", email="per.senere@example.org", staff_override=True
    )
    attendance_mark(registration=per, present=True, **mark)
    return {"ended": ended, "ended_session": session, "certified": aisha, "uncertified": per}


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    event = objects["event"]
    pk = event.pk
    token = objects["registration"].token
    ended = objects["ended"].pk
    material = objects["material"].pk
    line = objects["line"].pk
    year = event.starts_at.year
    return {
        "events:month": {"year": year, "month": event.starts_at.month},
        "events:detail": {"pk": pk},
        "events:ics": {"pk": pk},
        "events:register": {"pk": pk},
        "events:register_colleagues": {"pk": pk},
        "events:registration": {"token": token},
        "events:registration_cancel": {"token": token},
        "events:registration_confirm": {"token": token},
        "events:registration_sessions": {"token": token},
        "events:register_sent": {"pk": pk},
        "events:registration_accept": {"token": token},
        "events:registration_decline": {"token": token},
        "events:approval_decide": {"pk": objects["pending"].pk, "decision": "approve"},
        "events_staff:detail": {"pk": pk},
        "events_staff:edit": {"pk": pk},
        "events_staff:cancel": {"pk": pk},
        "events_staff:participants": {"pk": pk},
        "events_staff:email": {"pk": pk},
        "events_staff:export_csv": {"pk": pk},
        "events_staff:export_xlsx": {"pk": pk},
        "events_staff:publish": {"pk": objects["draft_event"].pk},
        "events_staff:copy": {"pk": pk},
        "events_staff:register": {"pk": pk},
        "events_staff:participant_action": {
            "pk": pk,
            "registration_pk": objects["registration"].pk,
            "action": "cancel",
        },
        "events_staff:material": {"pk": pk},
        "events_staff:material_remove": {"pk": pk, "material_pk": material},
        "events_staff:material_download": {"pk": pk, "material_pk": material},
        "events_staff:economy": {"pk": pk},
        "events_staff:budget_line_edit": {"pk": pk, "line_pk": line},
        "events_staff:budget_line_delete": {"pk": pk, "line_pk": line},
        "events_staff:economy_year": {"year": year},
        "events_staff:economy_year_csv": {"year": year},
        "events_staff:economy_year_xlsx": {"year": year},
        "events_staff:seats": {"pk": pk},
        "events_staff:session_places": {"pk": pk, "session_pk": objects["workshop"].pk},
        "events_staff:seat_pool_edit": {"pk": pk, "pool_pk": objects["pool"].pk},
        "events_staff:seat_pool_delete": {"pk": pk, "pool_pk": objects["pool"].pk},
        "events_staff:group_seats_until": {"pk": pk},
        "events:material_download": {"token": token, "material_pk": material},
        "events_staff:attendance": {"pk": ended},
        "events_staff:attendance_session": {
            "pk": ended,
            "session_pk": objects["ended_session"].pk,
        },
        "events_staff:attendance_mark": {
            "pk": ended,
            "session_pk": objects["ended_session"].pk,
            "registration_pk": objects["uncertified"].pk,
        },
        "events_staff:attendance_pdf": {"pk": ended},
        "events_staff:certificates_issue": {"pk": ended},
        "events_staff:certificate": {"pk": ended, "registration_pk": objects["certified"].pk},
        "events_staff:evaluation_send": {"pk": ended},
        "events:registration_certificate": {"token": objects["certified"].token},
        "events:my_certificate": {"pk": objects["certified"].pk},
        "api:event": {"event_id": pk},
        "api:register": {"event_id": pk},
    }.get(name, {})


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    return {
        "events:register_colleagues": {"people": [str(w.staff_person.pk)]},
        "events:registration_sessions": {"sessions": [str(objects["workshop"].pk)]},
        "events_staff:create": event_form_data(title="Nytt kurs"),
        "events_staff:edit": event_form_data(title="Endret tittel"),
        "events_staff:cancel": {"reason": "Foredragsholderen er syk."},
        "events_staff:email": {
            "statuses": ["confirmed"],
            "subject": "Velkommen",
            "message": "Vi gleder oss.",
        },
        "events_staff:copy": {"shift_days": "7"},
        # Per was marked present; marking him absent changes something.
        "events_staff:attendance_mark": {"present": "0"},
        "events_staff:material": {
            "kind": "link",
            "title": "Leseliste",
            "url": "https://example.org/leseliste",
            "description": "",
            "session": "",
            "tell_participants": "on",
        },
        "events_staff:economy": {
            "kind": "cost",
            "category": "speaker_fee",
            "description": "Foredragsholder",
            "amount": "12000",
            "payer": "agency",
        },
        "events_staff:budget_line_edit": {
            "kind": "cost",
            "category": "venue",
            "description": "Salen",
            "amount": "4500",
            "payer": "municipality",
        },
        "events_staff:seats": {
            "name": "Fredrikstad",
            "capacity": "2",
            "municipalities": [str(w.municipality.pk)],
        },
        "events_staff:seat_pool_edit": {
            "name": "Sarpsborg",
            "capacity": "3",
            "libraries": [str(w.other_library.pk)],
        },
        "events_staff:group_seats_until": {"group_seats_until": "2031-05-01T12:00"},
        "events_staff:register": {
            "name": "Ny Deltaker",
            "email": "ny@example.org",
            "library": w.library.pk,
            "organisation": "",
        },
    }.get(name, {})


def database_state() -> dict[str, list[Mapping[str, object]]]:
    return {
        "events": list(Event.objects.order_by("pk").values()),
        "registrations": list(Registration.objects.order_by("pk").values()),
        "material": list(Material.objects.order_by("pk").values()),
        "budget_lines": list(BudgetLine.objects.order_by("pk").values()),
        "seat_pools": list(SeatPool.objects.order_by("pk").values()),
        "sessions": list(Session.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return []
