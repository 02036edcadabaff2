"""Every write to networks: the network itself, joining (open or by application) and leaving,
the coordinators' work on members and documents, mail to all members, and meetings (events of
kind "network meeting": created, everyone invited in one step, notes published afterwards).

The one-membership-per-person rule is held by the unique constraint; joining takes the network's
row lock first, so parallel clicks (a double click, two tabs) end in one membership. A meeting's
seats are the events' registration rule: "invite all members" registers through it, so the
capacity and the waiting list hold as for any registration."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.types import Actor
from bokbro.directory.access import roles_for
from bokbro.directory.models import Agency, Municipality, Person
from bokbro.events.models import Event, EventKind, EventStatus
from bokbro.events.services.events import SessionData, event_create
from bokbro.events.services.registrations import (
    AlreadyRegistered,
    RegistrationError,
    registration_create,
)
from bokbro.networks.models import (
    Document,
    Joining,
    Meeting,
    Membership,
    MembershipStatus,
    Network,
)


def _lock(network: Network) -> Network:
    return Network.objects.select_for_update().get(pk=network.pk)


# --- The network --------------------------------------------------------------------------------


@transaction.atomic
def network_save(
    *,
    actor: Actor | None,
    agency: Agency,
    network: Network | None = None,
    name: str,
    purpose: str,
    joining: str = Joining.OPEN,
    contact_email: str = "",
    partner_agencies: Iterable[Agency] | None = None,
) -> Network:
    """Save a network; `partner_agencies` (None: unchanged) are the other agencies it is shared
    with: it is on their sites, and their teams manage it too."""
    created = network is None
    if network is None:
        network = Network(agency=agency)
    if network.agency_id != agency.pk:
        raise ValidationError(_("This network belongs to another agency."))
    network.name, network.purpose = name.strip(), purpose
    network.joining, network.contact_email = joining, contact_email
    if Network.objects.filter(agency=agency, name=network.name).exclude(pk=network.pk).exists():
        raise ValidationError({"name": _("The agency already has a network with this name.")})
    network.full_clean(exclude=["agency"])
    network.save()
    data = None
    if partner_agencies is not None:
        partners = [a for a in partner_agencies if a.pk != agency.pk]
        network.partner_agencies.set(partners)
        data = {"shared_with": sorted(a.slug for a in partners)}
    verb = "created" if created else "updated"
    audit_log(
        action=f"networks.network.{verb}", actor=actor, agency=agency, target=network, data=data
    )
    return network


# --- Members ------------------------------------------------------------------------------------


class NotInDirectory(ValidationError):
    pass


def person_of(user: Actor, agency: Agency) -> Person:
    """The directory entry of a user who wants to join. Library people have one; a member of
    the agency's team who has none gets one (registered by the agency); anyone else is told to
    ask their library to add them to the directory."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    if not roles_for(user, agency).is_staff:
        raise NotInDirectory(
            _(
                "Networks are for people in the library directory. Ask your library's manager "
                "to add you, then join."
            )
        )
    return Person.objects.create(
        name=user.name or user.email, email=user.email, user=user, created_by_agency=agency
    )


@transaction.atomic
def network_join(*, actor: Actor, agency: Agency, network: Network) -> Membership:
    """Join an open network, or ask to join one by application. Joining twice changes nothing."""
    network = _lock(network)
    person = person_of(actor, agency)
    membership = Membership.objects.filter(network=network, person=person).first()
    if membership is not None:
        return membership
    is_open = network.joining == Joining.OPEN
    membership = Membership.objects.create(
        network=network,
        person=person,
        status=MembershipStatus.MEMBER if is_open else MembershipStatus.REQUESTED,
        joined_at=timezone.now() if is_open else None,
    )
    verb = "joined" if is_open else "requested"
    audit_log(action=f"networks.member.{verb}", actor=actor, agency=agency, target=network)
    if not is_open:
        _tell_coordinators(network, person)
    return membership


def _tell_coordinators(network: Network, person: Person) -> None:
    for coordinator in network.memberships.filter(is_coordinator=True).select_related("person"):
        if coordinator.person.email:
            send_email(
                to=coordinator.person.email,
                template="networks/join_request",
                context={"network": network, "person": person},
                agency=network.agency,
            )


