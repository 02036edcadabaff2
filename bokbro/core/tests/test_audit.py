"""The audit log: services record who changed what; people's values stay out of it."""

from __future__ import annotations

import json

import pytest

from bokbro.core.models import AuditEntry
from bokbro.directory import services

pytestmark = pytest.mark.django_db


def library_data(library, **changes):
    data = {
        "name": library.name,
        "kind": library.kind,
        "municipality": library.municipality_id,
        "sigel": "",
        "street_address": "",
        "postcode": "",
        "city": "",
        "email": "",
        "phone": "",
        "website": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_library_edit_logs_the_changed_fields_with_who_and_where(world, client_for):
    client_for(world.consultant).post(
        f"/directory/libraries/{world.library.pk}/edit/",
        library_data(world.library, city="Fredrikstad", phone="69 30 60 00"),
    )

    entry = AuditEntry.objects.get(action="directory.library.updated")
    assert entry.actor == world.consultant
    assert entry.agency == world.agency
    assert (entry.target_type, entry.target_id) == ("directory.library", str(world.library.pk))
    assert entry.data == {"changes": {"city": ["", "Fredrikstad"], "phone": ["", "69 30 60 00"]}}


def test_saving_an_unchanged_library_writes_no_entry(world, client_for):
    client_for(world.consultant).post(
        f"/directory/libraries/{world.library.pk}/edit/", library_data(world.library)
    )

    assert not AuditEntry.objects.filter(action="directory.library.updated").exists()


def test_person_update_logs_field_names_not_values(world):
    services.person_update(
        actor=world.consultant,
        agency=world.agency,
        person=world.staff_person,
        data=services.PersonData.of(
            world.staff_person,
            email="aisha.ny@fredrikstad.example",
            phone="+47 912 34 567",
            name="Aisha Bibliotekar",
        ),
    )

    entry = AuditEntry.objects.get(action="directory.person.updated")
    assert entry.data == {"fields": ["email", "phone"]}
    logged = json.dumps(entry.data)
    assert "aisha.ny@fredrikstad.example" not in logged
    assert "912" not in logged


def test_person_delete_logs_no_personal_data(world, client_for):
    client_for(world.consultant).post(f"/directory/people/{world.staff_person.pk}/delete/")

    entry = AuditEntry.objects.get(action="directory.person.deleted")
    assert entry.actor == world.consultant
    assert "aisha" not in (json.dumps(entry.data) + entry.target_repr).lower()


def test_library_page_shows_its_history_to_the_team_only(world, client_for):
    services.library_update(
        actor=world.consultant,
        agency=world.agency,
        library=world.library,
        data=services.LibraryData.of(world.library, city="Fredrikstad"),
    )
    url = f"/directory/libraries/{world.library.pk}/"

    # Staff read what happened in words, in their language, not the action code.
    page = client_for(world.consultant, language="en").get(url).content.decode()
    assert "Library changed" in page and "directory.library.updated" not in page
    norwegian = client_for(world.consultant, language="nb").get(url).content.decode()
    assert "Biblioteket endret" in norwegian
    assert (
        "Library changed" not in client_for(world.manager, language="en").get(url).content.decode()
    )
    assert "Library changed" not in client_for(None, language="en").get(url).content.decode()


def test_audit_log_page_shows_only_the_agencys_own_entries(world, client_for):
    services.library_update(
        actor=world.consultant,
        agency=world.agency,
        library=world.library,
        data=services.LibraryData.of(world.library, city="Fredrikstad"),
    )
    services.library_update(
        actor=world.outsider,
        agency=world.other_agency,
        library=world.swedish_library,
        data=services.LibraryData.of(world.swedish_library, city="Värnamo"),
    )

    page = client_for(world.admin).get("/staff/audit/").content.decode()

    assert "Fredrikstad bibliotek" in page
    assert "Värnamo bibliotek" not in page


def test_audit_log_filters_by_action(world, client_for):
    services.library_update(
        actor=world.consultant,
        agency=world.agency,
        library=world.library,
        data=services.LibraryData.of(world.library, city="Fredrikstad"),
    )
    services.person_update(
        actor=world.consultant,
        agency=world.agency,
        person=world.staff_person,
        data=services.PersonData.of(world.staff_person, title="Bibliotekar"),
    )

    page = client_for(world.admin).get("/staff/audit/?action=directory.person").content.decode()

    assert "directory.person.updated" in page
    assert "directory.library.updated" not in page


def test_agency_edit_is_saved_and_logged(world, client_for):
    response = client_for(world.admin).post(
        "/staff/agency/",
        {
            "name": "Bibliotekutvikling Østfold",
            "organisation_name": "Østfold fylkeskommune",
            "intro": "",
            "language": "nb",
            "currency": "NOK",
            "email": "post@ostfold.example",
            "phone": "",
            "street_address": "",
            "postcode": "",
            "city": "Sarpsborg",
            "website": "",
        },
    )

    assert response.status_code == 302
    world.agency.refresh_from_db()
    assert (world.agency.organisation_name, world.agency.city) == (
        "Østfold fylkeskommune",
        "Sarpsborg",
    )
    entry = AuditEntry.objects.get(action="directory.agency.updated")
    assert entry.data == {"fields": ["city", "organisation_name"]}


def test_audit_log_pages_keep_the_filter_and_name_one_page(world, client_for):
    from bokbro.core.audit import audit_log

    for i in range(120):
        audit_log(action="directory.library.updated", agency=world.agency, data={"i": i})
    page = client_for(world.admin).get("/staff/audit/?action=directory&page=2").content.decode()
    assert 'href="?action=directory&amp;page=1"' in page
    assert 'href="?action=directory&amp;page=3"' in page
    assert "page=2&amp;page" not in page
