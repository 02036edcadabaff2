"""A library's manager in charge of their library (issue 12): its details, its people, the
people waiting to be confirmed; the agency sees each change in its audit log; the library's
staff see its profile; My page leads to the library."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from bokbro.accounts.selectors import user_export
from bokbro.accounts.services import user_create, user_erase
from bokbro.core.models import AuditEntry
from bokbro.directory import colleagues as services
from bokbro.directory import periodic
from bokbro.directory.models import LibraryRole, LibraryRoleKind, PendingColleague, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    def make(user, host="testserver"):
        return client_for(user, host=host, language="en")

    return make


def details(**values):
    return {
        "opening_hours": "",
        "street_address": "",
        "postcode": "",
        "city": "",
        "email": "",
        "phone": "",
        "website": "",
        **values,
    }


def test_a_manager_edits_opening_hours_and_the_agency_sees_it_in_its_log(world, client_for):
    manager = client_for(world.manager)
    url = f"/directory/libraries/{world.library.pk}/details/"
    response = manager.post(
        url,
        details(opening_hours="Mon–Fri 10–19\nSat 10–15", website="https://fredrikstad.example"),
    )
    assert response.status_code == 302
    page = manager.get(f"/directory/libraries/{world.library.pk}/").content.decode()
    assert "Sat 10–15" in page and "https://fredrikstad.example" in page

    log = client_for(world.admin).get("/staff/audit/").content.decode()
    assert "Library changed" in log and "Ola Sjef" in log
    entry = AuditEntry.objects.get(action="directory.library.updated")
    assert entry.agency == world.agency and entry.actor == world.manager
    assert "opening_hours" in entry.data["changes"]


def test_a_bad_web_address_comes_back_with_a_message_and_nothing_changes(world, client_for):
    response = client_for(world.manager).post(
        f"/directory/libraries/{world.library.pk}/details/", details(website="not a url")
    )
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    world.library.refresh_from_db()
    assert world.library.website == ""
    assert not AuditEntry.objects.filter(action="directory.library.updated").exists()


def test_a_manager_adds_a_colleague_and_removes_one_who_left(world, client_for):
    manager = client_for(world.manager)
    people_url = f"/directory/libraries/{world.library.pk}/people/"
    response = manager.post(
        f"{people_url}add/",
        {"name": "Nina Ny", "email": "Nina@Fredrikstad.example", "role": "staff"},
    )
    assert response.status_code == 302
    nina = Person.objects.get(email="nina@fredrikstad.example")
    assert LibraryRole.objects.filter(
        person=nina, library=world.library, role=LibraryRoleKind.STAFF
    ).exists()
    assert "Nina Ny" in manager.get(people_url).content.decode()

    manager.post(f"{people_url}{world.staff_person.pk}/remove/")
    assert not LibraryRole.objects.filter(person=world.staff_person, library=world.library).exists()
    assert Person.objects.filter(pk=world.staff_person.pk).exists()  # still in the directory
    actions = list(
        AuditEntry.objects.filter(agency=world.agency, action__startswith="directory.colleague")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["directory.colleague.added", "directory.colleague.removed"]
    log = client_for(world.admin).get("/staff/audit/").content.decode()
    assert "Colleague added by the library" in log
    assert "Colleague removed by the library" in log


def test_adding_a_colleague_without_an_address_re_displays_the_form(world, client_for):
    response = client_for(world.manager).post(
        f"/directory/libraries/{world.library.pk}/people/add/",
        {"name": "Nina Ny", "email": "", "role": "staff"},
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Person.objects.filter(name="Nina Ny").exists()


def test_a_manager_cannot_remove_himself(world):
    with pytest.raises(ValidationError):
        services.colleague_remove(
            actor=world.manager, library=world.library, person=world.manager_person
        )
    assert LibraryRole.objects.filter(person=world.manager_person).exists()


def test_a_manager_cannot_touch_another_library(world, client_for):
    other = client_for(world.other_manager)
    assert other.get(f"/directory/libraries/{world.library.pk}/people/").status_code == 403
    response = other.post(
        f"/directory/libraries/{world.library.pk}/people/{world.staff_person.pk}/remove/"
    )
    assert response.status_code == 403
    assert LibraryRole.objects.filter(person=world.staff_person).exists()


def test_a_person_who_named_the_library_waits_for_the_manager(world, client_for):
    services.pending_colleague_record(
        library=world.library, name="Nils Ny", email="nils@fredrikstad.example"
    )
    services.pending_colleague_record(  # twice is one request
        library=world.library, name="Nils Ny", email="NILS@fredrikstad.example"
    )
    assert PendingColleague.objects.count() == 1
    assert not Person.objects.filter(email="nils@fredrikstad.example").exists()
    manager = client_for(world.manager)
    page = manager.get(f"/directory/libraries/{world.library.pk}/people/").content.decode()
    assert "Waiting for your confirmation" in page and "nils@fredrikstad.example" in page
    assert (
        "1 to confirm" in manager.get(f"/directory/libraries/{world.library.pk}/").content.decode()
    )

    pending = PendingColleague.objects.get()
    manager.post(f"/directory/libraries/{world.library.pk}/pending/{pending.pk}/confirm/")
    assert not PendingColleague.objects.exists()
    assert LibraryRole.objects.filter(
        person__email="nils@fredrikstad.example", library=world.library, role="staff"
    ).exists()


def test_the_agency_may_turn_a_request_down(world, client_for):
    pending = PendingColleague.objects.create(
        library=world.library, name="Ukjent", email="ukjent@example.org"
    )
    client_for(world.consultant).post(
        f"/directory/libraries/{world.library.pk}/pending/{pending.pk}/dismiss/"
    )
    assert not PendingColleague.objects.exists()
    assert not Person.objects.filter(email="ukjent@example.org").exists()
    assert AuditEntry.objects.filter(action="directory.colleague.dismissed").exists()


def test_someone_already_listed_is_not_asked_about_again(world):
    services.pending_colleague_record(
        library=world.library, name="Aisha", email=world.staff_person.email.upper()
    )
    assert not PendingColleague.objects.exists()


def test_library_staff_see_their_profile_and_my_page_links_to_it(world, client_for):
    staff = client_for(world.staff)
    profile_url = f"/directory/libraries/{world.library.pk}/profile/"
    me = staff.get("/me/").content.decode()
    assert "My library" in me and profile_url in me
    assert f"/directory/libraries/{world.library.pk}/people/" not in me  # not a manager
    assert staff.get(profile_url).status_code == 200
    assert (
        client_for(world.staff)
        .get(f"/directory/libraries/{world.other_library.pk}/profile/")
        .status_code
        == 403
    )
    manager_me = client_for(world.manager).get("/me/").content.decode()
    assert f"/directory/libraries/{world.library.pk}/people/" in manager_me


def test_a_request_to_be_listed_is_in_the_export_and_erased_with_the_account(world):
    services.pending_colleague_record(
        library=world.library, name="Nils Ny", email="nils@fredrikstad.example"
    )
    user = user_create(email="nils@fredrikstad.example", name="Nils Ny")
    assert user_export(user=user)["library_requests"][0]["library"] == world.library.name
    user_erase(user=user)
    assert not PendingColleague.objects.exists()


def test_a_request_no_one_answers_lapses_with_what_it_holds(world, client_for):
    services.pending_colleague_record(
        library=world.library, name="Nils Ny", email="nils@fredrikstad.example"
    )
    soon = timezone.now() + timedelta(days=settings.PENDING_COLLEAGUE_DAYS - 1)
    assert periodic.run(now=soon)["directory.pending colleagues lapsed"] == 0
    later = timezone.now() + timedelta(days=settings.PENDING_COLLEAGUE_DAYS + 1)
    assert periodic.run(now=later)["directory.pending colleagues lapsed"] == 1
    page = client_for(world.manager).get(f"/directory/libraries/{world.library.pk}/people/")
    assert "nils@fredrikstad.example" not in page.content.decode()
