"""The demo (two networks per agency with meetings, idempotent) and what the networks tell the
follow-up and the annual report: meetings, and members by municipality."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bokbro.events.models import EventKind, Registration
from bokbro.networks import demo, plan_source, services
from bokbro.networks.models import Meeting, Membership, Network
from bokbro.networks.tests.conftest import make_network

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [Network.objects.count(), Membership.objects.count(), Meeting.objects.count()]


def test_the_demo_gives_each_agency_two_networks_with_meetings_and_is_idempotent(world):
    from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person

    lina = Person.objects.create(name="Lina Svensson", email="lina@varnamo.example")
    LibraryRole.objects.create(
        person=lina, library=world.swedish_library, role=LibraryRoleKind.STAFF
    )
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    for agency in (world.agency, world.other_agency):
        own = Network.objects.filter(agency=agency, partner_agencies=None)
        assert own.count() == 2
        meetings = Meeting.objects.filter(network__in=own)
        assert meetings.count() == 4
        assert all(m.event.kind == EventKind.NETWORK_MEETING for m in meetings)
        assert meetings.filter(notes_published_at__isnull=False).count() == 2
    assert Membership.objects.filter(network__agency=world.agency, is_coordinator=True).exists()
    assert Registration.objects.filter(event__network_meeting__isnull=False).exists()
    # One network shared between the two agencies, with members from both regions, counted in
    # both agencies' reports.
    shared = Network.objects.get(partner_agencies=world.other_agency)
    assert shared.agency == world.agency
    libraries = set(shared.memberships.values_list("person__library_roles__library", flat=True))
    assert {world.library.pk, world.swedish_library.pk} <= libraries
    past = shared.meetings.get(notes_published_at__isnull=False).event.starts_at.year
    for agency in (world.agency, world.other_agency):
        titles = [a.title for a in plan_source.activities(agency, past)]
        assert any(shared.name in title for title in titles)


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


def test_a_shared_networks_meeting_counts_for_each_agency_what_belongs_to_it(net):
    """Østfold's network, shared with Jönköping: each agency's report has the meeting, with the
    members and places of its own region's libraries; together they count everyone once."""
    from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person

    services.network_save(
        actor=net.consultant,
        agency=net.agency,
        network=net.network,
        name=net.network.name,
        purpose="Over grensen.",
        partner_agencies=[net.other_agency],
    )
    lena = Person.objects.create(name="Lena Bibliotekarie", email="lena@varnamo.example")
    LibraryRole.objects.create(person=lena, library=net.swedish_library, role=LibraryRoleKind.STAFF)
    services.member_set(
        actor=net.outsider,
        agency=net.other_agency,
        network=net.network,
        person=lena,
        coordinator=False,
    )
    only_ours = make_network(net, name="Bare Østfold")
    services.member_set(
        actor=net.consultant,
        agency=net.agency,
        network=only_ours,
        person=net.staff_person,
        coordinator=False,
    )
    year = timezone.now().year
    start = timezone.now().replace(month=6, day=1, hour=10)
    for network, title in ((net.network, "Grensemøte"), (only_ours, "Østfoldmøte")):
        data = services.MeetingData(
            title=title, starts_at=start, ends_at=start + timedelta(hours=2)
        )
        meeting = services.meeting_create(
            actor=net.consultant, agency=net.agency, network=network, data=data
        )
        services.meeting_invite_all(actor=net.consultant, agency=net.agency, meeting=meeting)

    def report(agency):
        activities = plan_source.activities(agency, year)
        figures = {str(f.label): f.value for f in plan_source.figures(activities)}
        return {a.title: a.municipality_ids for a in activities}, figures

    ours, our_figures = report(net.agency)
    assert ours == {
        "Grensemøte (Barnenettverket)": frozenset({net.municipality.pk}),
        "Østfoldmøte (Bare Østfold)": frozenset({net.municipality.pk}),
    }
    assert our_figures["Network meetings"] == 2
    assert our_figures["Places taken at network meetings"] == 3  # Ola and Aisha, then Aisha
    assert our_figures["Network members (counted per network)"] == 3

    theirs, their_figures = report(net.other_agency)
    assert theirs == {
        "Grensemøte (Barnenettverket)": frozenset({net.swedish_library.municipality_id})
    }
    assert their_figures["Network meetings"] == 1
    assert their_figures["Places taken at network meetings"] == 1  # Lena
    assert their_figures["Municipalities with network members"] == 1
    assert their_figures["Network members (counted per network)"] == 1


def test_a_partner_with_no_one_in_a_shared_network_does_not_count_its_meetings(net):
    services.network_save(
        actor=net.consultant,
        agency=net.agency,
        network=net.network,
        name=net.network.name,
        purpose="Over grensen.",
        partner_agencies=[net.other_agency],
    )
    start = timezone.now().replace(month=6, day=1, hour=10)
    data = services.MeetingData(title="Møte", starts_at=start, ends_at=start + timedelta(hours=2))
    meeting = services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=data
    )
    services.meeting_invite_all(actor=net.consultant, agency=net.agency, meeting=meeting)
    assert plan_source.activities(net.other_agency, timezone.now().year) == []
    assert len(plan_source.activities(net.agency, timezone.now().year)) == 1
