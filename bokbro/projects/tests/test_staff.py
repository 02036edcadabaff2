"""The staff pages: the owner's staff manage everything through forms whose errors speak the
user's language; a partner agency's staff read without the internal notes; outsiders get
nothing; the list has a constant number of queries and exports without internal notes."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.core.models import AuditEntry
from bokbro.projects.models import FundingLine, Measure, Partner, Project
from bokbro.projects.services.funding import (
    FundingLineFields,
    StatusReportFields,
    funding_line_create,
    report_create,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    measure_create,
    partner_add,
)
from bokbro.projects.tests.access import project_form
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db

INTERNAL = "Hemmelig: budsjettet er stramt"


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


def test_staff_create_a_project_and_see_its_page_with_history(world, kari):
    response = kari.post("/projects/staff/new/", project_form(title="Leselyst", goals="A\nB"))
    project = Project.objects.get(title="Leselyst")
    assert response.status_code == 302 and response["Location"] == f"/projects/staff/{project.pk}/"
    assert project.agency == world.agency and project.created_by == world.consultant
    page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "Leselyst" in page and "Project created" in page and "History" in page


def test_an_impossible_period_is_a_form_error_in_the_users_language(world, client_for):
    data = project_form(starts_on="2026-06-01", ends_on="2026-01-01")
    english = client_for(world.consultant, language="en").post("/projects/staff/new/", data)
    assert english.status_code == 200
    assert "The end date is before the start date." in english.content.decode()
    assert not Project.objects.exists()


def test_django_messages_come_in_the_users_language(world, client_for):
    """Django's own messages are translated; ours are translated by the lead at the end."""
    response = client_for(world.consultant, language="nb").post(
        "/projects/staff/new/", project_form(title="", starts_on="not a date")
    )
    page = response.content.decode()
    assert "Feltet er påkrevet." in page and "Oppgi en gyldig dato." in page


def test_an_unknown_partner_is_refused_with_a_clear_message(world, kari, project):
    url = f"/projects/staff/{project.pk}/partners/new/"
    response = kari.post(url, {"kind": "library", "library": "999999", "role": "partner"})
    assert "This library is unknown. Choose one." in response.content.decode()
    # A library outside the partners' counties is unknown here too.
    response = kari.post(
        url, {"kind": "library", "library": world.swedish_library.pk, "role": "partner"}
    )
    assert "This library is unknown. Choose one." in response.content.decode()
    response = kari.post(url, {"kind": "library", "library": "", "role": "partner"})
    assert "Choose the partner." in response.content.decode()
    assert not Partner.objects.exists()