@transaction.atomic
def membership_decide(
    *, actor: Actor, agency: Agency, membership: Membership, approve: bool
) -> None:
    """A coordinator approves a request (the person is told) or declines it (the request goes)."""
    network = _lock(membership.network)
    membership = Membership.objects.select_related("person").get(pk=membership.pk)
    if membership.status != MembershipStatus.REQUESTED:
        return
    if approve:
        membership.status, membership.joined_at = MembershipStatus.MEMBER, timezone.now()
        membership.save(update_fields=["status", "joined_at"])
        if membership.person.email:
            send_email(
                to=membership.person.email,
                template="networks/welcome",
                context={"network": network},
                agency=network.agency,
            )
    else:
        membership.delete()
    verb = "approved" if approve else "declined"
    audit_log(action=f"networks.member.{verb}", actor=actor, agency=agency, target=network)


@transaction.atomic
def network_leave(*, actor: Actor, agency: Agency, membership: Membership) -> None:
    network = membership.network
    membership.delete()
    audit_log(action="networks.member.left", actor=actor, agency=agency, target=network)


@transaction.atomic
def member_set(
    *, actor: Actor | None, agency: Agency, network: Network, person: Person, coordinator: bool
) -> Membership:
    """Add a person from the directory as a member (or a coordinator), or change their role."""
    network = _lock(network)
    membership, _created = Membership.objects.update_or_create(
        network=network,
        person=person,
        defaults={
            "status": MembershipStatus.MEMBER,
            "is_coordinator": coordinator,
        },
        create_defaults={
            "status": MembershipStatus.MEMBER,
            "is_coordinator": coordinator,
            "joined_at": timezone.now(),
        },
    )
    if membership.joined_at is None:
        membership.joined_at = timezone.now()
        membership.save(update_fields=["joined_at"])
    audit_log(action="networks.member.set", actor=actor, agency=agency, target=network)
    return membership


@transaction.atomic
def member_remove(*, actor: Actor, agency: Agency, membership: Membership) -> None:
    network = membership.network
    membership.delete()
    audit_log(action="networks.member.removed", actor=actor, agency=agency, target=network)


# --- Documents and mail -------------------------------------------------------------------------


@transaction.atomic
def document_add(
    *, actor: Actor, agency: Agency, network: Network, title: str, file: UploadedFile
) -> Document:
    document = Document.objects.create(network=network, title=title.strip(), file=file)
    audit_log(action="networks.document.added", actor=actor, agency=agency, target=network)
    return document


@transaction.atomic
def document_remove(*, actor: Actor, agency: Agency, document: Document) -> None:
    network = document.network
    document.delete()
    audit_log(action="networks.document.removed", actor=actor, agency=agency, target=network)


def _member_addresses(network: Network) -> list[str]:
    addresses = network.memberships.active().exclude(person__email="")
    return sorted({a.lower() for a in addresses.values_list("person__email", flat=True)})


@transaction.atomic
def network_mail(*, actor: Actor, agency: Agency, network: Network, subject: str, body: str) -> int:
    """One e-mail to each member (no member sees another's address), from the network's name;
    replies go to the network's contact address. Returns how many were sent."""
    addresses = _member_addresses(network)
    for address in addresses:
        send_email(
            to=address,
            template="networks/member_mail",
            context={"network": network, "subject": subject, "body": body},
            agency=agency,
            sender_name=network.name,
            reply_to=network.contact_email or None,
        )
    audit_log(
        action="networks.mail.sent",
        actor=actor,
        agency=agency,
        target=network,
        data={"recipients": len(addresses), "subject": subject},
    )
    return len(addresses)


# --- Meetings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str = ""
    municipality: Municipality | None = None
    online_url: str = ""
    capacity: int | None = None
    description: str = ""


