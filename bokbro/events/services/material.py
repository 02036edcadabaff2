"""Material for participants ("the online learning arena"): files and links shared with an
event's confirmed participants, who are told by e-mail after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.directory.models import Agency
from bokbro.events.models import (
    Event,
    Material,
    MaterialKind,
    RegistrationStatus,
    Session,
)
from bokbro.events.tasks import announce_material


def _confirmed_participants(event: Event) -> list[int]:
    """One registration id per confirmed person (the latest, if they registered twice)."""
    latest: dict[str, int] = {}
    rows = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email")
    )
    for pk, email in rows:
        latest.setdefault(email.lower(), pk)
    return list(latest.values())


@transaction.atomic
def material_add(
    *,
    actor: Any,
    agency: Agency,
    event: Event,
    title: str,
    kind: str,
    file: Any = None,
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
        added_by=actor if actor is not None and actor.is_authenticated else None,
        position=0 if last is None else last + 1,
    )
    if kind == MaterialKind.FILE:
        material.file = file
    material.full_clean(exclude=["added_by", "file"])
    material.save()
    told = _confirmed_participants(event) if tell_participants else []
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
def material_remove(*, actor: Any, agency: Agency, material: Material) -> None:
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