def test_a_partner_agency_opens_its_libraries_to_the_project(world, kari, project):
    url = f"/projects/staff/{project.pk}/partners/new/"
    data = {"kind": "agency", "agency": world.other_agency.pk, "role": "partner"}
    assert kari.post(url, data).status_code == 302
    response = kari.post(
        url,
        {"kind": "library", "library": world.swedish_library.pk, "role": "model_library"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(library=world.swedish_library)
    assert partner.role == "model_library"


def test_the_same_partner_twice_is_a_form_error(world, kari, project):
    url = f"/projects/staff/{project.pk}/partners/new/"
    data = {"kind": "library", "library": world.library.pk, "role": "partner"}
    assert kari.post(url, data).status_code == 302
    response = kari.post(url, data)
    assert response.status_code == 200
    assert "This library is already a partner." in response.content.decode()


def test_a_negative_amount_is_a_form_error(world, kari, client_for, project, own):
    url = f"/projects/staff/{project.pk}/funding/new/"
    response = kari.post(
        url, {"funder": own.pk, "year": "2026", "applied": "-100", "granted": "", "reported": ""}
    )
    assert response.status_code == 200
    assert "An amount cannot be negative." in response.content.decode()
    # Amounts as people write them in Norwegian.
    response = client_for(world.consultant, language="nb").post(
        url,
        {"funder": own.pk, "year": "2026", "applied": "300 000,50", "granted": "", "reported": ""},
    )
    assert response.status_code == 302
    assert FundingLine.objects.get().applied == Decimal("300000.50")


def test_the_project_page_warns_when_a_funders_rule_is_broken(world, kari, project, nb_rule, own):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    funding_line_create(
        fields=FundingLineFields(funder=nb_rule, year=2026, applied=Decimal("300000")),
        **common,
    )
    funding_line_create(
        fields=FundingLineFields(funder=own, year=2026, applied=Decimal("100000")),
        **common,
    )
    page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "The budget breaks a funder's rule" in page
    assert "Nasjonalbiblioteket requires at least 40 % own funding; this project has 25 %." in page


def test_measures_are_added_edited_and_deleted(world, kari, project):
    base = f"/projects/staff/{project.pk}/measures/"
    data = {"title": "Kursrekke", "status": "planned", "starts_on": "", "ends_on": ""}
    assert kari.post(f"{base}new/", data).status_code == 302
    measure = Measure.objects.get()
    edit = {**data, "status": "done", "owner": "Kari"}
    assert kari.post(f"{base}{measure.pk}/", edit).status_code == 302
    measure.refresh_from_db()
    assert measure.status == "done" and measure.owner == "Kari"
    assert kari.get(f"{base}{measure.pk}/delete/").status_code == 405
    assert kari.post(f"{base}{measure.pk}/delete/").status_code == 302
    assert not Measure.objects.exists()
    assert kari.get(f"/projects/staff/{project.pk}/nothing/new/").status_code == 404


def test_a_part_of_another_project_is_not_found(world, kari, project):
    other = make_project(world, title="Annet")
    measure = measure_create(
        actor=world.consultant,
        agency=world.agency,
        project=other,
        fields=MeasureFields(title="X"),
    )
    url = f"/projects/staff/{project.pk}/measures/{measure.pk}/"
    assert kari.get(url).status_code == 404
    assert kari.post(f"{url}delete/").status_code == 404


def test_partner_agency_staff_read_on_their_own_site_without_internal_notes(
    world, client_for, project
):
    partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=PartnerFields(agency=world.other_agency),
    )
    johan = client_for(world.outsider, host="jonkoping.testserver", language="en")
    page = johan.get(f"/projects/staff/{project.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert project.title in body and INTERNAL not in body
    assert "You can read it" in body and f"/projects/staff/{project.pk}/edit/" not in body
    assert "History" not in body
    assert johan.get(f"/projects/staff/{project.pk}/edit/").status_code == 403
    response = johan.post(f"/projects/staff/{project.pk}/measures/new/", {"title": "X"})
    assert response.status_code == 403
    # It is in his agency's list, marked as another agency's.
    listing = johan.get("/projects/staff/").content.decode()
    assert project.title in listing and "you are a partner" in listing
    # On the Norwegian site he is no one.
    assert client_for(world.outsider).get(f"/projects/staff/{project.pk}/").status_code == 403


def test_outsiders_and_library_people_get_no_staff_page(world, client_for, project):
    for user in (world.public, world.staff, world.manager, world.outsider):
        assert client_for(user).get(f"/projects/staff/{project.pk}/").status_code == 403
    response = client_for(None).get(f"/projects/staff/{project.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_filters_and_has_a_constant_number_of_queries(world, kari):
    make_project(world, title="Første")
    kari.get("/projects/staff/")  # the agency's host names are cached after the first request
    with CaptureQueriesContext(connection) as one:
        assert kari.get("/projects/staff/").status_code == 200
    for i in range(5):
        make_project(world, title=f"Prosjekt {i}", status="idea")
    with CaptureQueriesContext(connection) as six:
        page = kari.get("/projects/staff/").content.decode()
    assert len(six) == len(one)
    assert "Prosjekt 4" in page
    page = kari.get("/projects/staff/?status=running").content.decode()
    assert "Første" in page and "Prosjekt 4" not in page
    page = kari.get("/projects/staff/?q=prosjekt+2").content.decode()
    assert "Prosjekt 2" in page and "Første" not in page


def test_exports_have_the_figures_and_never_the_internal_notes(world, kari, project, own):
    funding_line_create(
        actor=world.consultant,
        agency=world.agency,
        project=project,
        fields=FundingLineFields(
            funder=own, year=2026, applied=Decimal("1000"), granted=Decimal(900)
        ),
    )
    make_project(world, title='=HYPERLINK("http://evil")', internal_notes=INTERNAL)
    response = kari.get("/projects/staff/projects.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert INTERNAL not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Project", "Status"]
    row = next(r for r in rows if r[0] == project.title)
    assert row[8:12] == ["1000.00", "900.00", "0", "100.0"]
    assert any(r[0].startswith("'=HYPERLINK") for r in rows)

    from openpyxl import load_workbook

    response = kari.get("/projects/staff/projects.xlsx?status=running")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    row = next(r for r in values if r[0] == project.title)
    assert row[2].date() == date(2026, 1, 1) and row[8] == 1000
    assert all(INTERNAL not in str(v) for row in values for v in row)


def test_funders_are_the_agencys_own_list(world, kari, client_for):
    response = kari.post(
        "/projects/staff/funders/",
        {"name": "Nasjonalbiblioteket", "min_own_share": "40", "min_applied": "300 000"},
    )
    assert response.status_code == 302
    again = kari.post("/projects/staff/funders/", {"name": "Nasjonalbiblioteket"})
    assert "This funder is already on your list." in again.content.decode()
    funder = world.agency.project_funders.get()
    assert funder.min_applied == Decimal("300000")
    johan = client_for(world.outsider, host="jonkoping.testserver")
    assert johan.get(f"/projects/staff/funders/{funder.pk}/").status_code == 404
    assert "Nasjonalbiblioteket" not in johan.get("/projects/staff/funders/").content.decode()
    assert AuditEntry.objects.filter(action="projects.funder.created").count() == 1


def test_the_list_filters_by_the_year_a_project_runs(world, kari):
    make_project(world, title="Gammelt", starts_on=date(2020, 1, 1), ends_on=date(2021, 6, 30))
    make_project(world, title="Nytt", starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    page = kari.get("/projects/staff/?year=2021").content.decode()
    assert "Gammelt" in page and "Nytt" not in page
    page = kari.get("/projects/staff/?year=2027").content.decode()
    assert "Nytt" in page and "Gammelt" not in page


def test_the_project_page_has_a_constant_number_of_queries(world, kari, project, own):
    common = {"actor": world.consultant, "agency": world.agency, "project": project}
    kari.get(f"/projects/staff/{project.pk}/")

    def add_parts(n):
        for i in range(n):
            measure_create(fields=MeasureFields(title=f"Tiltak {i}"), **common)
            funding_line_create(
                fields=FundingLineFields(funder=own, year=2026 + i, applied=Decimal(100)),
                **common,
            )
            report_create(
                fields=StatusReportFields(year=2026 + i, due_on=date(2027 + i, 2, 1)),
                **common,
            )
        partner_add(
            fields=PartnerFields(library=[world.library, world.other_library][n - 1]),
            **common,
        )

    add_parts(1)
    with CaptureQueriesContext(connection) as one:
        kari.get(f"/projects/staff/{project.pk}/")
    add_parts(2)
    with CaptureQueriesContext(connection) as more:
        page = kari.get(f"/projects/staff/{project.pk}/").content.decode()
    assert "Tiltak 1" in page and "Sarpsborg bibliotek" in page
    assert len(more) == len(one)
