"""Results: response rate, charts with the same numbers as their tables, gaps, breakdowns and
exports held to the anonymity threshold, waves compared, constant queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from bokbro.competence import selectors, services
from bokbro.competence.tests.factories import make_survey, submit
from bokbro.directory.tests.factories import LibraryFactory


@pytest.fixture
def staff_client(client: Any, world: Any) -> Any:
    client.force_login(world.consultant)
    return client


def libraries(world: Any, count: int) -> list[Any]:
    return [
        LibraryFactory.create(name=f"Filial {n}", municipality=world.municipality)
        for n in range(count)
    ]


def test_an_anonymous_survey_shows_nothing_below_the_threshold(
    world: Any, staff_client: Any
) -> None:
    survey = make_survey(world)
    for _n in range(4):
        submit(survey, library=world.library)
    page = staff_client.get(reverse("competence:results", args=[survey.pk])).content.decode()
    assert "Mer om språk" not in page
    assert "<svg" not in page
    for name in ("export_csv", "export_xlsx"):
        response = staff_client.get(reverse(f"competence:{name}", args=[survey.pk]))
        assert b"Mer om spr" not in response.content
    breakdown = staff_client.get(reverse("competence:breakdown", args=[survey.pk, "role"]))
    assert "Aisha" not in breakdown.content.decode()
    assert selectors.results(survey, "nb").withheld


def test_results_show_charts_and_tables_with_the_same_numbers(
    world: Any, staff_client: Any
) -> None:
    survey = make_survey(world)
    for value in ("4", "4", "5", "2", "4"):
        submit(survey, **{f"q{survey.q_likert.pk}": value})
    page = staff_client.get(reverse("competence:results", args=[survey.pk])).content.decode()
    assert page.count("<svg") == 3  # single, multiple, Likert
    assert 'role="img"' in page
    # "Good" (4) three times of five: 60 %, in the chart and in its table.
    assert "3 (60,0 %)" in page  # the page is in bokmål
    assert "<td>3</td><td>60,0 %</td>" in page
    assert "Mer om språk" in page
    found = selectors.results(survey, "nb")
    likert = next(q for q in found.questions if q.question_id == survey.q_likert.pk)
    assert str(likert.average) == "3.8"


def test_breakdowns_hold_back_small_groups_and_one_more_when_needed(
    world: Any, staff_client: Any
) -> None:
    survey = make_survey(world)
    big, middle, small = libraries(world, 3)
    for _n in range(6):
        submit(survey, library=big)
    for _n in range(5):
        submit(survey, library=middle)
    for _n in range(2):
        submit(survey, library=small)
    table = selectors.breakdown(survey, "library", survey.q_likert, "nb")
    # Filial 2 (2 answers) is held back; with it alone the region total minus the rest would
    # give it away, so the smaller of the others (Filial 1, 5 answers) is held back too.
    assert [group.label for group in table.groups] == ["Filial 0"]
    assert table.held_back == 7
    page = staff_client.get(
        reverse("competence:breakdown", args=[survey.pk, "library"])
        + f"?question={survey.q_matrix.pk}"
    ).content.decode()
    assert "Filial 0" in page and "Filial 2" not in page and "Filial 1" not in page


def test_results_by_the_size_of_the_municipality(world: Any, staff_client: Any) -> None:
    """Libraries grouped by the population they serve: small municipalities apart from big."""
    from bokbro.directory.models import Municipality

    hvaler = Municipality.objects.create(
        country="NO", code="3110", name="Hvaler", county=world.county, population=4_800
    )
    small = LibraryFactory.create(name="Hvaler bibliotek", municipality=hvaler)
    survey = make_survey(world)
    for _n in range(5):
        submit(survey, library=small, **{f"q{survey.q_likert.pk}": "2"})
    for _n in range(5):
        submit(survey, library=world.library, **{f"q{survey.q_likert.pk}": "5"})
    with translation.override("en"):
        table = selectors.breakdown(survey, "size", survey.q_likert, "en")
    assert [(g.label, g.size, g.values[None]) for g in table.groups] == [
        ("Under 5,000 inhabitants", 5, Decimal("2.0")),
        ("50,000 inhabitants or more", 5, Decimal("5.0")),
    ]
    page = staff_client.get(
        reverse("competence:breakdown", args=[survey.pk, "size"])
        + f"?question={survey.q_likert.pk}"
    ).content.decode()
    assert "Under 5 000 innbyggere" in page  # the page is in bokmål


def test_the_export_of_an_anonymous_survey_has_no_identity(world: Any, staff_client: Any) -> None:
    survey = make_survey(world)
    big, middle, small = libraries(world, 3)
    for _n in range(6):
        submit(survey, library=big)
    for _n in range(5):
        submit(survey, library=middle)
    submit(survey, library=small)
    response = staff_client.get(reverse("competence:export_csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Email" not in rows[0] and "Name" not in rows[0]
    libraries_named = [row[2] for row in rows[1:]]
    # Filial 2 (one answer) is blank, and Filial 1 too: else the blank row would be Filial 2's.
    assert libraries_named.count("Filial 0") == 6
    assert "Filial 1" not in libraries_named and "Filial 2" not in libraries_named
    xlsx = staff_client.get(reverse("competence:export_xlsx", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.max_row == 13
    assert "Filial 2" not in [cell.value for cell in sheet["C"]]


def test_a_named_export_names_the_respondent(world: Any, staff_client: Any) -> None:
    survey = make_survey(world, anonymous=False)
    people = services.directory_people(agency=world.agency)
    services.invitations_create(
        actor=world.consultant, agency=world.agency, survey=survey, people=people
    )
    invitation = survey.invitations.get(email=world.staff_person.email)
    staff_client.post(
        reverse("competence:answer", args=[invitation.token]),
        {f"q{survey.q_single.pk}": "1", f"q{survey.q_likert.pk}": "3", "action": "send"},
    )
    response = staff_client.get(reverse("competence:export_csv", args=[survey.pk]))
    assert "aisha@fredrikstad.example" in response.content.decode("utf-8-sig")


def test_gaps_between_own_level_and_the_level_managers_need(world: Any) -> None:
    survey = make_survey(world)
    digital, reading = survey.areas
    for _n in range(5):
        submit(survey)  # staff: digital 2 (need training), reading 4
    for _n in range(5):
        submit(
            survey,
            role="manager",
            **{
                f"q{survey.q_needed.pk}_a{digital.pk}": "5",
                f"q{survey.q_needed.pk}_a{reading.pk}": "4",
            },
        )
    found = {gap.label: gap for gap in selectors.gaps(survey, "nb")}
    # Everyone rates their own digital level 2; the managers say 5 is needed.
    assert str(found["Digital kompetanse"].have) == "2.0"
    assert str(found["Digital kompetanse"].gap) == "3.0"
    assert str(found["Lesefremming"].gap) == "0.0"
    assert selectors.gaps(survey, "nb")[0].label == "Digital kompetanse"
    assert found["Digital kompetanse"].wants_training == 10


def test_waves_are_compared_question_by_question(world: Any, staff_client: Any) -> None:
    first = make_survey(world)
    for _n in range(5):
        submit(first, **{f"q{first.q_likert.pk}": "2"})
    services.survey_close(actor=world.consultant, agency=world.agency, survey=first)
    second: Any = services.survey_copy(actor=world.consultant, agency=world.agency, survey=first)
    assert second.questions.count() == first.questions.count()
    services.survey_open(actor=world.consultant, agency=world.agency, survey=second)
    for q in ("single", "multiple", "likert", "number", "children", "long", "matrix", "needed"):
        setattr(second, f"q_{q}", second.questions.get(copied_from=getattr(first, f"q_{q}")))
    second.areas = first.areas
    for _n in range(5):
        submit(second, **{f"q{second.q_likert.pk}": "4"})
    page = staff_client.get(reverse("competence:results", args=[second.pk])).content.decode()
    assert "Forrige runde: 2,0" in page
    condition = second.q_children
    assert condition.show_if_question == second.q_single


def test_the_results_page_reads_in_constant_queries(world: Any, staff_client: Any) -> None:
    survey = make_survey(world)
    for _n in range(5):
        submit(survey)
    url = reverse("competence:results", args=[survey.pk])
    staff_client.get(url)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _n in range(20):
        submit(survey, library=world.library)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url)
    assert len(many) == len(few)
