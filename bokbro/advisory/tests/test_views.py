"""The consultation list, its filters and exports, the forms, follow-ups, topics and tours as
the agency's staff use them. Who may open what is the role matrix's (tests/access.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from bokbro.advisory import services
from bokbro.advisory.models import Consultation, FollowUp, PlannedVisit, Topic
from bokbro.advisory.tests.conftest import make_consultation

pytestmark = pytest.mark.django_db

LIST = "/advisory/"


@pytest.fixture
def log(world, topic):
    """Three consultations: Fredrikstad (Kari, with the topic), Sarpsborg (Ingrid) and one with
    Fredrikstad municipality alone, last month."""
    fredrikstad = make_consultation(
        world, topics=[topic], summary="Meråpent i Fredrikstad", internal_notes="=HYPERLINK(1)"
    )
    sarpsborg = make_consultation(
        world,
        libraries=[world.other_library],
        consultant=world.admin,
        summary="Sarpsborg og skolebibliotek",
    )
    municipality = make_consultation(
        world,
        libraries=[],
        municipalities=[world.municipality],
        date=date.today() - timedelta(days=40),
        summary="Kommuneplanen i Fredrikstad",
    )
    return fredrikstad, sarpsborg, municipality


def listed(response) -> list[str]:
    return [c.summary for c in response.context["page"]]


def test_the_list_filters_by_library_municipality_consultant_topic_and_period(
    world, client_for, log, topic
):
    kari = client_for(world.consultant, language="en")
    assert len(listed(kari.get(LIST))) == 3
    assert listed(kari.get(LIST, {"library": world.other_library.pk})) == [
        "Sarpsborg og skolebibliotek"
    ]
    # The municipality's own consultations and those with its libraries.
    assert sorted(listed(kari.get(LIST, {"municipality": world.municipality.pk}))) == [
        "Kommuneplanen i Fredrikstad",
        "Meråpent i Fredrikstad",
    ]
    assert listed(kari.get(LIST, {"consultant": world.admin.pk})) == ["Sarpsborg og skolebibliotek"]
    assert listed(kari.get(LIST, {"topic": topic.pk})) == ["Meråpent i Fredrikstad"]
    since = (date.today() - timedelta(days=10)).isoformat()
    assert len(listed(kari.get(LIST, {"date_from": since}))) == 2
    assert listed(kari.get(LIST, {"q": "skolebibliotek"})) == ["Sarpsborg og skolebibliotek"]


def test_a_period_that_ends_before_it_starts_is_explained(world, client_for, log):
    response = client_for(world.consultant, language="en").get(
        LIST, {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert "The end of the period cannot be before its start." in response.content.decode()


def test_the_list_makes_the_same_number_of_queries_for_few_and_many(
    world, client_for, log, django_assert_max_num_queries
):
    kari = client_for(world.consultant, language="en")
    kari.get(LIST)  # warm the session and the host cache
    for i in range(20):
        make_consultation(world, summary=f"Flere {i}", municipalities=[world.municipality])
    with django_assert_max_num_queries(15):
        response = kari.get(LIST)
    assert len(listed(response)) == 23


def test_the_csv_export_has_the_filtered_rows_with_internal_notes_made_safe(world, client_for, log):
    response = client_for(world.consultant, language="en").get(
        "/advisory/export.csv", {"library": world.library.pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Internal notes"
    assert len(rows) == 2
    assert rows[1][2] == "Fredrikstad bibliotek"
    assert rows[1][-1] == "'=HYPERLINK(1)"  # a spreadsheet would run it as a formula


def test_the_xlsx_export_has_dates_hours_and_every_row(world, client_for, log):
    response = client_for(world.admin, language="en").get("/advisory/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[0][0] == "Date"
    assert {row[7] for row in rows[1:]} == {1.5}
    notes = [row[-1] for row in sheet.iter_rows(min_row=2) if row[-1].value == "=HYPERLINK(1)"]
    assert len(notes) == 1 and notes[0].data_type == "s"  # text, not a formula


def test_a_consultant_logs_a_consultation_with_hours_written_with_a_comma(world, client_for, topic):
    response = client_for(world.consultant, language="en").post(
        "/advisory/new/",
        {
            "date": "2026-03-02",
            "kind": "meeting",
            "consultant": world.consultant.pk,
            "libraries": [world.library.pk, world.other_library.pk],
            "people": [world.manager_person.pk],
            "topics": [topic.pk],
            "hours": "1,5",
            "summary": "Møte om leseombud",
            "internal_notes": "Lite penger i år",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/advisory/{consultation.pk}/"
    assert consultation.hours == Decimal("1.5")
    assert consultation.libraries.count() == 2
    page = client_for(world.consultant, language="en").get(response["Location"]).content.decode()
    assert "Møte om leseombud" in page and "Lite penger i år" in page
    assert "Consultation logged" in page  # the history


def test_the_form_explains_what_is_missing_or_wrong(world, client_for):
    response = client_for(world.consultant, language="en").post(
        "/advisory/new/",
        {"date": "2026-03-02", "kind": "phone", "consultant": world.consultant.pk, "hours": "-2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one library or municipality." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert not Consultation.objects.exists()


def test_the_form_starts_with_the_library_of_the_profile(world, client_for):
    response = client_for(world.consultant, language="en").get(
        f"/advisory/new/?library={world.library.pk}"
    )
    assert response.context["form"].initial["libraries"] == [world.library.pk]
    # A library outside the region is not offered.
    response = client_for(world.consultant, language="en").get(
        f"/advisory/new/?library={world.swedish_library.pk}"
    )
    assert "libraries" not in response.context["form"].initial


def test_follow_ups_are_added_listed_as_mine_and_marked_done(world, client_for):
    consultation = make_consultation(world)
    kari = client_for(world.consultant, language="en")
    kari.post(
        f"/advisory/{consultation.pk}/follow-ups/",
        {"what": "Sende kursliste", "due_date": "2020-01-01", "owner": world.consultant.pk},
    )
    kari.post(
        f"/advisory/{consultation.pk}/follow-ups/",
        {"what": "Ingrids oppgave", "due_date": "2030-01-01", "owner": world.admin.pk},
    )
    page = kari.get("/advisory/follow-ups/").content.decode()
    assert "Sende kursliste" in page and "Overdue" in page
    assert "Ingrids oppgave" not in page
    mine = FollowUp.objects.get(owner=world.consultant)
    response = kari.post(f"/advisory/follow-ups/{mine.pk}/done/", {"done": "1", "next": "mine"})
    assert response["Location"] == "/advisory/follow-ups/"
    mine.refresh_from_db()
    assert mine.done
    assert "Sende kursliste" in kari.get("/advisory/follow-ups/?show=done").content.decode()


def test_a_follow_up_without_a_date_is_not_added_and_the_reason_shown(world, client_for):
    consultation = make_consultation(world)
    kari = client_for(world.consultant, language="en")
    response = kari.post(
        f"/advisory/{consultation.pk}/follow-ups/",
        {"what": "Ringe", "due_date": "", "owner": world.consultant.pk},
        follow=True,
    )
    assert "The follow-up was not added" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_staff_manage_the_topic_list(world, client_for):
    kari = client_for(world.consultant, language="en")
    kari.post("/advisory/topics/", {"name": "Litteraturformidling"})
    topic = Topic.objects.get()
    response = kari.post("/advisory/topics/", {"name": "litteraturformidling"})
    assert "already has a topic" in response.content.decode()
    kari.post(f"/advisory/topics/{topic.pk}/", {"name": "Formidling"})
    topic.refresh_from_db()
    assert (topic.name, topic.is_active) == ("Formidling", False)
    # Not in use: not offered for a new consultation.
    form = kari.get("/advisory/new/").context["form"]
    assert topic not in form.fields["topics"].queryset


def test_a_tour_is_planned_and_each_visit_done_becomes_a_consultation(world, client_for):
    kari = client_for(world.consultant, language="en")
    start = date.today() + timedelta(days=3)
    response = kari.post(
        "/advisory/tours/new/",
        {
            "title": "Ti bibliotek på to uker",
            "consultant": world.consultant.pk,
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=13)).isoformat(),
        },
    )
    tour_url = response["Location"]
    for library in (world.library, world.other_library):
        kari.post(
            f"{tour_url}visits/",
            {"library": library.pk, "date": start.isoformat(), "time": "10:00", "purpose": "Besøk"},
        )
    # A day outside the tour is refused on the page.
    response = kari.post(
        f"{tour_url}visits/",
        {"library": world.library.pk, "date": (start - timedelta(days=1)).isoformat()},
    )
    assert "Choose a day of the tour." in response.content.decode()
    visit = PlannedVisit.objects.get(library=world.library)
    form_page = kari.get(f"{tour_url}visits/{visit.pk}/done/")
    initial = form_page.context["form"].initial
    assert initial["libraries"] == [world.library.pk] and initial["kind"] == "visit"
    response = kari.post(
        f"{tour_url}visits/{visit.pk}/done/",
        {
            "date": start.isoformat(),
            "kind": "visit",
            "consultant": world.consultant.pk,
            "libraries": [world.library.pk],
            "summary": "Gjennomgang av lokalene",
        },
    )
    visit.refresh_from_db()
    assert visit.consultation is not None
    assert response["Location"] == f"/advisory/{visit.consultation.pk}/"
    # Done already: the link goes to the consultation.
    again = kari.get(f"{tour_url}visits/{visit.pk}/done/")
    assert again["Location"] == f"/advisory/{visit.consultation.pk}/"
    page = kari.get(tour_url).content.decode()
    assert "Done: see the consultation" in page and "Visit logged as a consultation" in page


def test_editing_keeps_the_history_on_the_consultation_page(world, client_for):
    consultation = make_consultation(world)
    kari = client_for(world.consultant, language="en")
    kari.post(
        f"/advisory/{consultation.pk}/edit/",
        {
            "date": consultation.date.isoformat(),
            "kind": "phone",
            "consultant": world.consultant.pk,
            "libraries": [world.library.pk],
            "summary": "Endret",
        },
    )
    page = kari.get(f"/advisory/{consultation.pk}/").content.decode()
    assert "Consultation changed" in page and "Consultation logged" in page


def test_other_agencies_staff_never_see_the_log(world, client_for):
    make_consultation(world)
    services.topic_create(actor=world.outsider, agency=world.other_agency, name="Läsfrämjande")
    johan = client_for(world.outsider, host="jonkoping.testserver", language="en")
    assert listed(johan.get(LIST)) == []
    rows = johan.get("/advisory/export.csv").content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1


def test_a_follow_up_gets_a_new_date_and_owner_and_the_history_says_so(world, client_for):
    consultation = make_consultation(world)
    follow_up = services.follow_up_create(
        actor=world.consultant,
        agency=world.agency,
        consultation=consultation,
        what="Sende kursliste",
        due_date=date.today() - timedelta(days=2),
        owner=world.consultant,
    )
    kari = client_for(world.consultant, language="en")
    response = kari.post(
        f"/advisory/follow-ups/{follow_up.pk}/edit/",
        {"what": "Sende kursliste", "due_date": "2031-01-15", "owner": world.admin.pk},
    )
    assert response["Location"] == f"/advisory/{consultation.pk}/"
    follow_up.refresh_from_db()
    assert (follow_up.due_date, follow_up.owner) == (date(2031, 1, 15), world.admin)
    page = kari.get(response["Location"]).content.decode()
    assert "Follow-up changed" in page
    # Someone outside the team cannot own it.
    response = kari.post(
        f"/advisory/follow-ups/{follow_up.pk}/edit/",
        {"what": "Sende kursliste", "due_date": "2031-01-15", "owner": world.manager.pk},
    )
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.owner == world.admin


def test_the_tour_goes_to_the_calendar_as_ics(world, client_for):
    start = date(2031, 9, 1)
    tour = services.tour_create(
        actor=world.consultant,
        agency=world.agency,
        title="Høstrunde",
        consultant=world.consultant,
        starts_on=start,
        ends_on=start + timedelta(days=4),
    )
    kwargs = {"actor": world.consultant, "agency": world.agency, "tour": tour}
    services.visit_add(
        library=world.library, date=start, time=time(10, 0), purpose="Meråpent", **kwargs
    )
    services.visit_add(library=world.other_library, date=start + timedelta(days=1), **kwargs)
    response = client_for(world.consultant).get(f"/advisory/tours/{tour.pk}/tour.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Fredrikstad bibliotek", "Sarpsborg bibliotek"]
    assert events[0].decoded("dtstart").hour == 10
    assert events[1].decoded("dtstart") == start + timedelta(days=1)  # a whole day
