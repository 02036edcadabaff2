"""The economy of events: cost and income lines with who pays, the fee rule for binding sign-ups,
and the agency's overview per year with its exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bokbro.core.models import AuditEntry
from bokbro.events.models import BudgetLine, EventKind, EventStatus
from bokbro.events.selectors import economy_for_year, event_totals
from bokbro.events.services.economy import BudgetLineData, budget_line_create
from bokbro.events.services.events import SessionData, event_create

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def event_in(agency: Any, year: int, month: int = 9, **data: Any) -> Any:
    start = datetime(year, month, 10, 10, tzinfo=OSLO)
    fields = {
        "kind": EventKind.COURSE,
        "title": "Bokprat for barn",
        "status": EventStatus.PUBLISHED,
        **data,
    }
    co_organisers = fields.pop("co_organisers", ())
    return event_create(
        actor=None,
        agency=agency,
        **fields,
        sessions=[SessionData(starts_at=start, ends_at=start.replace(hour=15))],
        co_organisers=co_organisers,
    )


def line(world: Any, event: Any, kind: str, category: str, amount: str, payer: str) -> BudgetLine:
    return budget_line_create(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        data=BudgetLineData(kind=kind, category=category, amount=Decimal(amount), payer=payer),
    )


def scenario_lines(world: Any, event: Any) -> None:
    """Kari's speaker: the fee paid by the county, travel by each municipality; a course fee."""
    line(world, event, "cost", "speaker_fee", "12000", "agency")
    line(world, event, "cost", "travel", "900", "municipality")
    line(world, event, "cost", "travel", "600", "municipality")
    line(world, event, "income", "participant_fees", "3000", "participant")


@pytest.fixture
def kari(world, client_for):
    return client_for(world.consultant, language="en")


def add(client: Any, event: Any, **data: Any) -> Any:
    fields = {
        "kind": "cost",
        "category": "venue",
        "description": "Salen",
        "amount": "4000",
        "payer": "agency",
    }
    fields.update(data)
    return client.post(f"/staff/events/{event.pk}/economy/", fields)


# --- One event ---------------------------------------------------------------------------------


def test_totals_per_event_and_per_payer(world):
    event = event_in(world.agency, 2031)
    scenario_lines(world, event)
    totals = event_totals(event)
    assert (totals.costs, totals.income, totals.net) == (
        Decimal("13500"),
        Decimal("3000"),
        Decimal("-10500"),
    )
    assert [(p.payer, p.costs, p.income) for p in totals.payers] == [
        ("agency", Decimal("12000"), Decimal("0")),
        ("municipality", Decimal("1500"), Decimal("0")),
        ("participant", Decimal("0"), Decimal("3000")),
    ]


def test_the_economy_page_shows_lines_and_totals_in_the_users_language(world, client_for):
    event = event_in(world.agency, 2031)
    scenario_lines(world, event)
    url = f"/staff/events/{event.pk}/economy/"
    english = client_for(world.consultant, language="en").get(url).content.decode()
    assert "12,000.00\xa0NOK" in english
    assert "13,500.00\xa0NOK" in english
    assert "-10,500.00\xa0NOK" in english
    assert "The participant&#x27;s municipality" in english
    bokmal = client_for(world.consultant, language="nb").get(url).content.decode()
    assert "12\xa0000,00\xa0NOK" in bokmal


def test_a_consultant_adds_edits_and_deletes_a_line(world, kari):
    event = event_in(world.agency, 2031)
    response = add(kari, event, category="speaker_fee", amount="12 000", is_estimate="on")
    assert response.status_code == 302
    added = BudgetLine.objects.get(event=event)
    assert (added.category, added.amount, added.is_estimate) == (
        "speaker_fee",
        Decimal("12000"),
        True,
    )

    url = f"/staff/events/{event.pk}/economy/{added.pk}/edit/"
    assert kari.get(url).status_code == 200
    response = kari.post(
        url,
        {"kind": "cost", "category": "speaker_fee", "amount": "11500.50", "payer": "agency"},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.amount, added.is_estimate) == (Decimal("11500.50"), False)

    response = kari.post(f"/staff/events/{event.pk}/economy/{added.pk}/delete/")
    assert response.status_code == 302
    assert not BudgetLine.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="events.budget_line").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "events.budget_line.created",
        "events.budget_line.deleted",
        "events.budget_line.updated",
    ]
    history = kari.get(f"/staff/events/{event.pk}/").content.decode()
    assert "Budget line added" in history


