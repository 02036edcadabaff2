"""Course evaluations summed per year, per competence area and per course series, with the
anonymity threshold: an evaluation with too few answers counts in the invitations and answers
but not in the average."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from bokbro.competence import services
from bokbro.competence.models import Draft, Plan, PlanArea, Survey
from bokbro.competence.tests.factories import make_area
from bokbro.competence.tests.test_evaluations import evaluation_template
from bokbro.events.models import EventKind
from bokbro.events.tests.test_attendance import ended_event

pytestmark = pytest.mark.django_db


def answer(survey: Survey, *scores: int) -> None:
    likert = survey.questions.get(kind="likert")
    for score in scores:
        draft = Draft.objects.create(survey=survey)
        services.response_submit(draft=draft, values=[(likert, score)])


def test_staff_see_evaluations_summed_with_small_ones_held_back(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    template = evaluation_template(world)
    series = ended_event(world)
    course = ended_event(world, kind=EventKind.COURSE, title="Språkkafé", sessions=1)
    common = {"actor": world.consultant, "agency": world.agency}
    big = services.evaluation_attach(event=series, template=template, **common)
    small = services.evaluation_attach(event=course, template=template, **common)
    answer(big, 5, 4, 4, 5, 2)  # five answers: averaged (4.0)
    answer(small, 1, 1)  # two: held back
    area = make_area(world, "Formidling til barn")
    plan = Plan.objects.create(agency=world.agency, title="Plan", starts_year=2026, ends_year=2027)
    tagged = PlanArea.objects.create(plan=plan, area=area)
    tagged.events.add(series, course)

    kari = client_for(world.consultant, language="en")
    url = reverse("competence:evaluation_sums")
    with django_assert_max_num_queries(12):
        page = kari.get(url).content.decode()
    year = series.starts_at.year
    # The year and the area: two evaluations, seven answers, the average of the big one only.
    assert page.count("<td>2</td><td>0</td><td>7</td><td>–</td><td>4.0</td><td>1</td>") == 2
    assert f'<th scope="row">{year}</th>' in page and "Formidling til barn" in page
    # The course series on its own row, linked to its results.
    assert f'href="{reverse("competence:results", args=[big.pk])}">Bokprat for barn' in page
    assert "1.0" not in page  # the small evaluation's average is shown nowhere
