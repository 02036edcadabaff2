"""Projects with partners outside Bokbro (issue 12): the other county libraries of a
five-county project, a university, a foundation — name, kind, country and contact — on the
project's public page, and as the named source of funding lines (money or own effort) in the
project's funding and the annual report's columns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bokbro.projects.models import FundingLine, Partner
from bokbro.projects.plan_source import SOURCE as PROJECTS
from bokbro.projects.plan_source import funding_by_source
from bokbro.projects.services.funding import FundingLineFields, funding_line_create
from bokbro.projects.services.projects import PartnerFields, partner_add
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


def external(world, project, name="Universitetet i Sørøst-Norge", **values):
    return partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=PartnerFields(
            external_name=name,
            external_kind=values.pop("kind", "university"),
            country=values.pop("country", "NO"),
            contact=values.pop("contact", "post@usn.example"),
            **values,
        ),
    )


def test_staff_add_a_partner_outside_bokbro_and_the_public_sees_it(world, kari, client_for):
    project = make_project(world, is_published=True)
    url = f"/projects/staff/{project.pk}/partners/new/"
    response = kari.post(
        url,
        {
            "kind": "external",
            "external_name": "Vestland fylkesbibliotek",
            "external_kind": "library_agency",
            "country": "no",
            "contact": "fylkesbiblioteket@vlfk.example",
            "role": "partner",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.is_external and partner.country == "NO" and partner.library is None
    staff_page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "Vestland fylkesbibliotek" in staff_page and "County or regional library" in staff_page
    page = client_for(None, language="en").get(f"/projects/{project.pk}/").content.decode()
    assert "Vestland fylkesbibliotek" in page
    assert "County or regional library, NO" in page
    assert "fylkesbiblioteket@vlfk.example" in page


def test_an_outside_partner_needs_a_name_and_a_kind(world, kari):
    project = make_project(world)
    response = kari.post(
        f"/projects/staff/{project.pk}/partners/new/",
        {"kind": "external", "external_name": "  ", "external_kind": "", "role": "partner"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write the organisation&#x27;s name." in page
    assert "Choose what kind of organisation it is." in page
    assert not Partner.objects.exists()


def test_the_same_outside_partner_twice_is_refused_whatever_the_case(world, kari):
    project = make_project(world)
    external(world, project, name="Universitetet i Oslo")
    response = kari.post(
        f"/projects/staff/{project.pk}/partners/new/",
        {
            "kind": "external",
            "external_name": "UNIVERSITETET I OSLO",
            "external_kind": "university",
            "role": "partner",
        },
    )
    assert response.status_code == 200
    assert "This partner is already on the project." in response.content.decode()


def test_letters_beyond_ascii_and_spaces_are_compared_too(world, kari):
    """Østfold and ØSTFOLD on both databases (SQLite's LOWER() folds only ASCII), and
    the spaces someone typed twice; the database refuses it even past the form."""
    project = make_project(world)
    external(world, project, name="Høgskolen i Østfold")
    response = kari.post(
        f"/projects/staff/{project.pk}/partners/new/",
        {
            "kind": "external",
            "external_name": "HØGSKOLEN  I  ØSTFOLD",
            "external_kind": "university",
            "role": "partner",
        },
    )
    assert "This partner is already on the project." in response.content.decode()
    assert Partner.objects.filter(project=project).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(
            project=project, external_name="høgskolen i østfold", external_kind="university"
        )


def test_the_database_refuses_a_partner_that_is_two_things(world):
    project = make_project(world)
    with pytest.raises(IntegrityError):
        Partner.objects.create(
            project=project, library=world.library, external_name="X", external_kind="other"
        )


def test_an_outside_funder_and_an_outside_contributor_in_the_funding_and_the_report(
    world, kari, client_for, nb_rule, own
):
    project = make_project(world, is_published=True, public_funding=True)
    foundation = external(world, project, name="Sparebankstiftelsen", kind="foundation")
    university = external(world, project)
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    # The foundation grants money (an outside source); the university gives staff time (own).
    response = kari.post(
        f"/projects/staff/{project.pk}/funding/new/",
        {
            "funder": nb_rule.pk,
            "partner": foundation.pk,
            "year": "2026",
            "applied": "200000",
            "granted": "150000",
            "reported": "",
        },
    )
    assert response.status_code == 302
    funding_line_create(
        fields=FundingLineFields(
            funder=own, partner=university, year=2026, applied=Decimal("80000")
        ),
        **common,
    )
    assert FundingLine.objects.filter(partner=foundation).get().granted == Decimal("150000")
    staff_page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "from Sparebankstiftelsen" in staff_page and "from Universitetet i Sørøst-Norge" in (
        staff_page
    )
    page = client_for(None, language="en").get(f"/projects/{project.pk}/").content.decode()
    assert "Sparebankstiftelsen:" in page
    assert "Universitetet i Sørøst-Norge:" in page and "own contribution" in page

    by_source = funding_by_source(list(PROJECTS.activities(world.agency, 2026)))
    assert by_source["Sparebankstiftelsen"].granted == Decimal("150000")
    assert by_source["Sparebankstiftelsen"].own == 0
    assert by_source["Universitetet i Sørøst-Norge"].own == Decimal("80000")
    assert by_source["Universitetet i Sørøst-Norge"].granted == 0


def test_a_funding_line_cannot_name_another_projects_partner(world, kari, own):
    project = make_project(world)
    other = make_project(world, title="Annet prosjekt")
    stranger = external(world, other, name="Fremmed stiftelse", kind="foundation")
    response = kari.post(
        f"/projects/staff/{project.pk}/funding/new/",
        {"funder": own.pk, "partner": stranger.pk, "year": "2026", "applied": "1000"},
    )
    assert response.status_code == 200
    assert "Choose one of the project&#x27;s partners." in response.content.decode()
    assert not FundingLine.objects.exists()


def test_the_api_names_an_outside_partners_kind_and_country(world, client_for):
    project = make_project(world, is_published=True)
    external(world, project, name="Danmarks Biblioteksforening", kind="organisation", country="DK")
    data = client_for(None).get(f"/api/projects/{project.pk}").json()
    partner = data["partners"][0]
    assert partner == {
        "name": "Danmarks Biblioteksforening",
        "kind": "external",
        "role": "partner",
        "library_id": None,
        "external_kind": "organisation",
        "country": "DK",
    }
