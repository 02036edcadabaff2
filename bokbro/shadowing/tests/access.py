"""Job shadowing's rows of the access matrix (core/tests/test_access_matrix.py).

In `setup`, the Norwegian agency offers places at Sarpsborg (Marte's library): offer A, for its
own libraries only, where Aisha (library staff) waits for her manager Ola's consent and Ola
(who consents for himself) waits for the host; offer C, open to the other agencies, which the
roles apply for; and a past offer where Aisha's stay has begun. The applicants' motivations are
personal: never shown to the public, another agency's consultant or a colleague."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bokbro.core.tests.access_roles import LOGIN, ON_OWN_SITE, OPEN, SIGNED_IN, TEAM_GET
from bokbro.shadowing.models import Application, Offer

AISHA_MOTIVATION = "Aisha vil lære om frivillige i Sarpsborg"
OLA_MOTIVATION = "Ola vil se hvordan Sarpsborg har meröppet"

POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
APPLICATION = (LOGIN, 403, 200, 200, 200, 200, 403, 404)
HOSTS = (LOGIN, 403, 403, 403, 200, 200, 403, 404)
HOSTS_CHANGE = (LOGIN, 403, 403, 403, 302, 302, 403, 404)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "shadowing:index": OPEN,
    "shadowing:detail": ON_OWN_SITE,
    "shadowing:apply": POST_ONLY,
    "shadowing:mine": SIGNED_IN,
    "shadowing:application": APPLICATION,
    "shadowing:consent": POST_ONLY,
    "shadowing:decide": POST_ONLY,
    "shadowing:withdraw": POST_ONLY,
    "shadowing:travel": POST_ONLY,
    "shadowing:report": POST_ONLY,
    # A library manager offers places at their library; the team at any library of the region.
    "shadowing:create": (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    "shadowing:edit": HOSTS,
    "shadowing:manage": HOSTS,
    "shadowing:overview": TEAM_GET,
    "shadowing:export_csv": TEAM_GET,
    "shadowing:export_xlsx": TEAM_GET,
    "api:shadowing_offers": OPEN,
    "api:shadowing_offer": ON_OWN_SITE,
}

POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # Library people apply (open offer C, visible on the Swedish site too); whoever is not in
    # the directory gets the page again with the reason.
    "shadowing:apply": (LOGIN, 200, 302, 302, 200, 200, 200, 200),
    # Only the applicant's manager consents (Ola, for Aisha).
    "shadowing:consent": (LOGIN, 403, 403, 302, 403, 403, 403, 404),
    # Only the host answers (the agency's team here; Ola is the applicant).
    "shadowing:decide": HOSTS_CHANGE,
    # Only the applicant withdraws.
    "shadowing:withdraw": (LOGIN, 403, 302, 403, 403, 403, 403, 404),
    # Travel support: the applicant's agency.
    "shadowing:travel": HOSTS_CHANGE,
    # The guest's report: Aisha, whose stay has begun.
    "shadowing:report": (LOGIN, 403, 302, 403, 403, 403, 403, 404),
    # The Swedish agency cannot offer places at a Norwegian library: the form again.
    "shadowing:create": (LOGIN, 403, 403, 302, 302, 302, 403, 200),
    "shadowing:edit": HOSTS_CHANGE,
}

READ_ONLY = {
    "shadowing:application",
    "shadowing:manage",
    "shadowing:overview",
    "shadowing:export_csv",
    "shadowing:export_xlsx",
}

OBJECT_URLS = [
    name
    for name in GET_EXPECTED
    if name
    not in {
        "shadowing:index",
        "shadowing:mine",
        "shadowing:create",
        "shadowing:overview",
        "shadowing:export_csv",
        "shadowing:export_xlsx",
        "api:shadowing_offers",
    }
]


def setup(site: Any) -> dict[str, Any]:
    from bokbro.shadowing import services
    from bokbro.shadowing.tests.factories import accepted_stay, make_offer

    w = site.world
    offer = make_offer(w)
    waiting_for_manager = services.application_create(
        actor=w.staff,
        agency=w.agency,
        offer=offer,
        person=w.staff_person,
        library=w.library,
        motivation=AISHA_MOTIVATION,
    )
    waiting_for_host = services.application_create(
        actor=w.manager,
        agency=w.agency,
        offer=offer,
        person=w.manager_person,
        library=w.library,
        motivation=OLA_MOTIVATION,
    )
    open_offer = make_offer(w, title="Auskultation for alle", open_to_other_agencies=True)
    past = make_offer(w, days=-2, title="Hospitering i fjor")
    stay = accepted_stay(w, past, w.staff_person, w.library)
    return {
        "offer": offer,
        "open": open_offer,
        "past": past,
        "waiting_for_manager": waiting_for_manager,
        "waiting_for_host": waiting_for_host,
        "stay": stay,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    if name in {
        "shadowing:index",
        "shadowing:mine",
        "shadowing:create",
        "shadowing:overview",
        "shadowing:export_csv",
        "shadowing:export_xlsx",
        "api:shadowing_offers",
    }:
        return {}
    if name == "api:shadowing_offer":
        return {"offer_id": objects["offer"].pk}
    if name == "shadowing:apply":
        return {"pk": objects["open"].pk}
    if name in {"shadowing:detail", "shadowing:edit", "shadowing:manage"}:
        return {"pk": objects["offer"].pk}
    if name == "shadowing:decide":
        return {"pk": objects["waiting_for_host"].pk}
    if name == "shadowing:report":
        return {"pk": objects["stay"].pk}
    return {"pk": objects["waiting_for_manager"].pk}


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    offer = objects["offer"]
    offer_form = {
        "title": "Hospitering i barneavdelingen",
        "host_library": (w.library if name == "shadowing:create" else w.other_library).pk,
        "topics": "lesestimulering",
        "description": "Du blir med på bokprat.",
        "starts_on": (offer.starts_on + timedelta(days=30)).isoformat(),
        "ends_on": (offer.starts_on + timedelta(days=32)).isoformat(),
        "apply_by": (offer.starts_on + timedelta(days=10)).isoformat(),
        "places": "2",
        "language": "no",
        "contact_name": "Ola Sjef",
        "contact_email": "ola@fredrikstad.example",
    }
    return {
        "shadowing:apply": {"library": w.library.pk, "motivation": "Jeg vil lære."},
        "shadowing:consent": {"decision": "approve"},
        "shadowing:decide": {"decision": "accept"},
        "shadowing:travel": {"amount": "2500"},
        "shadowing:report": {"side": "guest", "guest-text": "Lærerike dager."},
        "shadowing:create": offer_form,
        "shadowing:edit": offer_form,
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "offers": list(Offer.objects.order_by("pk").values()),
        "applications": list(Application.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """Aisha reads her own motivation, never her manager's."""
    return [OLA_MOTIVATION] if role == "staff" else [AISHA_MOTIVATION, OLA_MOTIVATION]
