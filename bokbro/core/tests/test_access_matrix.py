"""Every page of the project, requested as every role (STYLE.md §4).

The table below is the access policy written down. A view added without a row here fails
`test_every_url_of_the_project_is_in_the_table`, so each new page gets its rules (and its
outsider test) when it is written.

Roles: the fixed users of `bokbro/conftest.py` on the Norwegian agency's site (`testserver`),
plus `outsider_home`: the Swedish agency's consultant on their own site (`jonkoping.testserver`)
asking for the Norwegian objects.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bokbro.accounts.models import User
from bokbro.core.models import AuditEntry
from bokbro.core.tests.access_roles import (  # noqa: F401
    ADMIN_ONLY,
    AWAY,
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    OUTSIDER_HOST,
    OWN_HOST,
    ROLES,
    SIGN_IN_PAGE,
    SIGNED_IN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.directory.models import (
    Agency,
    Library,
    LibraryRole,
    LibraryRoleKind,
    Organisation,
    Person,
    TeamMember,
)
from bokbro.directory.tests.factories import (
    LibraryRoleFactory,
    OrganisationFactory,
    PersonFactory,
)
from bokbro.events.models import BudgetLine, Event, Material, Registration
from bokbro.events.tests.test_staff_events import form_data as event_form_data

pytestmark = pytest.mark.django_db


# Modules add their own rows (docs/adding-a-module.md): `bokbro/<module>/tests/access.py` holds
# GET_EXPECTED, POST_EXPECTED, READ_ONLY, OBJECT_URLS and the functions setup(site) -> objects,
# url_kwargs(name, site, objects), post_data(name, site, objects), database_state() and
# hidden_texts(role, site, objects) (texts that role must never see, such as internal notes).
def find_modules() -> list[ModuleType]:
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("bokbro."):
            continue
        name = f"{config.name}.tests.access"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name not in {name, f"{config.name}.tests"}:
                raise
    return found


MODULES = find_modules()


def module_of(name: str) -> ModuleType | None:
    return next((module for module in MODULES if name in module.GET_EXPECTED), None)


# One answer per role, in the order of ROLES.
GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "core:home": OPEN,
    "agency:team": OPEN,
    "core:contact": OPEN,
    "core:privacy": OPEN,
    "core:accessibility": OPEN,
    "core:healthz": OPEN,
    "core:set_language": (405,) * 8,
    "agency:audit_log": ADMIN_ONLY,
    "agency:agency_edit": ADMIN_ONLY,
    "agency:team_manage": ADMIN_ONLY,
    "agency:team_member_create": ADMIN_ONLY,
    "agency:team_member_edit": ADMIN_ONLY,
    "agency:team_member_delete": (LOGIN, 403, 403, 403, 403, 405, 403, 403),
    "directory:index": OPEN,
    "directory:county": OPEN,
    "directory:municipality": OPEN,
    "directory:library_list": OPEN,
    "directory:library": OPEN,
    "directory:library_create": TEAM_GET,
    "directory:library_edit": TEAM_OBJECT,
    "directory:organisation_list": OPEN,
    "directory:organisation": OPEN,
    "directory:organisation_create": TEAM_GET,
    "directory:organisation_edit": TEAM_OBJECT,
    "directory:person_list": TEAM_GET,
    "directory:person_create": TEAM_GET,
    # The colleague (library staff at Fredrikstad): their manager sees them, staff do not.
    "directory:person": (LOGIN, 403, 403, 200, 200, 200, 403, 403),
    "directory:person_edit": TEAM_OBJECT,
    "directory:person_delete": TEAM_POST_ONLY,
    "directory:person_role_add": TEAM_POST_ONLY,
    "directory:person_role_remove": TEAM_POST_ONLY,
    "accounts:me": SIGNED_IN,
    "accounts:export": SIGNED_IN,
    "accounts:delete": SIGNED_IN,
    "api:api-root": (404,) * 8,
    "api:openapi-json": OPEN,
    "api:openapi-view": OPEN,
    "api:counties": OPEN,
    "api:municipalities": OPEN,
    "api:libraries": OPEN,
    "api:library": OPEN,
    # Events, public side. The event is the Norwegian agency's: on the Swedish site it is 404.
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
    "events:registration_accept": (405,) * 8,
    "events:registration_decline": (405,) * 8,
    "events:approvals": (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    "events:approval_decide": (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    "events:mine": SIGNED_IN,
    # Events, the agency's staff.
    "events_staff:list": TEAM_GET,
    "events_staff:create": TEAM_GET,
    "events_staff:detail": TEAM_OBJECT,
    "events_staff:edit": TEAM_OBJECT,
    "events_staff:cancel": TEAM_OBJECT,
    "events_staff:participants": TEAM_OBJECT,
    "events_staff:email": TEAM_OBJECT,
    "events_staff:export_csv": TEAM_OBJECT,
    "events_staff:export_xlsx": TEAM_OBJECT,
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
    # Material through the personal link of a confirmed registration (the link is the key).
    "events:material_download": OPEN,
    "api:events": OPEN,
    "api:event": ON_OWN_SITE,
    "api:register": (405,) * 8,
    # allauth's public pages (its other views are allauth's to test).
    "account_login": SIGN_IN_PAGE,
    "account_request_login_code": SIGN_IN_PAGE,
    "account_signup": SIGN_IN_PAGE,
    "account_reset_password": (200,) * 8,
    "mfa_index": SIGNED_IN,
    "account_email": SIGNED_IN,
}
ALLAUTH_PAGES = {
    "account_login",
    "account_request_login_code",
    "account_signup",
    "account_reset_password",
    "mfa_index",
    "account_email",
}

# POST with valid data: a permitted role changes something (302), every other role changes
# nothing. One answer per role, in the order of ROLES.
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
    "agency:agency_edit": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_create": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_edit": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_delete": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    # The outsider at home may add libraries, but not in a Norwegian municipality: the form
    # comes back with an error.
    "directory:library_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "directory:library_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:organisation_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "directory:organisation_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    # A person the outsider's agency registers is theirs (created_by_agency).
    "directory:person_create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "directory:person_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_delete": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_role_add": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_role_remove": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    # A library manager registers their own colleagues.
    "events:register_colleagues": (LOGIN, 403, 403, 302, 403, 403, 403, 404),
    # Only the manager of the library the pending place belongs to finds it.
    "events:approval_decide": (LOGIN, 404, 404, 302, 404, 404, 404, 404),
    # The Swedish consultant at home creates an event for his own agency.
    "events_staff:create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "events_staff:edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:cancel": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:email": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:publish": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:copy": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:register": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:participant_action": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:attendance_mark": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:certificates_issue": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:evaluation_send": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:material": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:material_remove": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:economy": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:budget_line_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "events_staff:budget_line_delete": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
}
for _module in MODULES:
    _overlap = set(_module.GET_EXPECTED) & set(GET_EXPECTED)
    assert not _overlap, f"{_module.__name__} repeats rows: {_overlap}"
    GET_EXPECTED.update(_module.GET_EXPECTED)
    POST_EXPECTED.update(_module.POST_EXPECTED)


@dataclass
class Site:
    """The `world` plus the directory rows the pages are about."""

    world: Any
    organisation: Organisation
    colleague: Person
    colleague_role: LibraryRole
    swedish_person: Person
    event: Any
    draft_event: Any
    registration: Any
    pending: Any
    # What each module's `setup(site)` made, by module name (see MODULES).
    extra: dict[str, Any] = field(default_factory=dict)

    def objects(self, name: str) -> Any:
        """The objects of the module whose rows hold the URL `name`."""
        return self.extra[module_of(name).__name__]


@pytest.fixture
def site(world: Any, settings: Any, tmp_path: Any) -> Site:
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(
        name="Fredrikstad videregående skole", municipality=world.municipality
    )
    colleague = PersonFactory(
        name="Per Frivillig", email="per@fredrikstad.example", organisation=organisation
    )
    colleague_role = LibraryRoleFactory(
        person=colleague, library=world.library, role=LibraryRoleKind.STAFF
    )
    swedish_person = LibraryRoleFactory(
        person__name="Sven Svensson",
        person__email="sven@varnamo.example",
        library=world.swedish_library,
        role=LibraryRoleKind.MANAGER,
    ).person
    from bokbro.events.services import budget_line_create, material_add, registration_create
    from bokbro.events.tests.conftest import make_event

    event = make_event(world.agency, title="Bokprat for barn", capacity=10)
    draft_event = make_event(world.agency, title="Utkast", status="draft")
    registration = registration_create(
        event=event, name=colleague.name, email=colleague.email, library=world.library
    )
    material_add(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        title="Lysark",
        kind="file",
        file=ContentFile(b"%PDF-1.4 lysark", name="lysark.pdf"),
        tell_participants=False,
    )
    budget_line_create(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        data={"kind": "cost", "category": "venue", "amount": Decimal("4000"), "payer": "agency"},
    )
    approval_event = make_event(world.agency, title="Med godkjenning", manager_approval=True)
    pending = registration_create(
        event=approval_event, name="Aisha", email=world.staff.email, library=world.library
    )
    ended_course(world)
    site = Site(
        world,
        organisation,
        colleague,
        colleague_role,
        swedish_person,
        event,
        draft_event,
        registration,
        pending,
    )
    for module in MODULES:
        site.extra[module.__name__] = module.setup(site)
    return site


def ended_course(world: Any) -> None:
    """An ended course: Aisha has her certificate; Per, who came as often, has none yet."""
    from datetime import timedelta

    from django.utils import timezone

    from bokbro.events.attendance_services import attendance_mark, certificates_issue
    from bokbro.events.services import SessionData, event_create, registration_create

    past = timezone.now() - timedelta(days=2)
    ended = event_create(
        actor=world.consultant,
        agency=world.agency,
        data={
            "kind": "course",
            "title": "Avsluttet kurs",
            "status": "published",
            "certificate_min_sessions": 1,
            "evaluation_url": "https://forms.example.org/kurs",
        },
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


def url_kwargs(name: str, site: Site) -> dict[str, Any]:
    if (module := module_of(name)) is not None:
        return dict(module.url_kwargs(name, site, site.objects(name)))
    w = site.world
    consultant_member = TeamMember.objects.get(user=w.consultant)
    ended = Event.objects.get(title="Avsluttet kurs")
    ended_session = ended.sessions.get()
    certified = ended.registrations.get(name="Aisha Bibliotekar")
    uncertified = ended.registrations.get(name="Per Senere")
    material = site.event.material.get()
    line = site.event.budget_lines.get()
    return {
        "agency:team_member_edit": {"pk": consultant_member.pk},
        "agency:team_member_delete": {"pk": consultant_member.pk},
        "directory:county": {"country": "no", "code": w.county.code},
        "directory:municipality": {"country": "no", "code": w.municipality.code},
        "directory:library": {"pk": w.library.pk},
        "directory:library_edit": {"pk": w.library.pk},
        "directory:organisation": {"pk": site.organisation.pk},
        "directory:organisation_edit": {"pk": site.organisation.pk},
        "directory:person": {"pk": site.colleague.pk},
        "directory:person_edit": {"pk": site.colleague.pk},
        "directory:person_delete": {"pk": site.colleague.pk},
        "directory:person_role_add": {"pk": site.colleague.pk},
        "directory:person_role_remove": {
            "pk": site.colleague.pk,
            "role_pk": site.colleague_role.pk,
        },
        "api:library": {"library_id": w.library.pk},
        "events:month": {"year": site.event.starts_at.year, "month": site.event.starts_at.month},
        "events:detail": {"pk": site.event.pk},
        "events:ics": {"pk": site.event.pk},
        "events:register": {"pk": site.event.pk},
        "events:register_colleagues": {"pk": site.event.pk},
        "events:registration": {"token": site.registration.token},
        "events:registration_cancel": {"token": site.registration.token},
        "events:registration_accept": {"token": site.registration.token},
        "events:registration_decline": {"token": site.registration.token},
        "events:approval_decide": {"pk": site.pending.pk, "decision": "approve"},
        "events_staff:detail": {"pk": site.event.pk},
        "events_staff:edit": {"pk": site.event.pk},
        "events_staff:cancel": {"pk": site.event.pk},
        "events_staff:participants": {"pk": site.event.pk},
        "events_staff:email": {"pk": site.event.pk},
        "events_staff:export_csv": {"pk": site.event.pk},
        "events_staff:export_xlsx": {"pk": site.event.pk},
        "events_staff:publish": {"pk": site.draft_event.pk},
        "events_staff:copy": {"pk": site.event.pk},
        "events_staff:register": {"pk": site.event.pk},
        "events_staff:participant_action": {
            "pk": site.event.pk,
            "registration_pk": site.registration.pk,
            "action": "cancel",
        },
        "events_staff:material": {"pk": site.event.pk},
        "events_staff:material_remove": {"pk": site.event.pk, "material_pk": material.pk},
        "events_staff:material_download": {"pk": site.event.pk, "material_pk": material.pk},
        "events_staff:economy": {"pk": site.event.pk},
        "events_staff:budget_line_edit": {"pk": site.event.pk, "line_pk": line.pk},
        "events_staff:budget_line_delete": {"pk": site.event.pk, "line_pk": line.pk},
        "events_staff:economy_year": {"year": site.event.starts_at.year},
        "events_staff:economy_year_csv": {"year": site.event.starts_at.year},
        "events_staff:economy_year_xlsx": {"year": site.event.starts_at.year},
        "events:material_download": {
            "token": site.registration.token,
            "material_pk": material.pk,
        },
        "events_staff:attendance": {"pk": ended.pk},
        "events_staff:attendance_session": {"pk": ended.pk, "session_pk": ended_session.pk},
        "events_staff:attendance_mark": {
            "pk": ended.pk,
            "session_pk": ended_session.pk,
            "registration_pk": uncertified.pk,
        },
        "events_staff:attendance_pdf": {"pk": ended.pk},
        "events_staff:certificates_issue": {"pk": ended.pk},
        "events_staff:certificate": {"pk": ended.pk, "registration_pk": certified.pk},
        "events_staff:evaluation_send": {"pk": ended.pk},
        "events:registration_certificate": {"token": certified.token},
        "events:my_certificate": {"pk": certified.pk},
        "api:event": {"event_id": site.event.pk},
        "api:register": {"event_id": site.event.pk},
    }.get(name, {})


def post_data(name: str, site: Site) -> dict[str, Any]:
    """Valid form data, so that a permitted role really changes something."""
    if (module := module_of(name)) is not None:
        return dict(module.post_data(name, site, site.objects(name)))
    w = site.world
    library = {
        "name": "Nytt navn bibliotek",
        "kind": "main",
        "municipality": w.municipality.pk,
        "sigel": "",
        "street_address": "Storgata 1",
        "postcode": "1606",
        "city": "Fredrikstad",
        "email": "",
        "phone": "",
        "website": "",
        "is_active": "on",
    }
    organisation = {
        "name": "Ny skole",
        "kind": "school",
        "municipality": w.municipality.pk,
        "org_number": "",
        "email": "",
        "phone": "",
        "website": "",
    }
    person = {
        "name": "Nytt Navn",
        "email": "ny@fredrikstad.example",
        "phone": "",
        "title": "",
        "organisation": "",
    }
    return {
        "agency:agency_edit": {
            "name": "Overtatt",
            "organisation_name": "",
            "intro": "",
            "language": "nb",
            "currency": "NOK",
            "email": "",
            "phone": "",
            "street_address": "",
            "postcode": "",
            "city": "",
            "website": "",
        },
        "agency:team_member_create": {
            "name": "Nina Ny",
            "title": "",
            "area": "",
            "email": "nina@ostfold.example",
            "phone": "",
            "role": "consultant",
            "is_listed": "on",
            "position": "0",
        },
        "agency:team_member_edit": {
            "name": "Kari Omdøpt",
            "title": "",
            "area": "",
            "email": "kari@ostfold.example",
            "phone": "",
            "role": "admin",
            "is_listed": "on",
            "position": "0",
        },
        "directory:library_create": library,
        "directory:library_edit": library,
        "directory:organisation_create": organisation,
        "directory:organisation_edit": organisation,
        "directory:person_create": person,
        "directory:person_edit": person,
        "directory:person_role_add": {"library": w.library.pk, "role": "manager"},
        "events:register_colleagues": {"people": [str(w.staff_person.pk)]},
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
        "events_staff:register": {
            "name": "Ny Deltaker",
            "email": "ny@example.org",
            "library": w.library.pk,
            "organisation": "",
        },
    }.get(name, {})


def client_as(role: str, site: Site, client_for: Any) -> Any:
    if role == "outsider_home":
        return client_for(site.world.outsider, host=OUTSIDER_HOST)
    return client_for(site.world.users()[role])


def own_url_names() -> set[str]:
    """The named URL patterns of the project's own apps, found by walking the resolver: every
    pattern but Django admin's and allauth's (whose public pages the table lists by hand)."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                if pattern.namespace != "admin" and not module.startswith("allauth."):
                    walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern} in {namespace}"
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "")
    return names


