"""One answer per personal link under real parallel clients against PostgreSQL: twenty threads
with their own connections, released together, send the same link's answer; one answer is
written, the others are told the link is used."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.utils.datastructures import MultiValueDict

from bokbro.competence import services
from bokbro.competence.forms import AnswerForm
from bokbro.competence.models import Response
from bokbro.competence.selectors import questions_for
from bokbro.competence.tests.factories import answer_post, make_survey
from bokbro.events.tests.test_concurrency import run_parallel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
    ),
]


@pytest.fixture
def mapping(transactional_db: Any) -> Any:
    from bokbro.conftest import make_world

    world: Any = make_world()
    survey = make_survey(world)
    services.invitations_create(
        actor=world.consultant,
        agency=world.agency,
        survey=survey,
        people=services.directory_people(agency=world.agency),
    )
    return survey


def test_twenty_clients_sending_one_link_write_one_answer(mapping: Any) -> None:
    invitation = mapping.invitations.order_by("pk").first()
    draft = services.draft_for_invitation(invitation)
    data = answer_post(mapping)
    data.pop("action")

    def send() -> Any:
        questions = questions_for(mapping, role=invitation.role)
        form = AnswerForm(
            MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
            questions=questions,
            language="nb",
            sending=True,
        )
        assert form.is_valid(), form.errors
        # Each client holds the draft as it loaded the page (the winner deletes the row).
        return services.response_submit(draft=copy.copy(draft), values=form.values())

    results = run_parallel([send] * 20, workers=20)
    written = [r for r in results if isinstance(r, Response)]
    refused = [r for r in results if isinstance(r, services.SurveyError)]
    assert len(written) == 1, results
    assert len(refused) == 19
    assert Response.objects.filter(survey=mapping).count() == 1
    invitation.refresh_from_db()
    assert invitation.answered
