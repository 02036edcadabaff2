"""The demo (two networks per agency with meetings, idempotent) and what the networks tell the
follow-up and the annual report: meetings, and members by municipality."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bokbro.events.models import EventKind, Registration
from bokbro.networks import demo, plan_source, services
from bokbro.networks.models import Meeting, Membership, Network

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [Network.objects.count(), Membership.objects.count(), Meeting.objects.count()]


def test_the_demo_gives_each_agency_two_networks_with_meetings_and_is_idempotent(world):
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    for agency in (world.agency, world.other_agency):
        assert Network.objects.filter(agency=agency).count() == 2
        meetings = Meeting.objects.filter(network__agency=agency)
        assert meetings.count() == 4
        assert all(m.event.kind == EventKind.NETWORK_MEETING for m in meetings)
        assert meetings.filter(notes_published_at__isnull=False).count() == 2
    assert Membership.objects.filter(network__agency=world.agency, is_coordinator=True).exists()
    assert Registration.objects.filter(event__network_meeting__isnull=False).exists()


def test_the_report_counts_meetings_and_members_by_municipality(net):
    year = timezone.now().year
    start = timezone.now().replace(month=6, day=1, hour=10)
    data = services.MeetingData(
        title="Sommermøte", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    meeting = services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=data
    )
    services.meeting_invite_all(actor=net.consultant, agency=net.agency, meeting=meeting)
    activities = plan_source.activities(net.agency, year)
    assert [a.title for a in activities] == ["Sommermøte (Barnenettverket)"]
    assert activities[0].municipality_ids == frozenset({net.municipality.pk})
    figures = {str(f.label): f.value for f in plan_source.figures(activities)}
    assert figures["Network meetings"] == 1
    assert figures["Places taken at network meetings"] == 2
    assert figures["Municipalities with network members"] == 1
    assert figures["Network members (counted per network)"] == 2
    assert plan_source.activities(net.other_agency, year) == []
