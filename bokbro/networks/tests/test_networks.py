"""Networks as their members and coordinators meet them: the public page, joining and leaving,
requests approved by a coordinator, members-only material, mail to all members, and meetings
(events of kind "network meeting") with everyone registered in one step and notes afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bokbro.directory.models import Person
from bokbro.events.models import Event, EventKind, Registration, RegistrationStatus
from bokbro.events.services.events import SessionData, event_create
from bokbro.networks import services
from bokbro.networks.models import Document, Joining, Meeting, Membership, MembershipStatus
from bokbro.networks.tests.conftest import make_network, meeting_data

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_purpose_contact_next_meeting_and_libraries(net, client_for):
    services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=meeting_data()
    )
    page = client_for(None).get(f"/networks/{net.network.pk}/").content.decode()
    assert "<strong>erfaringer</strong>" in page
    assert "barn@ostfold.example" in page
    assert "Ola Sjef" in page  # the coordinator is the contact
    assert "Nettverksmøte" in page
    assert "Fredrikstad bibliotek" in page
    assert "Aisha Bibliotekar" not in page  # members' names are for members


def test_a_library_person_joins_an_open_network_in_one_click_and_leaves_in_one(world, client_for):
    network = make_network(world)
    client = client_for(world.staff)
    response = client.post(f"/networks/{network.pk}/join/")
    assert response.status_code == 302
    membership = Membership.objects.get(network=network, person=world.staff_person)
    assert membership.status == MembershipStatus.MEMBER
    assert client.get(f"/networks/{network.pk}/members/").status_code == 200
    client.post(f"/networks/{network.pk}/leave/")
    assert not Membership.objects.filter(network=network).exists()
    assert client.get(f"/networks/{network.pk}/members/").status_code == 403


def test_someone_outside_the_directory_is_told_how_to_join_and_nothing_is_saved(world, client_for):
    network = make_network(world)
    response = client_for(world.public).post(f"/networks/{network.pk}/join/")
    assert response.status_code == 200
    assert "library directory" in response.content.decode()
    assert not Membership.objects.exists()
    assert not Person.objects.filter(user=world.public).exists()


def test_a_request_to_join_is_approved_by_a_coordinator(net, client_for, mails):
    net.network.joining = Joining.APPLICATION
    net.network.save()
    marte = Person.objects.get(user=net.other_manager)
    membership, sent = mails(
        lambda: services.network_join(
            actor=net.other_manager, agency=net.agency, network=net.network
        )
    )
    assert membership.status == MembershipStatus.REQUESTED
    assert [m.to for m in sent] == [["ola@fredrikstad.example"]]  # the coordinator
    assert "Marte Sjef" in sent[0].subject

    # A member who is no coordinator may not decide; the coordinator may.
    url = f"/networks/{net.network.pk}/manage/members/{membership.pk}/decide/"
    assert client_for(net.staff).post(url, {"decision": "approve"}).status_code == 403
    response, sent = mails(lambda: client_for(net.manager).post(url, {"decision": "approve"}))
    assert response.status_code == 302
    assert Membership.objects.get(person=marte).status == MembershipStatus.MEMBER
    assert [m.to for m in sent] == [["marte@sarpsborg.example"]]


def test_the_agency_team_gets_a_directory_entry_when_joining(world):
    network = make_network(world)
    membership = services.network_join(actor=world.consultant, agency=world.agency, network=network)
    assert membership.person.user == world.consultant
    assert membership.person.created_by_agency == world.agency


def test_joining_twice_keeps_one_membership(world):
    network = make_network(world)
    for _ in range(2):
        services.network_join(actor=world.staff, agency=world.agency, network=network)
    assert Membership.objects.count() == 1


def test_members_only_material_never_reaches_others(net, client_for):
    document = services.document_add(
        actor=net.consultant,
        agency=net.agency,
        network=net.network,
        title="Hemmelig budsjett",
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"),
    )
    pk = net.network.pk
    # Stored under a name no one can guess, should a proxy serve the media folder.
    folder, network, token, name = document.file.name.split("/")
    assert (folder, network, name) == ("networks", str(pk), "b.pdf") and len(token) >= 16
    for user in (net.public, net.other_manager, net.outsider):
        client = client_for(user)
        assert client.get(f"/networks/{pk}/members/").status_code == 403
        assert client.get(f"/networks/{pk}/documents/{document.pk}/").status_code == 403
        assert "Hemmelig budsjett" not in client.get(f"/networks/{pk}/").content.decode()
    member = client_for(net.staff)
    assert "Hemmelig budsjett" in member.get(f"/networks/{pk}/members/").content.decode()
    download = member.get(f"/networks/{pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"
    # The member list with e-mail addresses is for the coordinators.
    assert client_for(net.staff).get(f"/networks/{pk}/manage/members.csv").status_code == 403
    csv = client_for(net.manager).get(f"/networks/{pk}/manage/members.csv").content.decode()
    assert "aisha@fredrikstad.example" in csv and "Fredrikstad bibliotek" in csv


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_saved(net, client_for):
    response = client_for(net.manager).post(
        f"/networks/{net.network.pk}/manage/documents/new/",
        {"title": "Program", "file": SimpleUploadedFile("program.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 200
    assert "not PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_mail_to_all_members_comes_from_the_network(net, client_for, mails):
    client = client_for(net.manager)
    response, sent = mails(
        lambda: client.post(
            f"/networks/{net.network.pk}/manage/mail/",
            {"subject": "Neste møte", "body": "Vi sees i mars."},
        )
    )
    assert response.status_code == 302
    assert "The e-mail is sent to 2 members." in client.get(response["Location"]).content.decode()
    assert sorted(m.to[0] for m in sent) == ["aisha@fredrikstad.example", "ola@fredrikstad.example"]
    assert all(len(m.to) == 1 for m in sent)  # no member sees another's address
    assert sent[0].from_email.startswith('"Barnenettverket"') or sent[0].from_email.startswith(
        "Barnenettverket <"
    )
    assert sent[0].reply_to == ["barn@ostfold.example"]
    assert sent[0].subject == "Neste møte"


def test_a_meeting_is_an_event_of_kind_network_meeting_of_the_networks_agency(net):
    meeting = services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=meeting_data()
    )
    assert meeting.event.kind == EventKind.NETWORK_MEETING
    assert meeting.event.agency == net.agency
    assert meeting.event.get_absolute_url()


def test_a_meeting_outside_the_networks_agency_is_refused(net):
    start = timezone.now() + timedelta(days=3)
    swedish = event_create(
        actor=None,
        agency=net.other_agency,
        sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=2))],
        kind=EventKind.NETWORK_MEETING,
        title="Nätverksträff",
    )
    with pytest.raises(ValidationError, match="network's own agency"):
        services.meeting_link(
            actor=net.consultant, agency=net.agency, network=net.network, event=swedish
        )
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=net.outsider, agency=net.other_agency, network=net.network, data=meeting_data()
        )
    assert not Meeting.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused_on_the_form(net, client_for):
    response = client_for(net.manager).post(
        f"/networks/{net.network.pk}/manage/meetings/new/",
        {"title": "Møte", "starts_at": "2030-05-02T12:00", "ends_at": "2030-05-02T10:00"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Event.objects.exists()


def test_invite_all_registers_every_member_within_the_capacity(net):
    for i in range(3):
        person = Person.objects.create(name=f"Medlem {i}", email=f"m{i}@example.org")
        services.member_set(
            actor=net.consultant,
            agency=net.agency,
            network=net.network,
            person=person,
            coordinator=False,
        )
    meeting = services.meeting_create(
        actor=net.consultant,
        agency=net.agency,
        network=net.network,
        data=meeting_data(capacity=3),
    )
    result = services.meeting_invite_all(actor=net.consultant, agency=net.agency, meeting=meeting)
    assert (result.registered, result.waiting) == (3, 2)
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITING) == 2
    again = services.meeting_invite_all(actor=net.consultant, agency=net.agency, meeting=meeting)
    assert again.already == 5 and Registration.objects.count() == 5


def test_invite_all_without_a_waiting_list_says_who_got_no_place(net, client_for):
    meeting = services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=meeting_data(capacity=1)
    )
    Event.objects.filter(pk=meeting.event.pk).update(waiting_list=False)
    response = client_for(net.manager).post(
        f"/networks/{net.network.pk}/manage/meetings/{meeting.pk}/invite/", follow=True
    )
    assert "Have a place: 1. On the waiting list: 0." in response.content.decode()
    assert "Got no place: 1." in response.content.decode()


def test_notes_are_published_to_the_members_after_the_meeting(net, client_for, mails):
    meeting = services.meeting_create(
        actor=net.consultant, agency=net.agency, network=net.network, data=meeting_data(days=5)
    )
    with pytest.raises(ValidationError, match="after the meeting"):
        services.meeting_notes_save(
            actor=net.manager, agency=net.agency, meeting=meeting, notes="Tidlig", publish=True
        )
    Event.objects.filter(pk=meeting.event.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    meeting.refresh_from_db()
    url = f"/networks/{net.network.pk}/manage/meetings/{meeting.pk}/notes/"
    _response, sent = mails(
        lambda: client_for(net.manager).post(url, {"notes": "Vi ble enige om **lesekampanjen**."})
    )
    assert sent == []  # saved, not published
    material = f"/networks/{net.network.pk}/members/"
    assert "lesekampanjen" not in client_for(net.staff).get(material).content.decode()
    _response, sent = mails(
        lambda: client_for(net.manager).post(
            url, {"notes": "Vi ble enige om **lesekampanjen**.", "publish": "on"}
        )
    )
    assert len(sent) == 2
    assert "<strong>lesekampanjen</strong>" in client_for(net.staff).get(material).content.decode()
    _response, sent = mails(
        lambda: client_for(net.manager).post(url, {"notes": "Rettet.", "publish": "on"})
    )
    assert sent == []  # told once


def test_the_home_page_shows_a_members_next_meetings(net, client_for):
    services.meeting_create(
        actor=net.consultant,
        agency=net.agency,
        network=net.network,
        data=meeting_data(title="Lesemøte for barnebibliotekarer"),
    )
    mine = client_for(net.staff).get("/").content.decode()
    assert "Next meetings in your networks" in mine
    assert "home-networks-heading" in mine
    assert "home-networks-heading" not in client_for(net.public).get("/").content.decode()


def test_the_library_profile_lists_the_networks_its_staff_take_part_in(net, client_for):
    kari = client_for(net.consultant)
    page = kari.get(f"/directory/libraries/{net.library.pk}/profile/").content.decode()
    assert "profile-networks-heading" in page
    assert "Barnenettverket" in page
    assert "2 people" in page
    other = kari.get(f"/directory/libraries/{net.other_library.pk}/profile/").content.decode()
    assert "profile-networks-heading" not in other


def test_account_export_and_erasure_reach_memberships(net):
    from bokbro.networks.personal import erase, export

    rows = export(["AISHA@fredrikstad.example"])
    assert rows == [
        {
            "network": "Barnenettverket",
            "agency": "Bibliotekutvikling Østfold",
            "status": "member",
            "coordinator": False,
            "since": rows[0]["since"],
        }
    ]
    assert erase(["aisha@fredrikstad.example"]) == 1
    assert not Membership.objects.filter(person=net.staff_person).exists()


def test_staff_create_a_network_and_a_duplicate_name_is_refused(world, client_for):
    client = client_for(world.consultant)
    data = {"name": "Lederforum", "purpose": "For ledere.", "joining": "application"}
    assert client.post("/networks/new/", data).status_code == 302
    response = client.post("/networks/new/", data)
    assert response.status_code == 200
    assert "already has a network with this name" in response.content.decode()


def test_a_network_shared_between_two_agencies(world, client_for):
    from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person

    shared = make_network(world, name="Nettverk for grenseregionen")
    only_ours = make_network(world, name="Bare Østfold")
    swedish_site = "jonkoping.testserver"
    kari, swedish_team = (
        client_for(world.consultant),
        client_for(world.outsider, host=swedish_site),
    )
    form = {"name": shared.name, "purpose": "Grensesprengende.", "joining": "open"}
    # Only the owning agency shares it; the other agency's team on its own site cannot yet.
    assert swedish_team.get(f"/networks/{shared.pk}/").status_code == 404
    kari.post(f"/networks/{shared.pk}/edit/", {**form, "partner_agencies": [world.other_agency.pk]})
    assert list(shared.partner_agencies.all()) == [world.other_agency]

    listing = client_for(None, host=swedish_site).get("/networks/").content.decode()
    assert "Nettverk for grenseregionen" in listing and "Bare Østfold" not in listing
    page = client_for(None, host=swedish_site).get(f"/networks/{shared.pk}/").content.decode()
    assert "together with" in page
    assert swedish_team.get(f"/networks/{only_ours.pk}/").status_code == 404
    # The Swedish team manages it on its own site, adding a librarian of its own region.
    lena = Person.objects.create(name="Lena Bibliotekarie", email="lena@varnamo.example")
    LibraryRole.objects.create(
        person=lena, library=world.swedish_library, role=LibraryRoleKind.STAFF
    )
    assert swedish_team.get(f"/networks/{shared.pk}/manage/").status_code == 200
    swedish_team.post(f"/networks/{shared.pk}/manage/members/", {"person": lena.pk})
    assert shared.memberships.filter(person=lena).exists()
    # Its edit page does not offer to share it further; the owner's page does.
    assert (
        "partner_agencies" not in swedish_team.get(f"/networks/{shared.pk}/edit/").content.decode()
    )
    assert "partner_agencies" in kari.get(f"/networks/{shared.pk}/edit/").content.decode()
