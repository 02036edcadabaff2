"""The advisory log's rows of the role matrix (`core/tests/test_access_matrix.py`), and the
profile pages' (which the advisory engineer owns).

Every page of the log is for the agency's own staff. The library profile is also for the
library's manager, who never sees the internal notes: `hidden_texts` makes the matrix look for
them on every page as every other role.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bokbro.advisory.models import (
    Consultation,
    FollowUp,
    FollowUpReminder,
    PlannedVisit,
    Topic,
    Tour,
)
from bokbro.advisory.services import (
    ConsultationData,
    consultation_create,
    follow_up_create,
    topic_create,
    tour_create,
    visit_add,
)
from bokbro.core.tests.access_roles import (
    LOGIN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)

INTERNAL_NOTE = "Internt: sjefen vurderer å slutte"
SUMMARY = "Gjennomgang av leseombudsordningen"

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "advisory:list": TEAM_GET,
    "advisory:export_csv": TEAM_GET,
    "advisory:export_xlsx": TEAM_GET,
    "advisory:create": TEAM_GET,
    "advisory:consultation": TEAM_OBJECT,
    "advisory:edit": TEAM_OBJECT,
    "advisory:delete": TEAM_POST_ONLY,
    "advisory:follow_up_add": TEAM_POST_ONLY,
    "advisory:my_follow_ups": TEAM_GET,
    "advisory:follow_up_edit": TEAM_OBJECT,
    "advisory:follow_up_done": TEAM_POST_ONLY,
    "advisory:topics": TEAM_GET,
    "advisory:topic_edit": TEAM_OBJECT,
    "advisory:tours": TEAM_GET,
    "advisory:tour_create": TEAM_GET,
    "advisory:tour": TEAM_OBJECT,
    "advisory:tour_edit": TEAM_OBJECT,
    "advisory:tour_ics": TEAM_OBJECT,
    "advisory:visit_add": TEAM_POST_ONLY,
    "advisory:visit_done": TEAM_OBJECT,
    "advisory:visit_remove": TEAM_POST_ONLY,
    # The profile of Fredrikstad bibliotek: its manager (Ola) and the agency's staff.
    "directory:library_profile": (LOGIN, 403, 200, 200, 200, 200, 403, 403),
    "directory:municipality_profile": TEAM_OBJECT,
}

# anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
STAFF_CHANGE = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # The outsider at home logs for his own agency, but the Norwegian library is not in his
    # region's list: the form comes back with an error.
    "advisory:create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "advisory:edit": STAFF_CHANGE,
    "advisory:delete": STAFF_CHANGE,
    "advisory:follow_up_add": STAFF_CHANGE,
    "advisory:follow_up_edit": STAFF_CHANGE,
    "advisory:follow_up_done": STAFF_CHANGE,
    # Each agency has its own topic list: the outsider at home adds to his.
    "advisory:topics": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "advisory:topic_edit": STAFF_CHANGE,
    # The Norwegian consultant is not on the Swedish team: the form comes back.
    "advisory:tour_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "advisory:tour_edit": STAFF_CHANGE,
    "advisory:visit_add": STAFF_CHANGE,
    "advisory:visit_done": STAFF_CHANGE,
    "advisory:visit_remove": STAFF_CHANGE,
}

READ_ONLY = {
    "advisory:list",
    "advisory:export_csv",
    "advisory:export_xlsx",
    "advisory:consultation",
    "advisory:my_follow_ups",
    "advisory:tours",
    "advisory:tour",
    "advisory:tour_ics",
    "directory:library_profile",
    "directory:municipality_profile",
}

OBJECT_URLS = [
    "advisory:consultation",
    "advisory:edit",
    "advisory:delete",
    "advisory:follow_up_add",
    "advisory:follow_up_edit",
    "advisory:follow_up_done",
    "advisory:topic_edit",
    "advisory:tour",
    "advisory:tour_edit",
    "advisory:tour_ics",
    "advisory:visit_add",
    "advisory:visit_done",
    "advisory:visit_remove",
    "directory:library_profile",
    "directory:municipality_profile",
]


def setup(site: Any) -> dict[str, Any]:
    w = site.world
    agency, kari = w.agency, w.consultant
    topic = topic_create(actor=kari, agency=agency, name="Lesefremming")
    consultation = consultation_create(
        actor=kari,
        agency=agency,
        consultant=kari,
        data=ConsultationData(
            date=date.today() - timedelta(days=3),
            kind="visit",
            hours=Decimal("2.5"),
            summary=SUMMARY,
            internal_notes=INTERNAL_NOTE,
        ),
        libraries=[w.library],
        municipalities=[w.municipality],
        people=[w.manager_person],
        topics=[topic],
    )
    follow_up = follow_up_create(
        actor=kari,
        agency=agency,
        consultation=consultation,
        what="Sende lenke til kursrekka",
        due_date=date.today() - timedelta(days=1),
        owner=kari,
    )
    start = date.today() + timedelta(days=7)
    tour = tour_create(
        actor=kari,
        agency=agency,
        title="Høstrunde",
        consultant=kari,
        starts_on=start,
        ends_on=start + timedelta(days=4),
    )
    visit = visit_add(
        actor=kari, agency=agency, tour=tour, library=w.library, date=start, purpose="Oppstart"
    )
    other_visit = visit_add(
        actor=kari, agency=agency, tour=tour, library=w.other_library, date=start + timedelta(1)
    )
    return {
        "topic": topic,
        "consultation": consultation,
        "follow_up": follow_up,
        "tour": tour,
        "visit": visit,
        "other_visit": other_visit,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    consultation = {"pk": objects["consultation"].pk}
    tour = {"pk": objects["tour"].pk}
    return {
        "advisory:consultation": consultation,
        "advisory:edit": consultation,
        "advisory:delete": consultation,
        "advisory:follow_up_add": consultation,
        "advisory:follow_up_edit": {"pk": objects["follow_up"].pk},
        "advisory:follow_up_done": {"pk": objects["follow_up"].pk},
        "advisory:topic_edit": {"pk": objects["topic"].pk},
        "advisory:tour": tour,
        "advisory:tour_edit": tour,
        "advisory:tour_ics": tour,
        "advisory:visit_add": tour,
        "advisory:visit_done": {**tour, "visit_pk": objects["visit"].pk},
        "advisory:visit_remove": {**tour, "visit_pk": objects["other_visit"].pk},
        "directory:library_profile": {"pk": w.library.pk},
        "directory:municipality_profile": {"country": "no", "code": w.municipality.code},
    }.get(name, {})


def consultation_form(site: Any, objects: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    w = site.world
    data = {
        "date": date.today().isoformat(),
        "kind": "phone",
        "consultant": str(w.consultant.pk),
        "libraries": [str(w.library.pk)],
        "municipalities": [],
        "people": [],
        "topics": [str(objects["topic"].pk)],
        "event": "",
        "hours": "1,5",
        "summary": "Ringte om meråpent",
        "internal_notes": "",
    }
    data.update(overrides)
    return data


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    tour = objects["tour"]
    tour_form = {
        "title": "Vårrunde",
        "consultant": str(w.consultant.pk),
        "starts_on": tour.starts_on.isoformat(),
        "ends_on": tour.ends_on.isoformat(),
        "notes": "",
    }
    return {
        "advisory:create": consultation_form(site, objects),
        "advisory:edit": consultation_form(site, objects, summary="Endret sammendrag"),
        "advisory:follow_up_add": {
            "what": "Sende tilbud",
            "due_date": (date.today() + timedelta(days=14)).isoformat(),
            "owner": str(w.consultant.pk),
        },
        "advisory:follow_up_edit": {
            "what": "Sende lenke til kursrekka",
            "due_date": (date.today() + timedelta(days=7)).isoformat(),
            "owner": str(w.admin.pk),
        },
        "advisory:follow_up_done": {"done": "1"},
        "advisory:topics": {"name": "Meråpent"},
        "advisory:topic_edit": {"name": "Leselyst", "is_active": "on"},
        "advisory:tour_create": tour_form,
        "advisory:tour_edit": {**tour_form, "title": "Høstrunde i sør"},
        "advisory:visit_add": {
            "library": str(w.library.pk),
            "date": tour.starts_on.isoformat(),
            "time": "10:00",
            "purpose": "Meråpent",
        },
        "advisory:visit_done": consultation_form(
            site, objects, kind="visit", date=objects["visit"].date.isoformat()
        ),
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "topics": list(Topic.objects.order_by("pk").values()),
        "consultations": list(Consultation.objects.order_by("pk").values()),
        "consultation_libraries": list(
            Consultation.libraries.through.objects.order_by("pk").values()
        ),
        "consultation_topics": list(Consultation.topics.through.objects.order_by("pk").values()),
        "follow_ups": list(FollowUp.objects.order_by("pk").values()),
        "reminders": list(FollowUpReminder.objects.order_by("pk").values()),
        "tours": list(Tour.objects.order_by("pk").values()),
        "visits": list(PlannedVisit.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The internal notes: for the agency's own staff alone."""
    if role in {"consultant", "admin"}:
        return []
    return [INTERNAL_NOTE]