def test_amounts_as_typed_in_norwegian(world, client_for):
    event = event_in(world.agency, 2031)
    response = add(client_for(world.consultant, language="nb"), event, amount="12 000,50")
    assert response.status_code == 302
    assert BudgetLine.objects.get().amount == Decimal("12000.50")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-100"}, "Ensure this value is greater than or equal to 0."),
        ({"amount": "tolv tusen"}, "Enter a number."),
        ({"amount": ""}, "This field is required."),
        ({"amount": "99999999999"}, "Ensure that there are no more than 10 digits in total."),
        ({"category": "bribes"}, "Select a valid choice."),
        ({"payer": "santa"}, "Select a valid choice."),
        ({"kind": "gift"}, "Select a valid choice."),
    ],
)
def test_bad_input_gives_form_errors_and_keeps_the_values(world, kari, data, message):
    event = event_in(world.agency, 2031)
    response = add(kari, event, description="Foredragsholder Hansen", **data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Foredragsholder Hansen"' in body
    assert not BudgetLine.objects.exists()


def test_bad_input_errors_are_in_the_users_language(world, client_for):
    event = event_in(world.agency, 2031)
    response = add(client_for(world.consultant, language="nb"), event, amount="-5")
    assert "Enter a number." not in response.content.decode()
    assert "Ensure this value" not in response.content.decode()


def test_a_line_of_another_event_is_not_found(world, kari):
    event, other = event_in(world.agency, 2031), event_in(world.agency, 2031, title="Annet")
    foreign = line(world, other, "cost", "venue", "100", "agency")
    assert kari.get(f"/staff/events/{event.pk}/economy/{foreign.pk}/edit/").status_code == 404
    response = kari.post(f"/staff/events/{event.pk}/economy/{foreign.pk}/delete/")
    assert response.status_code == 404
    assert BudgetLine.objects.filter(pk=foreign.pk).exists()


# --- The fee rule for binding sign-ups -------------------------------------------------------


def test_fees_for_no_shows_and_late_cancellations_are_shown_when_registering(world, client_for):
    event = event_in(
        world.agency,
        2031,
        binding_text="Påmeldingen er bindende.",
        no_show_fee=Decimal("500"),
        late_cancellation_fee=Decimal("250"),
        cancellation_deadline=datetime(2031, 9, 1, 12, tzinfo=OSLO),
    )
    body = client_for(None, language="en").get(f"/events/{event.pk}/register/").content.decode()
    assert "Påmeldingen er bindende." in body
    assert "If you neither come nor cancel, you are charged 500.00\xa0NOK." in body
    assert "If you cancel after" in body
    assert "you are charged 250.00\xa0NOK." in body


def test_the_event_form_saves_the_fee_rule(world, kari):
    from bokbro.events.tests.test_staff_events import form_data

    response = kari.post(
        "/staff/events/new/", form_data(no_show_fee="400", late_cancellation_fee="")
    )
    assert response.status_code == 302
    event = world.agency.events.get()
    assert (event.no_show_fee, event.late_cancellation_fee) == (Decimal("400"), None)
    response = kari.post("/staff/events/new/", form_data(no_show_fee="-1"))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


# --- The year ----------------------------------------------------------------------------------


@pytest.fixture
def year_2031(world):
    """Two own events in 2031 and others that must not count."""
    first = event_in(world.agency, 2031, month=3, title="Bokprat for barn")
    scenario_lines(world, first)
    second = event_in(world.agency, 2031, month=10, title="Lesesirkel")
    line(world, second, "cost", "venue", "2000", "agency")
    line(world, second, "income", "grant", "5000", "other")
    cancelled = event_in(world.agency, 2031, month=11, title="Avlyst seminar")
    line(world, cancelled, "cost", "venue", "300", "agency")
    cancelled.status = EventStatus.CANCELLED
    cancelled.save()
    # Not counted: another year, a draft, another agency's events (also one we co-organise).
    line(world, event_in(world.agency, 2032, title="Neste år"), "cost", "venue", "7", "agency")
    line(
        world,
        event_in(world.agency, 2031, title="Utkast", status="draft"),
        "cost",
        "venue",
        "7",
        "agency",
    )
    swedish = event_in(world.other_agency, 2031, title="Bokcirkel i Värnamo")
    line(world, swedish, "cost", "venue", "7", "agency")
    shared = event_in(
        world.other_agency, 2031, title="Felles konferanse", co_organisers=[world.agency]
    )
    line(world, shared, "cost", "venue", "7", "agency")
    return [first, second, cancelled]


def test_the_year_sums_only_the_agencys_own_events_in_that_year(world, year_2031):
    data = economy_for_year(world.agency, 2031)
    assert [row.title for row in data.events] == [
        "Bokprat for barn",
        "Lesesirkel",
        "Avlyst seminar",
    ]
    assert [(row.costs, row.income, row.net) for row in data.events] == [
        (Decimal("13500"), Decimal("3000"), Decimal("-10500")),
        (Decimal("2000"), Decimal("5000"), Decimal("3000")),
        (Decimal("300"), Decimal("0"), Decimal("-300")),
    ]
    assert (data.totals.costs, data.totals.income, data.totals.net) == (
        Decimal("15800"),
        Decimal("8000"),
        Decimal("-7800"),
    )
    assert {p.payer: (p.costs, p.income) for p in data.totals.payers} == {
        "agency": (Decimal("14300"), Decimal("0")),
        "municipality": (Decimal("1500"), Decimal("0")),
        "participant": (Decimal("0"), Decimal("3000")),
        "other": (Decimal("0"), Decimal("5000")),
    }
    assert data.currency == "NOK"
    assert economy_for_year(world.agency, 2030).events == []


def test_the_year_page_lists_the_events_with_totals(world, kari, year_2031):
    body = kari.get("/staff/events/economy/2031/").content.decode()
    for title in ("Bokprat for barn", "Lesesirkel", "Avlyst seminar"):
        assert title in body
    for title in ("Neste år", "Utkast", "Bokcirkel i Värnamo", "Felles konferanse"):
        assert title not in body
    assert "-7,800.00\xa0NOK" in body
    assert kari.get("/staff/events/economy/1999/").status_code == 404


def test_the_year_exports_as_csv(world, kari, year_2031):
    response = kari.get("/staff/events/economy/2031.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="economy-ostfold-2031.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Event", "Starts", "Status", "Costs (NOK)", "Income (NOK)", "Net (NOK)"]
    assert rows[1:] == [
        ["Bokprat for barn", "2031-03-10", "Published", "13500.00", "3000.00", "-10500.00"],
        ["Lesesirkel", "2031-10-10", "Published", "2000.00", "5000.00", "3000.00"],
        ["Avlyst seminar", "2031-11-10", "Cancelled", "300.00", "0.00", "-300.00"],
        ["Total", "", "", "15800.00", "8000.00", "-7800.00"],
    ]


def test_the_year_exports_as_xlsx(world, kari, year_2031):
    response = kari.get("/staff/events/economy/2031.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["2031"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Event"
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("Bokprat for barn", 13500, 3000, -10500),
        ("Lesesirkel", 2000, 5000, 3000),
        ("Avlyst seminar", 300, 0, -300),
        ("Total", 15800, 8000, -7800),
    ]
    payers = [[cell.value for cell in row] for row in workbook["Per payer"].iter_rows()]
    assert payers[1:] == [
        ["The agency", 14300, 0],
        ["The participant's municipality", 1500, 0],
        ["The participant", 0, 3000],
        ["Someone else", 0, 5000],
    ]


# --- Other agencies ----------------------------------------------------------------------------


def test_the_outsider_cannot_reach_the_economy(world, client_for, year_2031):
    event = year_2031[0]
    added = event.budget_lines.first()
    urls = [
        f"/staff/events/{event.pk}/economy/",
        f"/staff/events/{event.pk}/economy/{added.pk}/edit/",
    ]
    before = list(BudgetLine.objects.order_by("pk").values())
    for client in (
        client_for(world.outsider),
        client_for(world.outsider, host="jonkoping.testserver"),
    ):
        for url in urls:
            assert client.get(url).status_code == 403
        assert add(client, event).status_code == 403
        response = client.post(f"/staff/events/{event.pk}/economy/{added.pk}/delete/")
        assert response.status_code == 403
    assert client_for(world.outsider).get("/staff/events/economy/2031/").status_code == 403
    assert list(BudgetLine.objects.order_by("pk").values()) == before

    # At home he sees his own agency's year, never the Norwegian events.
    home = client_for(world.outsider, host="jonkoping.testserver", language="en")
    body = home.get("/staff/events/economy/2031/").content.decode()
    assert "Bokcirkel i Värnamo" in body
    assert "Bokprat for barn" not in body
    assert "SEK" in body
    csv_body = home.get("/staff/events/economy/2031.csv").content.decode("utf-8-sig")
    assert "Bokprat for barn" not in csv_body
