"""Approvals: a place on an event that asks for the library manager's approval
(`Event.manager_approval`) waits, holding its seat, until someone decides (places.py approves or
declines). This module holds who is asked and how they hear of it.

- **Who decides**: the managers of the person's library (`selectors.approval_routes`). Where the
  library has no manager who can be reached, or no library was given, the organiser's team
  decides, and the participant list and the approvals page say why ("no manager registered for
  Hvaler bibliotek"): nothing waits for someone who does not exist.
- **Nobody approves a place they made**: a manager registering themselves or a colleague of
  their library, or the organiser's team registering someone it would approve, gets a confirmed
  place at once (`registration_create_and_approve`, the step right after
  `registrations.registration_create`).
- **The approvers are told**: one digest e-mail per approver and hour at most, listing the places
  newly waiting for them with links to approve or decline (`approval_digests_send`, run by
  `bokbro periodic` every five minutes). `ApproverDigest` records when each was last told and
  is locked while a digest is decided, so two runs never send twice; `ApprovalNotice` records
  who has heard of which place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.colleagues import pending_colleague_record
from bokbro.events import mails
from bokbro.events.models import (
    ApprovalNotice,
    ApproverDigest,
    Registration,
    RegistrationStatus,
)
from bokbro.events.selectors import (
    ApprovalRoute,
    Approver,
    approval_routes,
    needs_approval,
    organiser_approvers,
    places_awaiting_approval,
)
from bokbro.events.services.notices import _notify
from bokbro.events.services.registrations import registration_create
from bokbro.events.services.seat_groups import group_seats_open

DIGEST_INTERVAL = timedelta(hours=1)


def registration_create_and_approve(**fields: Any) -> Registration:
    """`registrations.registration_create` (same arguments), then the one step it leaves: a
    place whose person needs no approval (`selectors.needs_approval`: a library manager
    registering themselves or a colleague, a manager registered by anyone, the organiser's team
    registering someone at a library without a manager) is confirmed at once. Both happen in one
    transaction, so the registration's e-mail in the outbox says "confirmed", and no approver
    is asked. Other registrations go through `registration_create` alone, as fast as ever."""
    event = fields["event"]
    # The first registration after the groups' seats opened moves the waiting list up first.
    group_seats_open(event)
    acting = (fields.get("user"), fields.get("registered_by"))
    if not event.manager_approval or needs_approval(
        event=event, library=fields.get("library"), email=fields["email"], by=acting
    ):
        registration = registration_create(**fields)
    else:
        with transaction.atomic():
            registration = registration_create(**fields)
            if registration.status == RegistrationStatus.PENDING_APPROVAL:
                actor = next((a for a in acting if a is not None and a.is_authenticated), None)
                _approve_at_once(registration, actor=actor)
    if not registration.awaits_email_confirmation:
        # A held place claims the library once its address is confirmed (places.py).
        _library_claim(fields)
    return registration


def _library_claim(fields: dict[str, Any]) -> None:
    """Someone registering without an account who names a library waits on its manager's page
    until confirmed as its staff; never listed on their word alone (issue 12)."""
    library = fields.get("library")
    if library is None or fields.get("registered_by") is not None:
        return
    user = fields.get("user")
    if user is not None and user.is_authenticated:
        return
    pending_colleague_record(library=library, name=fields.get("name", ""), email=fields["email"])


def _approve_at_once(registration: Registration, *, actor: Actor | None) -> None:
    """Confirm a new place that needs no approval. The caller's transaction still holds the
    event's row lock that `registration_create` took, so the seat counts are untouched."""
    row = Registration.objects.select_for_update().get(pk=registration.pk)
    if row.status != RegistrationStatus.PENDING_APPROVAL:
        return
    row.status = RegistrationStatus.CONFIRMED
    row.confirmed_at = timezone.now()
    already_told = not row.notice  # its "pending" e-mail has gone out already
    if not already_told:
        row.notice = RegistrationStatus.CONFIRMED  # the outbox sends this instead
    row.save(update_fields=["status", "confirmed_at", "notice"])
    event = registration.event
    audit_log(
        action="events.registration.approved",
        actor=actor,
        agency=event.agency,
        target=event,
        data={"registration_id": row.pk, "at_once": True},
    )
    if already_told:
        _notify(row.pk, "approved", outbox_flushed=True)
    registration.status = row.status
    registration.confirmed_at = row.confirmed_at
    registration.notice = row.notice


# --- Telling the approvers ------------------------------------------------------------------


def approval_digests_send(*, now: datetime | None = None) -> int:
    """Send each approver a digest of the places newly waiting for them, unless they had one
    within the hour (they get the rest in the next). A burst of registrations makes one
    e-mail. Returns how many digests were sent."""
    now = now or timezone.now()
    pending = list(places_awaiting_approval(now))
    routes = approval_routes(pending)
    told = set(
        ApprovalNotice.objects.filter(
            registration__status=RegistrationStatus.PENDING_APPROVAL
        ).values_list("registration_id", "email")
    )
    organisers: dict[int, list[Approver]] = {}
    inbox: dict[str, tuple[Approver, list[Registration], int]] = {}
    for registration in pending:
        approvers = routes[registration.pk].managers or organisers.setdefault(
            registration.event_id, organiser_approvers(registration.event)
        )
        for approver in approvers:
            entry = inbox.setdefault(approver.email, (approver, [], 0))
            if (registration.pk, approver.email) in told:
                inbox[approver.email] = (entry[0], entry[1], entry[2] + 1)
            else:
                entry[1].append(registration)
    return sum(
        _digest_send(approver, new, earlier=earlier, routes=routes, now=now)
        for approver, new, earlier in inbox.values()
        if new
    )


@transaction.atomic
def _digest_send(
    approver: Approver,
    registrations: list[Registration],
    *,
    earlier: int,
    routes: dict[int, ApprovalRoute],
    now: datetime,
) -> int:
    """One approver's digest, if they had none within the hour. Their `ApproverDigest` row is
    locked first: a second run at the same time waits here, then finds the digest sent."""
    digest, _created = ApproverDigest.objects.select_for_update().get_or_create(
        email=approver.email
    )
    if digest.last_sent_at is not None and digest.last_sent_at > now - DIGEST_INTERVAL:
        return 0
    told = set(
        ApprovalNotice.objects.filter(
            email=approver.email, registration__in=[r.pk for r in registrations]
        ).values_list("registration_id", flat=True)
    )
    new = [r for r in registrations if r.pk not in told]
    if not new:
        return 0
    ApprovalNotice.objects.bulk_create(
        [ApprovalNotice(registration=r, email=approver.email, sent_at=now) for r in new],
        ignore_conflicts=True,
    )
    digest.last_sent_at = now
    digest.save(update_fields=["last_sent_at"])
    mails.approval_digest_email(
        approver=approver,
        registrations=new,
        routes={r.pk: routes[r.pk] for r in new},
        earlier=earlier + len(told),
    )
    return 1
