"""An agency administrator manages the team shown on the team page, and its roles."""

from __future__ import annotations

import pytest

from bokbro.core.models import AuditEntry
from bokbro.directory.models import AgencyRole, TeamMember

pytestmark = pytest.mark.django_db


def test_admin_adds_a_consultant_who_gets_staff_access_on_sign_in(world, client_for):
    from bokbro.accounts.services import user_create

    response = client_for(world.admin).post(
        "/staff/team/new/",
        {
            "name": "Nina Ny",
            "title": "Rådgiver",
            "area": "Skolebibliotek",
            "email": "Nina.Ny@Ostfold.example",
            "phone": "",
            "role": AgencyRole.CONSULTANT,
            "is_listed": "on",
            "position": "5",
        },
    )
    assert response.status_code == 302
    member = TeamMember.objects.get(agency=world.agency, email="nina.ny@ostfold.example")
    assert AuditEntry.objects.filter(action="directory.team_member.created").exists()
    assert "Nina Ny" in client_for(None).get("/team/").content.decode()

    user = user_create(email="nina.ny@ostfold.example")
    member.refresh_from_db()
    assert member.user == user
    assert client_for(user).get("/directory/people/").status_code == 200


def test_the_same_address_cannot_be_on_the_team_twice(world, client_for):
    response = client_for(world.admin).post(
        "/staff/team/new/",
        {
            "name": "Kari igjen",
            "email": "KARI@ostfold.example",
            "role": AgencyRole.CONSULTANT,
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert (
        TeamMember.objects.filter(agency=world.agency, email__iexact="kari@ostfold.example").count()
        == 1
    )
    assert "ds-error-summary" in response.content.decode()


def test_the_last_administrator_cannot_be_demoted_or_removed(world, client_for):
    admin_member = TeamMember.objects.get(user=world.admin)
    client = client_for(world.admin)
    response = client.post(
        f"/staff/team/{admin_member.pk}/edit/",
        {
            "name": admin_member.name,
            "email": admin_member.email,
            "role": AgencyRole.CONSULTANT,
            "position": "0",
        },
    )
    assert response.status_code == 200
    admin_member.refresh_from_db()
    assert admin_member.role == AgencyRole.ADMIN

    client.post(f"/staff/team/{admin_member.pk}/delete/")
    assert TeamMember.objects.filter(pk=admin_member.pk).exists()


def test_a_second_administrator_can_remove_the_first(world, client_for):
    consultant_member = TeamMember.objects.get(user=world.consultant)
    consultant_member.role = AgencyRole.ADMIN
    consultant_member.save()
    admin_member = TeamMember.objects.get(user=world.admin)
    response = client_for(world.consultant).post(f"/staff/team/{admin_member.pk}/delete/")
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=admin_member.pk).exists()


@pytest.mark.parametrize("who", ["consultant", "manager", "outsider", "public"])
def test_only_administrators_manage_the_team(world, client_for, who):
    member = TeamMember.objects.get(user=world.consultant)
    client = client_for(getattr(world, who))
    assert client.get("/staff/team/").status_code == 403
    assert client.post(f"/staff/team/{member.pk}/delete/").status_code == 403
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_another_agencys_team_member_is_not_found(world, client_for):
    other = TeamMember.objects.get(user=world.outsider)
    client = client_for(world.admin)
    assert client.get(f"/staff/team/{other.pk}/edit/").status_code == 404
    assert client.post(f"/staff/team/{other.pk}/delete/").status_code == 404
    assert TeamMember.objects.filter(pk=other.pk).exists()
