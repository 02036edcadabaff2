"""A user downloads everything Bokbro holds about them, and deletes their account."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext

from bokbro.accounts.models import User
from bokbro.core.models import AuditEntry
from bokbro.directory.models import LibraryRole, Person, TeamMember

pytestmark = pytest.mark.django_db

WRONG_ADDRESS = "That is not the e-mail address of this account."


def test_export_is_the_users_own_data_as_json(world, client_for):
    response = client_for(world.manager).get("/me/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ola@fredrikstad.example"
    assert data["directory_person"]["name"] == "Ola Sjef"
    assert data["directory_person"]["library_roles"] == [
        {"library": "Fredrikstad bibliotek", "role": "manager"}
    ]


def test_export_holds_nothing_about_other_people(world, client_for):
    body = client_for(world.manager).get("/me/export/").content.decode()

    for other in (
        "aisha@fredrikstad.example",
        "Aisha Bibliotekar",
        "marte@sarpsborg.example",
        "kari@ostfold.example",
        "admin@ostfold.example",
    ):
        assert other not in body


def test_export_of_a_team_member_lists_the_agency_role(world, client_for):
    data = json.loads(client_for(world.consultant).get("/me/export/").content)

    assert data["agency_team"] == [
        {"agency": "Bibliotekutvikling Østfold", "title": "", "role": "consultant", "phone": ""}
    ]
    assert data["directory_person"] is None


def test_delete_with_the_address_typed_erases_the_user_their_person_and_roles(world, client_for):
    client = client_for(world.manager)
    person_pk = world.manager_person.pk

    response = client.post("/me/delete/", {"confirm": " OLA@fredrikstad.example "})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(email="ola@fredrikstad.example").exists()
    assert not Person.objects.filter(pk=person_pk).exists()
    assert not LibraryRole.objects.filter(person_id=person_pk).exists()
    assert client.get("/me/").status_code == 302  # signed out
    entry = AuditEntry.objects.get(action="accounts.user.erased")
    assert "ola@fredrikstad.example" not in json.dumps(entry.data) + entry.target_repr


def test_deleting_a_team_members_account_keeps_the_published_team_entry(world, client_for):
    client_for(world.consultant).post("/me/delete/", {"confirm": "kari@ostfold.example"})

    member = TeamMember.objects.get(email="kari@ostfold.example")
    assert member.user is None
    assert not User.objects.filter(email="kari@ostfold.example").exists()


def test_delete_leaves_other_people_alone(world, client_for):
    client_for(world.manager).post("/me/delete/", {"confirm": "ola@fredrikstad.example"})

    assert Person.objects.filter(pk=world.staff_person.pk).exists()
    assert LibraryRole.objects.filter(person=world.staff_person).exists()
    assert User.objects.filter(pk=world.staff.pk).exists()


@pytest.mark.parametrize("typed", ["", "aisha@fredrikstad.example", "ola@fredrikstad"])
def test_delete_with_a_wrong_confirmation_shows_an_error_and_deletes_nothing(
    world, client_for, typed
):
    client = client_for(world.manager)

    response = client.post("/me/delete/", {"confirm": typed})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_confirm_error"' in body
    assert User.objects.filter(pk=world.manager.pk).exists()
    assert Person.objects.filter(pk=world.manager_person.pk).exists()
    assert client.get("/me/").status_code == 200  # still signed in
    assert not AuditEntry.objects.filter(action="accounts.user.erased").exists()


def test_delete_error_is_in_the_users_language(world, client_for):
    world.manager.language = "nb"
    world.manager.save()

    response = client_for(world.manager).post("/me/delete/", {"confirm": "feil@example.org"})

    with translation.override("nb"):
        message = gettext(WRONG_ADDRESS)  # English until the nb catalogue has it
    assert message in response.content.decode()
    assert '<html lang="nb"' in response.content.decode()


def test_export_and_delete_need_a_signed_in_user(world, client_for):
    client = client_for(None)

    for url in ("/me/export/", "/me/delete/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    response = client.post("/me/delete/", {"confirm": "ola@fredrikstad.example"})
    assert response.status_code == 302
    assert User.objects.filter(pk=world.manager.pk).exists()
