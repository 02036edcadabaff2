"""The advisory demo: on the real directory, for both demo agencies, and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from bokbro.accounts import demo as accounts_demo
from bokbro.advisory import demo
from bokbro.advisory.models import Consultation, FollowUp, Tour
from bokbro.directory import demo as directory_demo
from bokbro.directory.models import Agency

pytestmark = pytest.mark.django_db


def test_the_demo_logs_consultations_follow_ups_and_a_tour_once(client_for):
    call_command("import_directory")
    directory_demo.load()
    accounts_demo.load()
    demo.load()
    counts = (Consultation.objects.count(), FollowUp.objects.count(), Tour.objects.count())
    demo.load()
    assert counts == (Consultation.objects.count(), FollowUp.objects.count(), Tour.objects.count())
    for agency in Agency.objects.all():
        assert Consultation.objects.filter(agency=agency).count() == 12
        assert FollowUp.objects.overdue(timezone.localdate()).filter(agency=agency).count() == 1
        assert Tour.objects.get(agency=agency).visits.count() == 6
    kari = Agency.objects.get(slug="ostfold").team.get(email="kari.nilsen@ostfold.example").user
    page = client_for(kari, host="ostfold.localhost").get("/advisory/").content.decode()
    assert "Meråpent bibliotek" in page
