"""Material for participants ("the online learning arena"): files and links shared with an
event's confirmed participants, who are told by e-mail after commit."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.db.models import Max

from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.models import (
    Event,
    Material,
    MaterialKind,
    RegistrationStatus,
    Session,
)
from bokbro.events.selectors import one_per_person
from bokbro.events.tasks import announce_material


@transaction.atomic
def material_add(
    *,
    actor: Actor,
    agency: Agency,
    event: Event,
    title: str,
    kind: str,
    file: File | None = None,
    url: str = "",
    description: str = "",
    session: Session | None = None,
    tell_participants: bool = True,
) -> Material:
    """Share a file or a link with the event's confirmed participants, and (by default) tell
    each of them by e-mail after commit."""
    if session is not None and session.event_id != event.pk:
        raise ValueError("The session belongs to another event.")
    last = event.material.aggregate(last=Max("position"))["last"]
    material = Material(
        event=event,
        session=session,
        title=title.strip(),
        kind=kind,
        url=url.strip() if kind == MaterialKind.LINK else "",
        description=description.strip(),
        added_by=actor,
        position=0 if last is None else last + 1,
    )
    if kind == MaterialKind.FILE:
        material.file = file
    material.full_clean(exclude=["added_by", "file"])
    material.save()
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    told = one_per_person(confirmed) if tell_participants else []
    audit_log(
        action="events.material.added",
        actor=actor,
        agency=agency,
        target=event,
        data={"material_id": material.pk, "title": material.title, "participants_told": len(told)},
    )
    for registration_id in told:
        enqueue_on_commit(
            announce_material, registration_id=registration_id, material_id=material.pk
        )
    return material


@transaction.atomic
def material_remove(*, actor: Actor, agency: Agency, material: Material) -> None:
    """Remove the material; its file leaves storage once the removal is committed (the
    `post_delete` handler that the contract's `files` sets up, which also covers an event deleted
    with its material)."""
    audit_log(
        action="events.material.removed",
        actor=actor,
        agency=agency,
        target=material.event,
        data={"material_id": material.pk, "title": material.title},
    )
    material.delete()
