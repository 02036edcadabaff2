"""The public project pages: ongoing and completed projects, and a project's page with only
what the agency chose to publish — never the internal notes, never an unpublished project."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bokbro.projects.services.funding import FundingLineFields, funding_line_create
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    ProjectFields,
    measure_create,
    partner_add,
    project_update,
)
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db

INTERNAL = "Hemmelig: budsjettet er stramt"


@pytest.fixture
def published(world, own):
    project = make_project(
        world,
        title="Leselyst",
        is_published=True,
        public_summary="Vi jobber med **leselyst**.<script>alert(1)</script>",
        goals="Flere barn leser\nBiblioteket deler metoder",
    )
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    partner_add(
        fields=PartnerFields(
            library=world.library,
            role="model_library",
            results="Dobbelt så mange utlån",
            transfer_value="Metoden kan brukes av alle",
        ),
        **common,
    )
    measure_create(fields=MeasureFields(title="Kartlegging", status="done"), **common)
    funding_line_create(
        fields=FundingLineFields(
            funder=own, year=2026, applied=Decimal(5000), granted=Decimal(4000)
        ),
        **common,
    )
    return project


def test_ongoing_and_completed_lists_show_only_published_projects(world, client_for, published):
    make_project(world, title="Hemmelig utkast")
    done = make_project(world, title="Ferdig prosjekt", status="completed", is_published=True)
    visitor = client_for(None, language="en")
    ongoing = visitor.get("/projects/").content.decode()
    assert "Leselyst" in ongoing and "Hemmelig utkast" not in ongoing
    assert "Ferdig prosjekt" not in ongoing
    completed = visitor.get("/projects/completed/").content.decode()
    assert "Ferdig prosjekt" in completed and "Leselyst" not in completed
    assert visitor.get(f"/projects/{done.pk}/").status_code == 200


def test_a_project_page_names_the_list_it_is_in(world, client_for, published):
    done = make_project(world, title="Ferdig prosjekt", status="completed", is_published=True)
    stopped = make_project(world, title="Stoppet prosjekt", status="stopped", is_published=True)
    visitor = client_for(None, language="en")

    def crumbs(project) -> str:
        page = visitor.get(f"/projects/{project.pk}/").content.decode()
        return page.split('class="ds-breadcrumbs"', 1)[1].split("</nav>", 1)[0]

    assert ">Ongoing projects</a>" in crumbs(published)
    assert ">Completed projects</a>" in crumbs(done)
    # A stopped project is in neither list: the page says "Projects", not "Ongoing projects".
    assert "Ongoing projects" not in crumbs(stopped) and ">Projects</a>" in crumbs(stopped)


def test_the_public_page_shows_what_is_published_and_nothing_internal(client_for, published):
    page = client_for(None, language="en").get(f"/projects/{published.pk}/").content.decode()
    assert "<strong>leselyst</strong>" in page and "<script>alert" not in page
    assert "Flere barn leser" in page and "Kartlegging" in page
    assert "Fredrikstad bibliotek" in page and "Model library" in page
    assert "Metoden kan brukes av alle" in page
    assert INTERNAL not in page
    assert "4,000.00" not in page  # the funding is not published by default


def test_the_agency_chooses_what_to_publish(world, client_for, published):
    project_update(
        actor=world.consultant,
        agency=world.agency,
        project=published,
        fields=ProjectFields.of(
            published,
            public_partners=False,
            public_measures=False,
            public_results=False,
            public_funding=True,
        ),
    )
    page = client_for(None, language="en").get(f"/projects/{published.pk}/").content.decode()
    assert "Fredrikstad bibliotek" not in page and "Kartlegging" not in page
    assert "Metoden kan brukes av alle" not in page
    assert "4,000.00\xa0NOK" in page


def test_unpublished_and_other_agencies_projects_are_not_found(world, client_for, published):
    hidden = make_project(world, title="Utkast")
    assert client_for(None).get(f"/projects/{hidden.pk}/").status_code == 404
    assert client_for(world.consultant).get(f"/projects/{hidden.pk}/").status_code == 404
    swedish_site = client_for(None, host="jonkoping.testserver")
    assert swedish_site.get(f"/projects/{published.pk}/").status_code == 404
    assert "Leselyst" not in swedish_site.get("/projects/").content.decode()


def test_a_partner_agencys_site_shows_the_joint_project(world, client_for, published):
    partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=published,
        fields=PartnerFields(agency=world.other_agency),
    )
    swedish_site = client_for(None, host="jonkoping.testserver", language="en")
    listing = swedish_site.get("/projects/").content.decode()
    assert "Leselyst" in listing and "Run by Bibliotekutvikling Østfold" in listing
    assert swedish_site.get(f"/projects/{published.pk}/").status_code == 200


def test_the_public_list_has_a_constant_number_of_queries(world, client_for, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visitor = client_for(None)
    visitor.get("/projects/")
    with CaptureQueriesContext(connection) as one:
        visitor.get("/projects/")
    for i in range(5):
        make_project(world, title=f"Prosjekt {i}", is_published=True)
    with CaptureQueriesContext(connection) as six:
        page = visitor.get("/projects/").content.decode()
    assert "Prosjekt 4" in page and len(six) == len(one)


def test_an_unlisted_contact_is_not_shown_in_public(world, client_for, published):
    from bokbro.directory.models import TeamMember

    kari = TeamMember.objects.get(user=world.consultant)
    project_update(
        actor=world.consultant,
        agency=world.agency,
        project=published,
        fields=ProjectFields.of(published, contact=kari),
    )
    page = client_for(None).get(f"/projects/{published.pk}/").content.decode()
    assert kari.email in page
    TeamMember.objects.filter(pk=kari.pk).update(is_listed=False)
    page = client_for(None).get(f"/projects/{published.pk}/").content.decode()
    assert kari.email not in page