@transaction.atomic
def meeting_create(
    *, actor: Actor | None, agency: Agency, network: Network, data: MeetingData
) -> Meeting:
    """A published event of kind "network meeting" of the network's agency, linked to it."""
    if network.agency_id != agency.pk:
        raise ValidationError(_("A network meeting belongs to the network's own agency."))
    if data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    event = event_create(
        actor=actor,
        agency=agency,
        sessions=[SessionData(starts_at=data.starts_at, ends_at=data.ends_at)],
        kind=EventKind.NETWORK_MEETING,
        title=data.title,
        description=data.description,
        venue=data.venue,
        municipality=data.municipality,
        online_url=data.online_url,
        capacity=data.capacity,
        status=EventStatus.PUBLISHED,
    )
    return meeting_link(actor=actor, agency=agency, network=network, event=event)


@transaction.atomic
def meeting_link(*, actor: Actor | None, agency: Agency, network: Network, event: Event) -> Meeting:
    """An existing event becomes the network's meeting: it must be the network's agency's own
    event of kind "network meeting"."""
    if event.agency_id != network.agency_id or network.agency_id != agency.pk:
        raise ValidationError(_("A network meeting belongs to the network's own agency."))
    if event.kind != EventKind.NETWORK_MEETING:
        raise ValidationError(_("Only an event of the kind “network meeting” can be linked."))
    meeting = Meeting.objects.create(network=network, event=event)
    audit_log(action="networks.meeting.created", actor=actor, agency=agency, target=network)
    return meeting


@dataclass
class Invited:
    registered: int = 0
    waiting: int = 0
    already: int = 0
    not_registered: int = 0


def meeting_invite_all(*, actor: Actor | None, agency: Agency, meeting: Meeting) -> Invited:
    """Every member gets a place through the events' registration rule (a seat, else the
    waiting list, else none when the meeting is full): one registration at a time, each its own
    transaction under the event's lock, so the capacity holds with anyone registering at once.
    A member already registered is left as they are."""
    result = Invited()
    members = meeting.network.memberships.active().for_list().exclude(person__email="")
    # Those registered already are counted without a try (the rule would refuse them too).
    registered = {
        email.lower()
        for email in meeting.event.registrations.active().values_list("email", flat=True)
    }
    for membership in members:
        person = membership.person
        if person.email.lower() in registered:
            result.already += 1
            continue
        roles = list(person.library_roles.all())
        try:
            registration = registration_create(
                event=meeting.event,
                name=person.name,
                email=person.email,
                library=roles[0].library if roles else None,
                user=person.user,
                registered_by=actor,
                language=agency.language,
                staff_override=True,
            )
        except AlreadyRegistered:
            result.already += 1
            continue
        except RegistrationError:
            result.not_registered += 1
            continue
        if registration.holds_seat:
            result.registered += 1
        else:
            result.waiting += 1
    audit_log(
        action="networks.meeting.invited",
        actor=actor,
        agency=agency,
        target=meeting.network,
        data={"registered": result.registered, "waiting": result.waiting},
    )
    return result


@transaction.atomic
def meeting_notes_save(
    *, actor: Actor, agency: Agency, meeting: Meeting, notes: str, publish: bool
) -> Meeting:
    """Keep the notes; publishing them (after the meeting has begun) tells the members once."""
    meeting = (
        Meeting.objects.select_for_update().select_related("event", "network").get(pk=meeting.pk)
    )
    if publish and not meeting.is_over:
        raise ValidationError(_("Notes are published to the members after the meeting."))
    meeting.notes = notes
    first_publication = publish and meeting.notes_published_at is None
    if first_publication:
        meeting.notes_published_at = timezone.now()
    meeting.full_clean(exclude=["network", "event"])
    meeting.save(update_fields=["notes", "notes_published_at"])
    if first_publication:
        for address in _member_addresses(meeting.network):
            send_email(
                to=address,
                template="networks/notes_published",
                context={"meeting": meeting, "network": meeting.network},
                agency=agency,
                sender_name=meeting.network.name,
            )
    verb = "published" if first_publication else "saved"
    audit_log(action=f"networks.notes.{verb}", actor=actor, agency=agency, target=meeting.network)
    return meeting


def invited_message(result: Invited) -> Any:
    return _(
        "Have a place: %(registered)s. On the waiting list: %(waiting)s. "
        "Registered already: %(already)s. Got no place: %(full)s."
    ) % {
        "registered": result.registered,
        "waiting": result.waiting,
        "already": result.already,
        "full": result.not_registered,
    }
