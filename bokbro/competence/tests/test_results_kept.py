"""The results pages and the XLSX are kept in the cache per survey version: whatever changes
what they show makes a new version, so the next page shows it at once (an answer sent, an edit
of the survey, its questions or a competence area, a person's answers erased)."""

from __future__ import annotations

import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bokbro.competence import services
from bokbro.competence.models import Survey
from bokbro.competence.personal import person_erase
from bokbro.competence.tests.factories import make_survey, submit


def _pages(client: Any, survey: Any, question: Any = None) -> tuple[str, str]:
    """The results page and the breakdown by library (of `question`, else the first)."""
    breakdown = reverse("competence:breakdown", args=[survey.pk, "library"])
    if question is not None:
        breakdown += f"?question={question.pk}"
    return (
        client.get(reverse("competence:results", args=[survey.pk])).content.decode(),
        client.get(breakdown).content.decode(),
    )


def _common(world: Any) -> dict[str, Any]:
    return {"actor": world.consultant, "agency": world.agency}


def test_a_question_edited_shows_at_once_on_both_pages(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world, anonymous=False)  # named: its results show before 5 answers
    for page in _pages(client, survey):
        assert "Hvor fornøyd er du?" in page
    question = survey.q_likert
    question.text = {"nb": "Hvor godt trives du på jobb?"}
    services.question_save(question=question, **_common(world))
    for page in _pages(client, survey):
        assert "Hvor godt trives du på jobb?" in page
        assert "Hvor fornøyd er du?" not in page


def test_a_question_deleted_leaves_both_pages_at_once(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world, anonymous=False)
    for page in _pages(client, survey):
        assert "Hvor mange år har du jobbet i bibliotek?" in page
    services.question_delete(question=survey.q_number, **_common(world))
    for page in _pages(client, survey):
        assert "Hvor mange år har du jobbet i bibliotek?" not in page


def test_a_new_title_shows_at_once_on_both_pages(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world)
    for _n in range(5):
        submit(survey, library=world.library)
    _pages(client, survey)
    survey.title = {"nb": "Kartlegging våren 2026"}
    services.survey_save(survey=survey, **_common(world))
    for page in _pages(client, survey, survey.q_matrix):
        assert page.count("Kartlegging våren 2026") >= 3  # the title, the heading, the crumbs
        assert "Kompetansekartlegging 2026" not in page


def test_a_title_saved_from_a_form_opened_before_an_answer_still_shows(
    world: Any, client_for: Any
) -> None:
    """The edit form's copy of the survey is older than the answer sent meanwhile: saving it
    must not take the version back to one whose page is already kept."""
    client = client_for(world.consultant)
    survey = make_survey(world)
    for _n in range(5):
        submit(survey, library=world.library)
    opened = Survey.objects.get(pk=survey.pk)  # the form is opened ...
    submit(survey, library=world.library)  # ... an answer comes ...
    assert "Kompetansekartlegging 2026" in _pages(client, survey)[0]  # ... the page is kept
    opened.title = {"nb": "Kartlegging våren 2026"}
    services.survey_save(survey=opened, **_common(world))
    results, breakdown = _pages(client, survey)
    assert "Kartlegging våren 2026" in results and "Kartlegging våren 2026" in breakdown
    assert "<dt>Svar i alt</dt><dd>6</dd>" in results


def test_a_competence_area_renamed_shows_at_once(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world)
    for _n in range(5):
        submit(survey, library=world.library)
        submit(survey, library=world.library, role="manager")
    results, breakdown = _pages(client, survey, survey.q_matrix)
    assert results.count("Digital kompetanse") >= 2  # the matrix and the gaps
    assert "Digital kompetanse" in breakdown
    area = survey.areas[0]
    area.name = {"nb": "Digitale ferdigheter", "en": "Digital skills"}
    services.area_save(area=area, **_common(world))
    results, breakdown = _pages(client, survey, survey.q_matrix)
    for page in (results, breakdown):
        assert "Digital kompetanse" not in page
    assert results.count("Digitale ferdigheter") >= 2
    assert "Digitale ferdigheter" in breakdown


def test_an_answer_sent_shows_in_the_figures_at_once(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world)
    for _n in range(4):
        submit(survey, library=world.library)
    for page in _pages(client, survey, survey.q_matrix):
        # Anonymous, four answers: under the threshold, nothing shown on either page.
        assert "resultatene vises når minst 5 har svart" in page
        assert "<td>4</td>" not in page
    submit(survey, library=world.library)
    results, breakdown = _pages(client, survey, survey.q_matrix)
    assert "<dt>Svar i alt</dt><dd>5</dd>" in results
    assert f'<th scope="row">{world.library.name}</th><td>5</td>' in breakdown
    submit(survey, library=world.library)
    results, breakdown = _pages(client, survey, survey.q_matrix)
    assert "<dt>Svar i alt</dt><dd>6</dd>" in results
    assert f'<th scope="row">{world.library.name}</th><td>6</td>' in breakdown


def test_answers_erased_with_a_person_leave_the_results_and_the_export(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world, anonymous=False)
    people = services.directory_people(agency=world.agency)
    services.invitations_create(survey=survey, people=people, **_common(world))
    invitation = survey.invitations.get(email=world.staff_person.email)
    client_for(None).post(
        reverse("competence:answer", args=[invitation.token]),
        {
            f"q{survey.q_single.pk}": "1",
            f"q{survey.q_likert.pk}": "3",
            f"q{survey.q_long.pk}": "Kurs i lydbøker",
            "action": "send",
        },
    )
    xlsx_url = reverse("competence:export_xlsx", args=[survey.pk])

    def xlsx_cells() -> list[Any]:
        sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
        assert sheet is not None
        return [cell.value for row in sheet.iter_rows() for cell in row]

    assert "Kurs i lydbøker" in _pages(client, survey)[0]
    assert world.staff_person.email in xlsx_cells()
    person_erase([world.staff_person.email])
    assert "Kurs i lydbøker" not in _pages(client, survey)[0]
    assert world.staff_person.email not in xlsx_cells()


def test_a_kept_page_reads_one_row_of_the_survey(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world)
    for _n in range(5):
        submit(survey, library=world.library)
    _pages(client, survey, survey.q_matrix)  # kept
    for page in (
        reverse("competence:results", args=[survey.pk]),
        reverse("competence:breakdown", args=[survey.pk, "library"])
        + f"?question={survey.q_matrix.pk}",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        assert len([q for q in queries if "competence_" in q["sql"]]) == 1, page


def test_the_results_pages_of_a_survey_not_there_or_not_ours(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant)
    survey = make_survey(world)
    theirs = Survey.objects.create(agency=world.other_agency, title={"sv": "Kartläggning"})
    missing = theirs.pk + 1000
    for name, args in [("results", []), ("breakdown", ["library"])]:
        assert client.get(reverse(f"competence:{name}", args=[theirs.pk, *args])).status_code == 403
        assert client.get(reverse(f"competence:{name}", args=[missing, *args])).status_code == 404
    unknown = reverse("competence:breakdown", args=[survey.pk, "shoe-size"])
    assert client.get(unknown).status_code == 404
    # A question that is none of the survey's shows the first one, as no choice does.
    url = reverse("competence:breakdown", args=[survey.pk, "library"])

    def main(query: str) -> str:
        page = client.get(url + query).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    first = main("")
    assert f'<option value="{survey.q_likert.pk}" selected>' in first
    for asked in ("abc", "99999999", "-1", str(theirs.pk)):
        assert main(f"?question={asked}") == first, asked
