"""The competence API for the agency's team: surveys with their counts, and a survey's results
aggregated, never under the threshold and never a single answer."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.competence.tests.factories import make_survey, submit

pytestmark = pytest.mark.django_db


def test_the_team_reads_surveys_and_results_over_the_threshold_only(
    world: Any, client_for: Any, client: Any
) -> None:
    survey = make_survey(world)
    for _n in range(4):
        submit(survey, library=world.library)
    kari = client_for(world.consultant, language="en")
    (listed,) = kari.get("/api/competence/surveys").json()["items"]
    assert (listed["id"], listed["responses"], listed["kind"]) == (survey.pk, 4, "mapping")
    url = f"/api/competence/surveys/{survey.pk}/results"
    body = kari.get(url).json()
    assert body["withheld"] is True and body["questions"] == []  # four answers: under five

    submit(survey, library=world.library, **{f"q{survey.q_likert.pk}": "2"})
    body = kari.get(url).json()
    assert body["withheld"] is False and body["responses"] == 5
    likert = next(q for q in body["questions"] if q["id"] == survey.q_likert.pk)
    assert likert["average"] == "3.6" and [o["count"] for o in likert["options"]][1:4] == [1, 0, 4]
    matrix = next(q for q in body["questions"] if q["id"] == survey.q_matrix.pk)
    assert matrix["areas"][0]["need_training"] == 5
    text = str(body)
    assert "Mer om språk" not in text  # no free-text answer
    assert "lowest" not in text and "highest" not in text

    assert client.get(url).status_code == 401
    refused = client_for(world.manager).get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "not_team"


def test_the_api_documents_its_refusals(client: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    results = paths["/api/competence/surveys/{survey_id}/results"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(results)
    assert {"200", "401", "403"} <= set(paths["/api/competence/surveys"]["get"]["responses"])
