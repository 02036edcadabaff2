"""The directory's rows of the access matrix (core/tests/test_access_matrix.py): the national
directory (counties, municipalities, libraries, organisations, people), its API, and the
agency's own pages (`agency:`).

People are personal data: no role but the agency's staff for their region, a library's manager
for its people and the person themself ever sees a person's e-mail address (`hidden_texts`).
"""

from __future__ import annotations

from typing import Any

from bokbro.core.tests.access_roles import (
    ADMIN_ONLY,
    LOGIN,
    OPEN,
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
    PendingColleague,
    Person,
    TeamMember,
)
from bokbro.directory.tenancy import forget_hosts
from bokbro.directory.tests.factories import (
    LibraryRoleFactory,
    OrganisationFactory,
    PersonFactory,
)

MANAGER_OR_TEAM = (LOGIN, 403, 403, 200, 200, 200, 403, 403)
MANAGER_OR_TEAM_POST_ONLY = (LOGIN, 403, 403, 405, 405, 405, 403, 403)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "agency:team": OPEN,
    "agency:style": OPEN,
    # The Norwegian agency has a logo (setup); the Swedish one has none.
    "agency:logo": (200, 200, 200, 200, 200, 200, 200, 404),
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
    # The library's own manager and the agency's staff in its region.
    "directory:library_details": MANAGER_OR_TEAM,
    "directory:library_people": MANAGER_OR_TEAM,
    "directory:library_colleague_add": MANAGER_OR_TEAM_POST_ONLY,
    "directory:library_colleague_remove": MANAGER_OR_TEAM_POST_ONLY,
    "directory:library_pending_confirm": MANAGER_OR_TEAM_POST_ONLY,
    "directory:library_pending_dismiss": MANAGER_OR_TEAM_POST_ONLY,
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
    "api:counties": OPEN,
    "api:municipalities": OPEN,
    "api:libraries": OPEN,
    "api:library": OPEN,
}

# anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "agency:agency_edit": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_create": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_edit": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    "agency:team_member_delete": (LOGIN, 403, 403, 403, 403, 302, 403, 403),
    # The outsider at home may add libraries, but not in a Norwegian municipality: the form
    # comes back with an error.
    "directory:library_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "directory:library_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:library_details": (LOGIN, 403, 403, 302, 302, 302, 403, 403),
    "directory:library_colleague_add": (LOGIN, 403, 403, 302, 302, 302, 403, 403),
    "directory:library_colleague_remove": (LOGIN, 403, 403, 302, 302, 302, 403, 403),
    "directory:library_pending_confirm": (LOGIN, 403, 403, 302, 302, 302, 403, 403),
    "directory:library_pending_dismiss": (LOGIN, 403, 403, 302, 302, 302, 403, 403),
    "directory:organisation_create": (LOGIN, 403, 403, 403, 302, 302, 403, 200),
    "directory:organisation_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    # A person the outsider's agency registers is theirs (created_by_agency).
    "directory:person_create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "directory:person_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_delete": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_role_add": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
    "directory:person_role_remove": (LOGIN, 403, 403, 403, 302, 302, 403, 403),
}

READ_ONLY = {
    "agency:audit_log",
    "directory:library_people",
    "agency:team_manage",
    "directory:person_list",
    "directory:person",
}

OBJECT_URLS = [
    "agency:team_member_edit",
    "agency:team_member_delete",
    "directory:county",
    "directory:municipality",
    "directory:library",
    "directory:library_edit",
    "directory:library_details",
    "directory:library_people",
    "directory:library_colleague_add",
    "directory:library_colleague_remove",
    "directory:library_pending_confirm",
    "directory:library_pending_dismiss",
    "directory:organisation",
    "directory:organisation_edit",
    "directory:person",
    "directory:person_edit",
    "directory:person_delete",
    "directory:person_role_add",
    "directory:person_role_remove",
    "api:library",
]


