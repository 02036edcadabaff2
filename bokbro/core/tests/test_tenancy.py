"""The request's agency comes from the host name; unknown hosts get the default agency."""

from __future__ import annotations

import pytest

from bokbro.directory.models import Agency
from bokbro.directory.tenancy import forget_hosts

pytestmark = pytest.mark.django_db


def site_name(response) -> str:
    body = response.content.decode()
    start = body.index('<span class="site-header__name">') + len('<span class="site-header__name">')
    return body[start : body.index("</span>", start)]


@pytest.mark.parametrize(
    ("host", "agency"),
    [
        ("ostfold.testserver", "Bibliotekutvikling Østfold"),
        ("jonkoping.testserver", "Biblioteksutveckling Jönköping"),
        ("JONKOPING.testserver", "Biblioteksutveckling Jönköping"),
        ("jonkoping.testserver:8000", "Biblioteksutveckling Jönköping"),
        ("testserver", "Bibliotekutvikling Østfold"),
        ("unknown.testserver", "Bibliotekutvikling Østfold"),
    ],
)
def test_host_name_selects_the_agency(world, client_for, host, agency):
    response = client_for(None, host=host).get("/")

    assert response.status_code == 200
    assert site_name(response) == agency


def test_each_agency_shows_its_own_team_page(world, client_for):
    norwegian = client_for(None).get("/team/").content.decode()
    swedish = client_for(None, host="jonkoping.testserver").get("/team/").content.decode()

    assert "Kari Konsulent" in norwegian and "Ingrid Admin" in norwegian
    assert "Johan Utomstående" not in norwegian
    assert "Johan Utomstående" in swedish
    assert "Kari Konsulent" not in swedish


def test_staff_rights_hold_only_on_their_own_agencys_site(world, client_for):
    assert client_for(world.consultant).get("/directory/people/").status_code == 200
    on_other_site = client_for(world.consultant, host="jonkoping.testserver")

    assert on_other_site.get("/directory/people/").status_code == 403


def test_a_single_agency_answers_on_every_host_without_being_the_default(db, client_for):
    Agency.objects.create(slug="innlandet", name="Innlandet fylkesbibliotek", country="NO")
    forget_hosts()

    response = client_for(None, host="bibliotek.testserver").get("/")

    assert site_name(response) == "Innlandet fylkesbibliotek"


def test_two_agencies_without_a_default_leave_unknown_hosts_without_an_agency(db, client_for):
    Agency.objects.create(slug="a", name="Agency A", country="NO", hosts="a.testserver")
    Agency.objects.create(slug="b", name="Agency B", country="SE", hosts="b.testserver")
    forget_hosts()

    assert site_name(client_for(None, host="b.testserver").get("/")) == "Agency B"
    response = client_for(None, host="other.testserver")
    assert response.get("/").status_code == 200
    assert response.get("/team/").status_code == 404


def test_changed_host_names_take_effect_at_once(world, client_for):
    from bokbro.directory.services import AgencyData, agency_update

    client = client_for(None, host="gotaland.testserver")
    assert site_name(client.get("/")) == "Bibliotekutvikling Østfold"

    agency = world.other_agency
    data = AgencyData.of(agency, hosts="gotaland.testserver")
    agency_update(actor=world.outsider, agency=agency, data=data)

    assert site_name(client.get("/")) == "Biblioteksutveckling Jönköping"


def test_another_agencys_administrator_cannot_touch_our_team_or_agency(world, client_for):
    from bokbro.core.models import AuditEntry
    from bokbro.directory.models import AgencyRole, TeamMember

    TeamMember.objects.filter(user=world.outsider).update(role=AgencyRole.ADMIN)
    kari = TeamMember.objects.get(user=world.consultant)
    AuditEntry.objects.create(
        action="directory.library.updated", agency=world.agency, target_repr="Østfold-hemmelighet"
    )
    client = client_for(world.outsider, host="jonkoping.testserver")

    assert client.get(f"/staff/team/{kari.pk}/edit/").status_code == 404
    assert client.post(f"/staff/team/{kari.pk}/delete/").status_code == 404
    assert "Kari Konsulent" not in client.get("/staff/team/").content.decode()
    assert "Østfold-hemmelighet" not in client.get("/staff/audit/").content.decode()
    response = client.post(
        "/staff/agency/", {"name": "Jönköping ny", "language": "sv", "currency": "SEK"}
    )
    assert response.status_code == 302
    world.agency.refresh_from_db()
    world.other_agency.refresh_from_db()
    assert TeamMember.objects.filter(pk=kari.pk).exists()
    assert (world.agency.name, world.other_agency.name) == (
        "Bibliotekutvikling Østfold",
        "Jönköping ny",
    )