def assert_answer(response: Any, expected: Any, what: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert response["Location"].startswith(reverse("account_login") + "?next="), what
    elif expected == AWAY:
        assert response.status_code == 302, what
        assert not response["Location"].startswith(reverse("account_login")), what
    else:
        assert response.status_code == expected, what


def database_state() -> dict[str, list[dict[str, Any]]]:
    return {
        "agencies": list(Agency.objects.order_by("pk").values()),
        "libraries": list(Library.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "library_roles": list(LibraryRole.objects.order_by("pk").values()),
        "team": list(TeamMember.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "email", "name", "language")),
        "events": list(Event.objects.order_by("pk").values()),
        "registrations": list(Registration.objects.order_by("pk").values()),
        "material": list(Material.objects.order_by("pk").values()),
        "budget_lines": list(BudgetLine.objects.order_by("pk").values()),
    } | {
        f"{module.__name__}:{key}": rows
        for module in MODULES
        for key, rows in module.database_state().items()
    }


def hidden_emails(role: str, site: Site) -> list[str]:
    """E-mail addresses of directory people that this role must never see."""
    people = Person.objects.exclude(email="")
    if role == "outsider_home":
        people = people.exclude(pk=site.swedish_person.pk)  # the outsider's own region
    else:
        user = site.world.users()[role]
        if user is not None:
            people = people.exclude(email__iexact=user.email)
    hidden = list(people.values_list("email", flat=True))
    for module in MODULES:
        hidden += module.hidden_texts(role, site, site.extra[module.__name__])
    return hidden


def test_every_url_of_the_project_is_in_the_table():
    missing = own_url_names() - set(GET_EXPECTED)
    assert not missing, f"add these URLs to GET_EXPECTED with their access rules: {missing}"
    stale = set(GET_EXPECTED) - own_url_names() - ALLAUTH_PAGES
    assert not stale, f"these URLs are gone: {stale}"


# Protected pages that change nothing, so they need no POST row.
READ_ONLY = {
    "agency:audit_log",
    "agency:team_manage",
    "directory:person_list",
    "directory:person",
    "events:approvals",
    "events_staff:list",
    "events_staff:detail",
    "events_staff:participants",
    "events_staff:export_csv",
    "events_staff:export_xlsx",
    "events_staff:material_download",
    "events_staff:economy_year",
    "events_staff:economy_year_csv",
    "events_staff:economy_year_xlsx",
    "events_staff:attendance",
    "events_staff:attendance_session",
    "events_staff:attendance_pdf",
    "events_staff:certificate",
}
for _module in MODULES:
    READ_ONLY |= set(_module.READ_ONLY)


def test_every_protected_url_has_a_post_row():
    protected = {name for name, row in GET_EXPECTED.items() if 403 in row}
    missing = protected - READ_ONLY - set(POST_EXPECTED)
    assert not missing, f"add POST rows for: {missing}"


@pytest.mark.parametrize("name", sorted(GET_EXPECTED))
def test_get_answers_each_role_as_the_table_says(name, site, client_for):
    url = reverse(name, kwargs=url_kwargs(name, site))
    for role, expected in zip(ROLES, GET_EXPECTED[name], strict=True):
        response = client_as(role, site, client_for).get(url)
        assert_answer(response, expected, f"GET {url} as {role}")
        if role in {"anonymous", "public", "staff", "outsider", "outsider_home"}:
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")  # downloads (XLSX, files) are bytes
            leaked = [email for email in hidden_emails(role, site) if email in body]
            assert not leaked, f"GET {url} as {role} shows personal data: {leaked}"


@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_post_changes_data_only_for_permitted_roles(name, site, client_for):
    url = reverse(name, kwargs=url_kwargs(name, site))
    data = post_data(name, site)
    for role, expected in zip(ROLES, POST_EXPECTED[name], strict=True):
        # Each role starts from the same data: the savepoint is rolled back after the request.
        with transaction.atomic():
            before = database_state()
            response = client_as(role, site, client_for).post(url, data)
            after = database_state()
            transaction.set_rollback(True)
        assert_answer(response, expected, f"POST {url} as {role}")
        if expected == 302:
            # The data is good enough to do harm, so "nothing changed" below means something.
            assert after != before, f"POST {url} as {role} changed nothing"
        else:
            assert after == before, f"POST {url} as {role} changed data"


OBJECT_URLS = [
    "agency:team_member_edit",
    "agency:team_member_delete",
    "directory:county",
    "directory:municipality",
    "directory:library",
    "directory:library_edit",
    "directory:organisation",
    "directory:organisation_edit",
    "directory:person",
    "directory:person_edit",
    "directory:person_delete",
    "directory:person_role_add",
    "directory:person_role_remove",
    "api:library",
    "events:month",
    "events:detail",
    "events:ics",
    "events:register",
    "events:register_colleagues",
    "events:registration",
    "events:registration_cancel",
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
    "api:event",
    "api:register",
]
for _module in MODULES:
    OBJECT_URLS += list(_module.OBJECT_URLS)


def test_every_url_with_an_object_has_a_missing_object_test(site):
    with_object = {name for name in GET_EXPECTED if url_kwargs(name, site)}
    assert with_object == set(OBJECT_URLS)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_missing_object_answers_404(name, site, client_for):
    kwargs = url_kwargs(name, site)
    missing = {
        key: value if key == "country" else 9_999_999 if isinstance(value, int) else "99"
        for key, value in kwargs.items()
    }
    url = reverse(name, kwargs=missing)
    client = client_for(site.world.admin)

    post_only = 405 in GET_EXPECTED[name]
    if name == "api:register":  # a JSON body, valid but for the missing event
        body = json.dumps({"name": "A", "email": "a@example.org"})
        response = client.post(url, body, content_type="application/json")
    elif post_only:
        response = client.post(url, post_data(name, site))
    else:
        response = client.get(url)

    assert response.status_code == 404