def setup(site: Any) -> dict[str, Any]:
    """A school in Fredrikstad, a colleague of the manager's (library staff there, whom the
    events' rows register for a course), and a Swedish library manager: the one person the
    outsider at home may see."""
    w = site.world
    organisation = OrganisationFactory.create(
        name="Fredrikstad videregående skole", municipality=w.municipality
    )
    colleague = PersonFactory.create(
        name="Per Frivillig", email="per@fredrikstad.example", organisation=organisation
    )
    colleague_role = LibraryRoleFactory.create(
        person=colleague, library=w.library, role=LibraryRoleKind.STAFF
    )
    swedish_person = LibraryRoleFactory.create(
        person__name="Sven Svensson",
        person__email="sven@varnamo.example",
        library=w.swedish_library,
        role=LibraryRoleKind.MANAGER,
    ).person
    from django.core.files.base import ContentFile

    w.agency.logo.save(
        "logo.svg",
        ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect/></svg>'),
        save=True,
    )
    Agency.objects.filter(pk=w.agency.pk).update(accent_colour="#8a1538")
    forget_hosts()
    pending = PendingColleague.objects.create(
        library=w.library, name="Nils Ny", email="nils@fredrikstad.example"
    )
    return {
        "organisation": organisation,
        "colleague": colleague,
        "colleague_role": colleague_role,
        "swedish_person": swedish_person,
        "pending": pending,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    colleague = objects["colleague"]
    if name in {"agency:team_member_edit", "agency:team_member_delete"}:
        return {"pk": TeamMember.objects.get(user=w.consultant).pk}
    return {
        "directory:county": {"country": "no", "code": w.county.code},
        "directory:municipality": {"country": "no", "code": w.municipality.code},
        "directory:library": {"pk": w.library.pk},
        "directory:library_edit": {"pk": w.library.pk},
        "directory:library_details": {"pk": w.library.pk},
        "directory:library_people": {"pk": w.library.pk},
        "directory:library_colleague_add": {"pk": w.library.pk},
        "directory:library_colleague_remove": {"pk": w.library.pk, "person_pk": colleague.pk},
        "directory:library_pending_confirm": {
            "pk": w.library.pk,
            "pending_pk": objects["pending"].pk,
        },
        "directory:library_pending_dismiss": {
            "pk": w.library.pk,
            "pending_pk": objects["pending"].pk,
        },
        "directory:organisation": {"pk": objects["organisation"].pk},
        "directory:organisation_edit": {"pk": objects["organisation"].pk},
        "directory:person": {"pk": colleague.pk},
        "directory:person_edit": {"pk": colleague.pk},
        "directory:person_delete": {"pk": colleague.pk},
        "directory:person_role_add": {"pk": colleague.pk},
        "directory:person_role_remove": {
            "pk": colleague.pk,
            "role_pk": objects["colleague_role"].pk,
        },
        "api:library": {"library_id": w.library.pk},
    }.get(name, {})


def team_member_form(**values: str) -> dict[str, str]:
    return {
        "title": "",
        "area": "",
        "phone": "",
        "is_listed": "on",
        "position": "0",
        **values,
    }


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
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
        "agency:team_member_create": team_member_form(
            name="Nina Ny", email="nina@ostfold.example", role="consultant"
        ),
        "agency:team_member_edit": team_member_form(
            name="Kari Omdøpt", email="kari@ostfold.example", role="admin"
        ),
        "directory:library_create": library,
        "directory:library_edit": library,
        "directory:library_details": {
            "opening_hours": "Man–fre 10–19",
            "street_address": "Storgata 1",
            "postcode": "1606",
            "city": "Fredrikstad",
            "email": "",
            "phone": "",
            "website": "",
        },
        "directory:library_colleague_add": {
            "name": "Nina Ny",
            "email": "nina@fredrikstad.example",
            "role": "staff",
        },
        "directory:organisation_create": organisation,
        "directory:organisation_edit": organisation,
        "directory:person_create": person,
        "directory:person_edit": person,
        "directory:person_role_add": {"library": w.library.pk, "role": "manager"},
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "agencies": list(Agency.objects.order_by("pk").values()),
        "libraries": list(Library.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "library_roles": list(LibraryRole.objects.order_by("pk").values()),
        "pending": list(PendingColleague.objects.order_by("pk").values()),
        "team": list(TeamMember.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The e-mail addresses of every directory person but the role's own (and, for the
    outsider at home, the Swedish manager of his own region)."""
    people = Person.objects.exclude(email="")
    if role == "outsider_home":
        people = people.exclude(pk=objects["swedish_person"].pk)
    else:
        user = site.world.users()[role]
        if user is not None:
            people = people.exclude(email__iexact=user.email)
    pending = list(PendingColleague.objects.values_list("email", flat=True))
    return [*people.values_list("email", flat=True), *pending]
