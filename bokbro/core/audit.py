from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from bokbro.core.models import AuditEntry
from bokbro.core.types import Actor

if TYPE_CHECKING:
    from bokbro.directory.models import Agency


def audit_log(
    *,
    action: str,
    actor: Actor | AnonymousUser | None = None,
    agency: Agency | None = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did what to which object.

    `action` is a dotted code such as `directory.library.updated`; an anonymous actor is
    recorded as none."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=agency,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        data=data or {},
    )


@functools.cache
def action_labels() -> dict[str, Any]:
    """Every module's labels (the `audit_labels` of its contract)."""
    from bokbro.core.modules import resolved

    labels: dict[str, Any] = {}
    for _module, module_labels in resolved("audit_labels"):
        labels.update(module_labels)
    return labels


def action_label(action: str) -> str:
    return str(action_labels().get(action, action))
