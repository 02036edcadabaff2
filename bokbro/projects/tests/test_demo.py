"""The module's demo content: idempotent, with a joint project across counties, a model
library, a budget that breaks Nasjonalbiblioteket's rule and a status report due soon."""

from __future__ import annotations

import pytest

from bokbro.projects import demo
from bokbro.projects.models import Funder, FundingLine, Partner, Project, StatusReport
from bokbro.projects.periodic import report_reminders_send
from bokbro.projects.selectors import funding_summary

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Project, Partner, Funder, FundingLine, StatusReport)]


def test_the_demo_content_is_idempotent_and_shows_every_feature(world):
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first

    joint = Project.objects.get(title="Leselyst over grensen")
    assert joint.partners.filter(agency=world.other_agency).exists()
    assert Project.objects.involving(world.other_agency).filter(pk=joint.pk).exists()
    model = Project.objects.get(title="Modellbibliotek for digital formidling")
    assert model.partners.filter(role="model_library").exists()
    assert len(funding_summary(model).warnings) == 2
    assert funding_summary(joint).warnings == []
    assert Funder.objects.get(agency=world.agency, name="Nasjonalbiblioteket").has_rules
    assert not Funder.objects.get(agency=world.other_agency, name="Kulturrådet").has_rules
    assert Project.objects.filter(agency=world.other_agency, currency="SEK").exists()
    assert report_reminders_send() == 1  # the joint project's report is due in ten days
